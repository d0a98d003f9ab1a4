import Foundation
import SimilarityModels
import Testing

/// Loading EfficientNet-PyTorch checkpoints into the EfficientNet-Lite factory. The
/// checkpoints are written in the test (torch's zip format, random values) with the names and
/// shapes of the real `efficientnet-lite0-57934424.pth` (Fixtures/efficientnet_lite0_pytorch_shapes.tsv,
/// read from that file by scripts/golden/efficientnet_lite_pytorch_shapes.py).
@Suite struct EfficientNetLiteTorchWeightsTests {
  /// (name, PyTorch shape) of every float tensor of the real file.
  static func realShapes() throws -> [(name: String, shape: [Int])] {
    try ModelFixtures.text("efficientnet_lite0_pytorch_shapes.tsv").split(separator: "\n").map {
      let fields = $0.split(separator: "\t")
      return (String(fields[0]), fields[1].split(separator: ",").map { Int($0)! })
    }
  }

  /// A checkpoint with those names and shapes and values `sin(index + 1)` per tensor.
  static func checkpoint(dropping dropped: Set<String> = [], shapes: [(name: String, shape: [Int])])
    throws -> (TorchCheckpoint, [String: [Float]])
  {
    var tensors: [(name: String, shape: [Int], values: [Float])] = []
    for (index, entry) in shapes.enumerated() where !dropped.contains(entry.name) {
      let count = entry.shape.reduce(1, *)
      tensors.append(
        (entry.name, entry.shape, (0..<count).map { Float(sin(Double($0 * 7 + index + 1))) }))
    }
    let bytes = TorchCheckpoint.zipBytes(tensors)
    let values = Dictionary(tensors.map { ($0.name, $0.values) }) { a, _ in a }
    return (try TorchCheckpoint(bytes: bytes, file: "lite0.pt"), values)
  }

  @Test func everyTensorOfTheRealLayoutLoadsIntoTheClassifier() throws {
    let shapes = try Self.realShapes()
    let (checkpoint, values) = try Self.checkpoint(shapes: shapes)
    let model = try Functional.efficientNetLite(.lite0, top: .imageNetClassifier(dropout: 0.2))
    let loaded = try model.loadEfficientNetLiteWeights(.lite0, from: checkpoint, file: "lite0.pt")
    #expect(loaded == shapes.count)
    #expect(loaded == model.namedParameters.count)
    let parameters = Dictionary(model.namedParameters.map { ($0.name, $0.parameter) }) { a, _ in a }
    // Oracle: the index formulas of each layout, by loops over PyTorch's C order.
    let stem = try #require(values["_conv_stem.weight"])  // [32, 3, 3, 3] OIHW
    let kernel = try #require(parameters["stem_conv.kernel"]?.value)
    #expect(kernel.shape == [3, 3, 3, 32])
    for (o, i, h, w) in [(0, 0, 0, 0), (31, 2, 1, 2), (5, 1, 2, 0)] {
      #expect(kernel.scalars[((h * 3 + w) * 3 + i) * 32 + o] == stem[((o * 3 + i) * 3 + h) * 3 + w])
    }
    let depthwise = try #require(values["_blocks.1._depthwise_conv.weight"])  // [96, 1, 3, 3]
    let ours = try #require(parameters["block2a_dwconv.depthwise_kernel"]?.value)
    #expect(ours.shape == [3, 3, 96, 1])
    for (c, h, w) in [(0, 0, 0), (95, 2, 1), (40, 1, 2)] {
      #expect(ours.scalars[(h * 3 + w) * 96 + c] == depthwise[(c * 3 + h) * 3 + w])
    }
    let fc = try #require(values["_fc.weight"])  // [1000, 1280]
    let dense = try #require(parameters["predictions.kernel"]?.value)
    #expect(dense.shape == [1280, 1000])
    for (o, i) in [(0, 0), (999, 1279), (17, 640)] {
      #expect(dense.scalars[i * 1000 + o] == fc[o * 1280 + i])
    }
    #expect(parameters["top_bn.moving_variance"]?.value.scalars == values["_bn1.running_var"])
  }

  @Test func theEmbeddingModelLoadsTheBackboneAndKeepsItsHead() throws {
    let (checkpoint, _) = try Self.checkpoint(shapes: try Self.realShapes())
    let model = try Functional.efficientNetLite(.lite0)
    let head = model.namedParameters.filter { $0.name.hasPrefix("metric_embedding") }
    let before = head.map { $0.parameter.value.scalars }
    let loaded = try model.loadEfficientNetLiteWeights(.lite0, from: checkpoint, file: "lite0.pt")
    #expect(loaded == model.namedParameters.count - head.count)
    #expect(!head.isEmpty && head.map { $0.parameter.value.scalars } == before)
  }

  @Test func aMissingOrMisshapenTensorIsNamedAndNothingLoads() throws {
    var shapes = try Self.realShapes()
    let index = try #require(shapes.firstIndex { $0.name == "_blocks.3._project_conv.weight" })
    shapes[index].shape[1] += 1  // one input channel too many
    let (checkpoint, _) = try Self.checkpoint(dropping: ["_bn0.running_var"], shapes: shapes)
    let model = try Functional.efficientNetLite(.lite0, top: .imageNetClassifier(dropout: 0.2))
    let before = model.namedParameters.map { $0.parameter.value.scalars }
    let error = #expect(throws: WeightImportError.self) {
      try model.loadEfficientNetLiteWeights(.lite0, from: checkpoint, file: "lite0.pt")
    }
    #expect(error?.missing == ["_bn0.running_var → stem_bn.moving_variance"])
    #expect(error?.shapeMismatches.map(\.source) == ["_blocks.3._project_conv.weight"])
    #expect(error?.unexpected == [])
    #expect(model.namedParameters.map { $0.parameter.value.scalars } == before)
  }
}
