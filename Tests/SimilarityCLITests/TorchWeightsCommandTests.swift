import Foundation
import SimilarityDatasets
import SimilarityModels
import Testing

/// `similarity classify` and `similarity summary … --weights` on PyTorch checkpoints written
/// by the test from a randomly initialised EfficientNet-Lite0 classifier.
@Suite struct TorchWeightsCommandTests {
  /// The model's parameters under EfficientNet-PyTorch names and layouts, written with
  /// `TorchCheckpoint.writeZip`.
  static func exportLite0(_ model: Functional, to url: URL) throws {
    let parameters = Dictionary(model.namedParameters.map { ($0.name, $0.parameter.value) }) {
      a, _ in a
    }
    var tensors: [(name: String, shape: [Int], values: [Float])] = []
    for pair in Functional.efficientNetLitePyTorchNames(.lite0) {
      let value = try #require(parameters[pair.ours])
      let (shape, v) = (value.shape, value.scalars)
      switch pair.layout {
      case .vector:
        tensors.append((pair.theirs, shape, v))
      case .convolution, .depthwise:  // ours [h, w, i, o] → theirs [o, i, h, w] (depthwise: m = 1)
        let (h, w, i, o) = (shape[0], shape[1], shape[2], shape[3])
        var out = [Float](repeating: 0, count: v.count)
        for a in 0..<h {
          for b in 0..<w {
            for c in 0..<i {
              for d in 0..<o {
                out[((d * i + c) * h + a) * w + b] = v[((a * w + b) * i + c) * o + d]
              }
            }
          }
        }
        tensors.append(
          pair.layout == .convolution
            ? (pair.theirs, [o, i, h, w], out) : (pair.theirs, [i, o, h, w], out))
      case .dense:  // ours [in, out] → theirs [out, in]
        let (i, o) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: v.count)
        for a in 0..<i { for b in 0..<o { out[b * i + a] = v[a * o + b] } }
        tensors.append((pair.theirs, [o, i], out))
      }
    }
    try TorchCheckpoint.writeZip(tensors, to: url.path)
  }

  @Test func classifyReproducesTheExportedModelsLogits() throws {
    let directory = try CLI.temporaryDirectory()
    let model = try Functional.efficientNetLite(
      .lite0, top: .imageNetClassifier(dropout: 0.2), seed: 5)
    let weights = directory.appendingPathComponent("lite0.pt")
    try Self.exportLite0(model, to: weights)
    let pixels = (0..<224 * 224 * 3).map { Float(($0 * 37) % 256) }
    let images = directory.appendingPathComponent("images.npy")
    try NPYWriter.floats(pixels, shape: [1, 224, 224, 3], to: images)
    let logits = directory.appendingPathComponent("logits.npy")
    let features = directory.appendingPathComponent("features.npy")
    let result = try CLI.succeed([
      "classify", "efficientnet-lite0", "--weights", weights.path, "--images", images.path,
      "--output", logits.path, "--features", features.path, "--top", "3",
    ])
    #expect(result.stdout.contains("loaded 247 tensors"))
    #expect(result.stdout.contains("image 0: top-3 "))
    // Oracle: the original model's own logits (the export inverts the layouts by loops, the
    // import converts them back).
    let expected = model.imageNetLogits(
      .lite0, pixels: Tensor(shape: [1, 224, 224, 3], scalars: pixels))
    let written = try NPYFile.read(from: logits)
    #expect(written.shape == [1, 1000])
    let delta = zip(written.floats, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
    #expect(delta < 1e-5)
    // The pooled features, through the classifier's own weights, give the same logits.
    let pooled = try NPYFile.read(from: features)
    #expect(pooled.shape == [1, 1280])
    let parameters = Dictionary(model.namedParameters.map { ($0.name, $0.parameter.value) }) {
      a, _ in a
    }
    let kernel = try #require(parameters["predictions.kernel"]).scalars
    let bias = try #require(parameters["predictions.bias"]).scalars
    let recomputed = (0..<1000).map { o in
      (0..<1280).reduce(bias[o]) { $0 + pooled.floats[$1] * kernel[$1 * 1000 + o] }
    }
    let featureDelta = zip(recomputed, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
    #expect(featureDelta < 1e-4)

    let summary = try CLI.succeed(["summary", "efficientnet-lite0-sim", "--weights", weights.path])
    // The embedding model has no ImageNet classifier: `_fc.weight` and `_fc.bias` stay unused.
    #expect(summary.stdout.contains("Loaded 245 of the checkpoint's 247 tensors"))
  }

  @Test func badWeightsAndImagesAreNamed() throws {
    let directory = try CLI.temporaryDirectory()
    let notCheckpoint = directory.appendingPathComponent("notes.pth")
    try Data("hello".utf8).write(to: notCheckpoint)
    let images = directory.appendingPathComponent("images.npy")
    try NPYWriter.floats(
      [Float](repeating: 0, count: 224 * 224 * 3), shape: [1, 224, 224, 3], to: images)
    let small = directory.appendingPathComponent("small.npy")
    try NPYWriter.floats([Float](repeating: 0, count: 8 * 8 * 3), shape: [1, 8, 8, 3], to: small)

    let refused = try CLI.run([
      "classify", "efficientnet-lite0", "--weights", notCheckpoint.path, "--images", images.path,
    ])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("\(notCheckpoint.path): is not a PyTorch checkpoint"))

    let wrongShape = try CLI.run([
      "classify", "efficientnet-lite0", "--weights", notCheckpoint.path, "--images", small.path,
    ])
    #expect(wrongShape.stderr.contains("shape [1, 8, 8, 3], expected [N, 224, 224, 3]"))

    let badTop = try CLI.run([
      "classify", "efficientnet-lite0", "--weights", notCheckpoint.path, "--images", images.path,
      "--top", "0",
    ])
    #expect(badTop.stderr.contains("--top: expected an integer in 1…1000, found 0"))
    let overwrite = try CLI.run([
      "classify", "efficientnet-lite0", "--weights", notCheckpoint.path, "--images", images.path,
      "--output", images.path,
    ])
    #expect(overwrite.status != 0)
    #expect(overwrite.stderr.contains("--output"))

    let noMap = try CLI.run(["summary", "keras-siamese", "--weights", notCheckpoint.path])
    #expect(noMap.status != 0)
    #expect(noMap.stderr.contains("keras-siamese has no PyTorch name map"))
  }
}
