import Foundation
import Testing

@testable import SimilarityLayers

/// Architectures from files are planned — hyper-parameters, shapes and sizes, with checked
/// arithmetic — and compared with the weights file before any layer allocates anything, so a
/// hostile `architecture.json` or `model.safetensors` ends in an error naming the file, the
/// layer and the value instead of an overflow trap, a precondition or a huge allocation.
@Suite struct ArchitectureValidationTests {
  private func conv(
    _ name: String = "conv2d", filters: Int = 4, kernel: [Int] = [3, 3], strides: [Int] = [1, 1]
  ) -> LayerConfiguration {
    .conv2D(
      Conv2D.Configuration(
        name: name, filters: filters, kernelSize: kernel, strides: strides, padding: .valid,
        dilationRate: [1, 1], activation: .relu, useBias: true, kernelInitializer: .glorotUniform,
        biasInitializer: .zeros))
  }

  private func dense(_ name: String = "dense", units: Int) -> LayerConfiguration {
    .dense(
      Dense.Configuration(
        name: name, units: units, activation: .linear, useBias: true,
        kernelInitializer: .glorotUniform, biasInitializer: .zeros))
  }

  private func model(input: [Int], _ layers: [LayerConfiguration]) -> Sequential.Configuration {
    Sequential.Configuration(
      name: "m", seed: 0, layers: [.input(Input.Configuration(name: "input", shape: input))] + layers)
  }

