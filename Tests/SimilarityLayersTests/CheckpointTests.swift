import Foundation
import Testing

@testable import SimilarityLayers

@Suite struct CheckpointTests {
  /// A fresh empty directory under the system temporary directory.
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-layers-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A safetensors file from a raw header and data section.
  private func rawFile(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8]
  {
    let json = Array(header.utf8)
    var bytes: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes += $0 }
    return bytes + json + data
  }

  private func decodeError(_ bytes: [UInt8]) -> CheckpointError? {
    do {
      _ = try Safetensors.decode(bytes, file: "w.safetensors")
      return nil
    } catch {
      return error
    }
  }

  private func smallModel(seed: UInt64 = 1) -> Sequential {
    Sequential(name: "small", seed: seed) {
      Input(shape: [2, 3])
      Rescaling(scale: 0.5, offset: 0.1)
      Flatten()
      Dense(units: 4, activation: .gelu())
      BatchNormalization(momentum: 0.9)
      ActivationLayer(.leakyRelu(alpha: 0.1))
      Lambda(function: "double") { $0 * 2 }
      Dropout(rate: 0.2, seed: 9)
      MetricEmbedding(units: 3)
    }
  }

  @Test func safetensorsLayoutIsTheDocumentedOne() throws {
    let bytes = Safetensors.encode(
      [
        ("a", Tensor(shape: [2], scalars: [1, -2])), ("b", Tensor(shape: [1, 1], scalars: [0.5])),
      ],
      metadata: ["format": "pt"])
    let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
    #expect(bytes[2..<8].allSatisfy { $0 == 0 })
    #expect(headerLength % 8 == 0)
    #expect(bytes.count == 8 + headerLength + 12)
    let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
    #expect(header.contains("\"data_offsets\":[0,8]"))
    #expect(header.contains("\"data_offsets\":[8,12]"))
    #expect(header.contains("\"dtype\":\"F32\""))
    // 1.0f is 0x3F800000, stored little-endian.
    #expect(Array(bytes[(8 + headerLength)..<(12 + headerLength)]) == [0, 0, 0x80, 0x3F])
    let decoded = try Safetensors.decode(bytes, file: "x")
    #expect(decoded.tensors.map(\.name) == ["a", "b"])
    #expect(decoded.tensors[1].tensor.shape == [1, 1])
    #expect(decoded.metadata == ["format": "pt"])
  }

  @Test func aSavedModelIsRebuiltFromItsDirectoryWithIdenticalOutputs() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = smallModel()
    // Move the batch-norm statistics away from their initial values.
    model.isTraining = true
    _ = model(randomTensor([8, 2, 3], seed: 3))
    model.isTraining = false
    try Checkpoint.save(model, to: directory, metadata: ["note": "test"])

    let loaded = try Checkpoint.loadSequential(from: directory, lambdas: ["double": { $0 * 2 }])
    #expect(loaded.name == "small")
    #expect(
      loaded.layers.map { type(of: $0).typeName } == model.layers.map { type(of: $0).typeName })
    #expect(loaded.namedParameters.map(\.name) == model.namedParameters.map(\.name))
    #expect(loaded.summary() == model.summary())
    let input = randomTensor([5, 2, 3], seed: 4)
    #expect(loaded(input).scalars == model(input).scalars)
    // A model built from another seed differs until the weights are loaded.
    let other = smallModel(seed: 2)
    #expect(other(input).scalars != model(input).scalars)
    let metadata = try Checkpoint.loadWeights(
      into: other, from: directory.appendingPathComponent(Checkpoint.weightsFileName))
    #expect(metadata == ["note": "test"])
    #expect(other(input).scalars == model(input).scalars)
    // Atomic saves leave no temporary files behind.
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(files == [Checkpoint.architectureFileName, Checkpoint.weightsFileName])
  }

  @Test func convolutionalArchitecturesRoundTrip() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = Sequential(seed: 3) {
      Input(shape: [9, 9, 2])
      Conv2D(filters: 3, kernelSize: (3, 2), strides: (2, 1), padding: .same, dilationRate: (1, 1))
      MaxPooling2D(poolSize: (2, 2), strides: (1, 1), padding: .valid)
      AveragePooling2D()
      Flatten()
      Dense(units: 2, useBias: false, kernelInitializer: .heNormal)
    }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadSequential(from: directory)
    #expect(try loaded.sequentialConfiguration() == model.sequentialConfiguration())
    #expect(loaded.parameters.map(\.value.scalars) == model.parameters.map(\.value.scalars))
    #expect(loaded.layerOutputShapes == model.layerOutputShapes)
  }

  @Test func referenceArchitecturesSurviveJSONExactly() throws {
    for model in [Sequential.kerasSiameseTower(), Sequential.tfSimilarityMNISTConv()] {
      let configuration = LayerConfiguration.sequential(try model.sequentialConfiguration())
      let json = try JSONEncoder().encode(configuration)
      #expect(try JSONDecoder().decode(LayerConfiguration.self, from: json) == configuration)
      let rebuilt = try configuration.makeLayer()
      #expect(rebuilt.parameterCount == model.parameterCount)
    }
  }

  @Test func tooShortFilesAreTruncated() {
    #expect(
      decodeError([1, 2, 3]) == .truncated(file: "w.safetensors", expectedBytes: 8, foundBytes: 3))
    let bytes = rawFile(header: "{}", declaredLength: 100)
    #expect(
      decodeError(bytes) == .truncated(file: "w.safetensors", expectedBytes: 108, foundBytes: 10))
  }

  @Test func headersThatAreNotJSONObjectsAreCorrupt() {
    guard case .corruptHeader = decodeError(rawFile(header: "{not json")) else {
      Issue.record("expected corruptHeader")
      return
    }
    guard case .corruptHeader = decodeError(rawFile(header: "[1, 2]")) else {
      Issue.record("expected corruptHeader")
      return
    }
    let missingShape = rawFile(
      header: #"{"a": {"dtype": "F32", "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])
    guard case .corruptHeader(_, let reason) = decodeError(missingShape) else {
      Issue.record("expected corruptHeader")
      return
    }
    #expect(reason.contains("shape"))
  }

  @Test func otherDataTypesAreRejected() {
    let bytes = rawFile(
      header: #"{"a": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])
    #expect(
      decodeError(bytes) == .unsupportedDType(file: "w.safetensors", tensor: "a", found: "F16"))
  }

  @Test func offsetsMustLieInsideTheDataAndFitTheShape() {
    let outside = rawFile(
      header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, data: [0, 0, 0, 0])
    guard case .invalidOffsets(_, "a", let reason) = decodeError(outside) else {
      Issue.record("expected invalidOffsets")
      return
    }
    #expect(reason.contains("4-byte data section"))
    let wrongSize = rawFile(
      header: #"{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#,
      data: Array(repeating: 0, count: 8))
    guard case .invalidOffsets(_, "a", let sizeReason) = decodeError(wrongSize) else {
      Issue.record("expected invalidOffsets")
      return
    }
    #expect(sizeReason.contains("needs 12 bytes"))
  }

  @Test func overlappingTensorsAreRejected() {
    let header =
      #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#
    let bytes = rawFile(header: header, data: Array(repeating: 0, count: 12))
    #expect(
      decodeError(bytes) == .overlappingTensors(file: "w.safetensors", first: "a", second: "b"))
  }

  @Test func weightsMustMatchTheModelExactly() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("w.safetensors")
    let model = Sequential {
      Input(shape: [2])
      Dense(units: 3)
    }
    let kernel = Tensor.zeros([2, 3])
    let bias = Tensor.zeros([3])
    let original = model.parameters.map(\.value.scalars)

    func loadError(_ tensors: [(name: String, tensor: Tensor)]) -> CheckpointError? {
      do {
        try Data(Safetensors.encode(tensors)).write(to: url)
        try Checkpoint.loadWeights(into: model, from: url)
        return nil
      } catch let error as CheckpointError {
        return error
      } catch {
        return .io(file: url.path, operation: "test", reason: "\(error)")
      }
    }
    #expect(
      loadError([("dense.kernel", Tensor.zeros([3, 2])), ("dense.bias", bias)])
        == .shapeMismatch(file: url.path, tensor: "dense.kernel", expected: [2, 3], found: [3, 2]))
    #expect(
      loadError([("dense.kernel", kernel)])
        == .missingTensors(file: url.path, names: ["dense.bias"]))
    #expect(
      loadError([("dense.kernel", kernel), ("dense.bias", bias), ("extra", bias)])
        == .unexpectedTensors(file: url.path, names: ["extra"]))
    // Failed loads change nothing.
    #expect(model.parameters.map(\.value.scalars) == original)
    #expect(
      CheckpointError.shapeMismatch(file: "f", tensor: "t", expected: [2], found: [3]).description
        == "f: tensor 't' has shape [3], the model expects [2]")
  }

  @Test func architectureProblemsNameTheFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(smallModel(), to: directory)
    let architectureURL = directory.appendingPathComponent(Checkpoint.architectureFileName)
    let path = architectureURL.path

    func loadError(lambdas: [String: Lambda.Function] = ["double": { $0 * 2 }]) -> CheckpointError?
    {
      do {
        _ = try Checkpoint.loadSequential(from: directory, lambdas: lambdas)
        return nil
      } catch {
        return error
      }
    }
    #expect(
      loadError(lambdas: [:])
        == .architecture(file: path, .unregisteredLambda(function: "double", registered: [])))

    let json = try String(contentsOf: architectureURL, encoding: .utf8)
    try json.replacingOccurrences(of: "\"Rescaling\"", with: "\"Resizing\"").write(
      to: architectureURL, atomically: true, encoding: .utf8)
    #expect(loadError() == .architecture(file: path, .unknownLayerType("Resizing")))

    try json.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 7").write(
      to: architectureURL, atomically: true, encoding: .utf8)
    #expect(loadError() == .unsupportedFormatVersion(file: path, expected: 1, found: 7))

    try String(json.prefix(40)).write(to: architectureURL, atomically: true, encoding: .utf8)
    guard case .corruptArchitecture(path, _) = loadError() else {
      Issue.record("expected corruptArchitecture")
      return
    }

    try FileManager.default.removeItem(at: architectureURL)
    guard case .io(path, "reading", _) = loadError() else {
      Issue.record("expected an io error")
      return
    }
  }

  @Test func userDefinedLayersCannotBeSavedAsArchitecture() throws {
    final class Custom: Layer {
      static let typeName = "Custom"
      static let defaultName = "custom"
      var name = "custom"
      func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }
      func callAsFunction(_ input: Tensor) -> Tensor { input }
    }
    let model = Sequential {
      Input(shape: [2])
      Custom()
    }
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(throws: CheckpointError.self) { try Checkpoint.save(model, to: directory) }
    // Its weights can still be saved and loaded.
    try Checkpoint.saveWeights(of: model, to: directory.appendingPathComponent("w.safetensors"))
  }
}
