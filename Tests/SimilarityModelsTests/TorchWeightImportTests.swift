import Foundation
import SimilarityModels
import Testing

@Suite struct TorchWeightImportTests {
  /// conv 2x2 → batch norm → depthwise 3x3 → global average → dense, named like the fixture's
  /// PyTorch modules.
  static func tinyModel() -> Sequential {
    Sequential(seed: 3) {
      Input(shape: [5, 5, 3])
      Conv2D(filters: 4, kernelSize: (2, 2), name: "conv")
      BatchNormalization(name: "bn")
      DepthwiseConv2D(kernelSize: (3, 3), useBias: false, name: "dw")
      GlobalAveragePooling2D()
      Dense(units: 2, name: "fc")
    }
  }

  static func tinyMap() -> TorchNameMap {
    var map = TorchNameMap()
    map.convolution("conv", "conv")
    map.batchNormalization("bn", "bn")
    map.depthwise("dw", "dw", bias: false)
    map.dense("fc", "fc")
    map.ignoredSuffixes.append("extra.half")
    return map
  }

  @Test(arguments: ["tiny_legacy.pth", "tiny_zip.pt"])
  func appliedWeightsReproduceTheNumpyForwardPass(file: String) throws {
    // Oracle: the fixture script's numpy forward pass written from PyTorch's definitions
    // (cross-correlation over OIHW weights), and numpy's transposes for the stored layouts.
    let expected = try TorchFixtures.expected()
    let model = Self.tinyModel()
    let path = try TorchFixtures.path(file)
    let loaded = try TorchCheckpoint(contentsOf: path).load(
      into: model, map: Self.tinyMap(), file: path)
    #expect(loaded == 9)
    let parameters = Dictionary(model.namedParameters.map { ($0.name, $0.parameter) }) { a, _ in a }
    for (name, values) in expected.ours {
      #expect(parameters[name]?.value.scalars == values.map { Float($0) }, "\(name)")
    }
    let input = Tensor(shape: [1, 5, 5, 3], scalars: expected.input.map { Float($0) })
    let output = model(input).scalars
    #expect(output.count == 2)
    for (ours, reference) in zip(output, expected.output) {
      #expect(abs(Double(ours) - reference) < 1e-4, "\(output) vs \(expected.output)")
    }
  }

  @Test func listsEveryProblemAndChangesNothing() throws {
    let path = try TorchFixtures.path("tiny_zip.pt")
    let checkpoint = try TorchCheckpoint(contentsOf: path)
    let model = Self.tinyModel()
    let before = model.namedParameters.map { $0.parameter.value.scalars }
    var map = TorchNameMap()
    map.convolution("conv", "conv")
    map.batchNormalization("bn", "bn")
    map.add("dw.weight", "dw.depthwise_kernel", layout: .convolution)  // wrong layout
    map.dense("head", "fc")  // names the file lacks
    map.add("bn.num_batches_tracked", "bn.gamma")  // integer tensor, target fed twice
    let error = #expect(throws: WeightImportError.self) {
      try checkpoint.load(into: model, map: map, file: path)
    }
    #expect(error?.missing == ["head.weight → fc.kernel", "head.bias → fc.bias"])
    #expect(error?.unexpected == ["fc.weight", "fc.bias", "extra.half"])
    #expect(error?.shapeMismatches.map(\.source) == ["dw.weight"])
    #expect(error?.shapeMismatches.first?.converted == [3, 3, 1, 4])
    #expect(error?.shapeMismatches.first?.expected == [3, 3, 4, 1])
    #expect(error?.invalidEntries.count == 1)
    #expect(error?.description.hasPrefix("\(path): cannot import weights: 2 missing") == true)
    // Nothing was assigned, although conv and bn were valid.
    #expect(model.namedParameters.map { $0.parameter.value.scalars } == before)
  }

  @Test func reportsParametersNoEntryFeeds() throws {
    let path = try TorchFixtures.path("tiny_legacy.pth")
    let checkpoint = try TorchCheckpoint(contentsOf: path)
    var map = Self.tinyMap()
    map.entries.removeAll { $0.ours.hasPrefix("fc.") }
    map.ignoredSuffixes += ["fc.weight", "fc.bias"]
    let error = #expect(throws: WeightImportError.self) {
      try checkpoint.load(into: Self.tinyModel(), map: map, file: path)
    }
    #expect(error?.missing == ["fc.kernel", "fc.bias"])
    // Allowed when the caller keeps its own head.
    #expect(
      try checkpoint.load(into: Self.tinyModel(), map: map, file: path, requireAllParameters: false)
        == 7)
  }

  @Test func layoutsPermuteAxes() {
    // Oracle: the index formula out[h][w][i][o] = in[o][i][h][w], by loops.
    let shape = [2, 3, 2, 2]
    let values = (0..<24).map(Float.init)
    let converted = PyTorchTensorLayout.convolution.transform(
      shape: shape, values: values, target: [2, 2, 3, 2])
    #expect(converted?.shape == [2, 2, 3, 2])
    var naive: [Float] = []
    for h in 0..<2 {
      for w in 0..<2 {
        for i in 0..<3 {
          for o in 0..<2 {
            naive.append(values[((o * 3 + i) * 2 + h) * 2 + w])
          }
        }
      }
    }
    #expect(converted?.values == naive)
    #expect(
      PyTorchTensorLayout.dense.transform(
        shape: [2, 3], values: values.prefix(6).map { $0 }, target: [3, 2])?.values == [
          0, 3, 1, 4, 2, 5,
        ])
    #expect(
      PyTorchTensorLayout.dense.transform(shape: [2, 3, 1], values: [], target: [3, 2]) == nil)
  }
}