  private func planError(_ configuration: Sequential.Configuration) -> String? {
    do {
      _ = try ArchitecturePlan(configuration)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func hugeHyperParametersAreRejectedByName() {
    let huge = 1 << 62
    #expect(
      planError(model(input: [28, 28, 1], [conv(filters: huge)]))
        == "invalid Conv2D 'conv2d' configuration: filters \(huge) must be in 1…1048576")
    #expect(
      planError(model(input: [28, 28, 1], [conv(kernel: [1 << 31, 1 << 31])]))
        == "invalid Conv2D 'conv2d' configuration: kernelSize [2147483648, 2147483648] must be two integers in 1…1048576")
    #expect(
      planError(model(input: [1 << 31, 1 << 31, 1], [conv()]))
        == "invalid InputLayer 'input' configuration: shape [2147483648, 2147483648, 1] must have 1…8 extents in 1…1048576")
    #expect(
      planError(model(input: [784], [dense(units: 1 << 40)]))
        == "invalid Dense 'dense' configuration: units 1099511627776 must be in 1…1048576")
    #expect(planError(model(input: [784], [dense(units: -1)]))?.contains("units -1 must be in") == true)
  }

  @Test func layersMustFitTheShapeTheyReceive() {
    // Conv2D used to hit a preconditionFailure on a flat input.
    #expect(
      planError(model(input: [784], [conv()]))
        == "invalid Conv2D 'conv2d' configuration: needs [height, width, channels] inputs, found [784]")
    #expect(
      planError(model(input: [2, 2, 1], [conv(kernel: [3, 3])]))
        == "invalid Conv2D 'conv2d' configuration: a height window of 3 (dilation included) does not fit the input height 2")
    #expect(
      planError(model(input: [4, 4, 1], [conv("a"), conv("a")]))
        == "invalid Sequential configuration: two layers are named 'a'")
  }

  @Test func activationsAndParametersStayWithinTheBudget() {
    // 10¹⁰ pixels per example used to abort in the allocator.
    #expect(
      planError(model(input: [100_000, 100_000], []))
        == "invalid InputLayer 'input' configuration: produces examples of [100000, 100000] = 10000000000 elements; at most 16777216 elements per example are accepted")
    #expect(
      planError(model(input: [1000, 1000, 1], [conv(filters: 32)]))?.contains(
        "produces examples of [998, 998, 32]") == true)
    // 2²⁰ × 2²⁰ weights.
    #expect(
      planError(model(input: [1 << 20], [dense(units: 1 << 20)]))
        == "invalid Dense 'dense' configuration: parameter dense.kernel of shape [1048576, 1048576] brings the model beyond 268435456 parameters")
  }

  @Test func thePlanListsTheParametersOfTheBuiltModel() throws {
    let configuration = try #require(
      try Sequential.tfSimilarityMNISTConv().sequentialConfiguration() as Sequential.Configuration?)
    let plan = try ArchitecturePlan(configuration)
    let built = Sequential.tfSimilarityMNISTConv()
    #expect(plan.parameters.map(\.name) == built.namedParameters.map(\.name))
    #expect(plan.parameters.map(\.shape) == built.namedParameters.map(\.parameter.shape))
    #expect(plan.outputShape == [64])
    #expect(plan.parameterCount == 327_200)
  }

  private func savedModel() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("architecture-validation-\(UUID().uuidString)")
    let model = Sequential(name: "m", seed: 1) {
      Input(shape: [28, 28])
      Flatten()
      Dense(units: 128)
    }
    try Checkpoint.save(model, to: directory)
    return directory
  }

  private func rewriteArchitecture(in directory: URL, _ edit: (String) -> String) throws {
    let url = directory.appendingPathComponent(Checkpoint.architectureFileName)
    let text = try String(contentsOf: url, encoding: .utf8)
    try edit(text).write(to: url, atomically: true, encoding: .utf8)
  }

  private func loadError(_ directory: URL) -> CheckpointError? {
    do {
      _ = try Checkpoint.loadSequential(from: directory)
      return nil
    } catch {
      return error
    }
  }

  @Test func theWeightsHeaderIsComparedBeforeAnythingIsAllocated() throws {
    let directory = try savedModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A 1448 × 1448 input makes dense.kernel 2 096 704 × 128 (1 GiB, just within the budget):
    // building the model first used to initialise all of it before the weights file was even
    // looked at.
    try rewriteArchitecture(in: directory) {
      $0.replacingOccurrences(
        of: #""shape"\s*:\s*\[\s*28,\s*28\s*\]"#, with: #""shape" : [1448, 1448]"#,
        options: .regularExpression)
    }
    let weights = directory.appendingPathComponent(Checkpoint.weightsFileName).path
    let start = Date()
    #expect(
      loadError(directory)
        == .shapeMismatch(file: weights, tensor: "dense.kernel", expected: [2_096_704, 128], found: [784, 128]))
    #expect(Date().timeIntervalSince(start) < 1)
  }

  @Test func duplicateKeysAndOutOfRangeNumbersInTheArchitectureAreNamed() throws {
    let directory = try savedModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent(Checkpoint.architectureFileName).path
    try rewriteArchitecture(in: directory) {
      $0.replacingOccurrences(of: "\"units\" : 128", with: "\"units\" : 128, \"units\" : 4")
    }
    func reason() throws -> String {
      guard case .corruptArchitecture(path, let reason) = loadError(directory) else {
        throw CheckpointError.corruptArchitecture(file: path, reason: "expected this error")
      }
      return reason
    }
    let duplicate = try reason()
    #expect(duplicate.contains("duplicate key \"units\""), "\(duplicate)")
    #expect(duplicate.contains("model.config.layers[2].config"), "\(duplicate)")
    try rewriteArchitecture(in: directory) {
      $0.replacingOccurrences(of: "\"units\" : 128, \"units\" : 4", with: "\"units\" : 1e400")
    }
    let range = try reason()
    #expect(range.contains("the number 1e400 is out of range"), "\(range)")
  }

  @Test func aDirectoryInPlaceOfAFileIsNamed() throws {
    let directory = try savedModel()
    defer { try? FileManager.default.removeItem(at: directory) }
    let weights = directory.appendingPathComponent(Checkpoint.weightsFileName)
    try FileManager.default.removeItem(at: weights)
    try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: false)
    #expect(
      loadError(directory)
        == .io(file: weights.path, operation: "reading", reason: "is a directory, expected a regular .safetensors file"))
  }

  @Test func hugeSafetensorsShapesDoNotOverflow() {
    // [2⁶², 1] × 4 bytes overflowed while the error message was formatted.
    let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,1],\"data_offsets\":[0,4]}}"
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes += $0 }
    bytes += Array(header.utf8) + [0, 0, 0, 0]
    #expect(throws: CheckpointError.invalidOffsets(
      file: "w.safetensors", tensor: "w",
      reason: "shape [4611686018427387904, 1] needs more than \(Int.max) bytes, the range holds 4")) {
      try Safetensors.decode(bytes, file: "w.safetensors")
    }
    let duplicate = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
    var twice: [UInt8] = []
    withUnsafeBytes(of: UInt64(duplicate.utf8.count).littleEndian) { twice += $0 }
    twice += Array(duplicate.utf8) + [0, 0, 0, 0]
    #expect {
      try Safetensors.decode(twice, file: "w.safetensors")
    } throws: { error in
      guard case CheckpointError.corruptHeader("w.safetensors", let reason) = error else { return false }
      return reason.contains("duplicate key \"w\"")
    }
  }
}
