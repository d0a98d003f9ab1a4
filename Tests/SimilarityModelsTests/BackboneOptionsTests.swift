import Foundation
import Testing

@testable import SimilarityModels

/// TF Similarity's options on the factories: `trainable` against TF Similarity 0.17.1's own
/// counts (`scripts/golden/backbone_summaries.py`), heads, preprocessing and persistence.
@Suite struct BackboneOptionsTests {
  static let average = BackboneTop.embedding(size: 128, pooling: .average, l2Normalize: true)

  /// `(architecture, option) → (total, trainable)` from the fixture.
  static func tfSimilarityCounts() throws -> [String: (Int, Int)] {
    var counts: [String: (Int, Int)] = [:]
    for line in try ModelFixtures.text("tfsim_trainable_counts.tsv").split(separator: "\n") {
      let f = line.split(separator: "\t")
      counts["\(f[0]) \(f[1])"] = (Int(f[2])!, Int(f[3])!)
    }
    return counts
  }

  @Test(arguments: [Backbone.resNet50, .efficientNetB0])
  func trainabilityMatchesTFSimilarity(backbone: Backbone) throws {
    let counts = try Self.tfSimilarityCounts()
    // One build (weights are slow to draw in debug builds); the factory's own call of
    // applyTrainability is the one repeated here.
    let model = try backbone.make(top: Self.average)
    for option in BackboneTrainability.allCases {
      model.applyTrainability(option, partialTop: try #require(backbone.partialTopPattern))
      let (total, trainable) = try #require(counts["\(backbone.rawValue) \(option.rawValue)"])
      #expect(model.parameterCount == total, "\(backbone) \(option)")
      #expect(model.trainableParameterCount == trainable, "\(backbone) \(option)")
    }
  }

  /// A frozen backbone's batch normalisation keeps its moving statistics while training.
  @Test func frozenBatchNormalizationRunsInInferenceMode() throws {
    let model = try Backbone.efficientNetLite0.make(inputSize: (8, 8))
    model.freezeBatchNormalization()
    let bn = try #require(model.layer(named: "stem_bn") as? BatchNormalization)
    let before = try #require(bn.movingMean).value.scalars
    model.isTraining = true
    _ = model(randomTensor([2, 8, 8, 3], seed: 4))
    #expect(bn.movingMean?.value.scalars == before)
    #expect(model.layer(named: "metric_embedding")?.trainable == true)
  }

  @Test func headsHaveTheirShapesAndNames() throws {
    let image = randomTensor([1, 16, 16, 3], seed: 5)
    let cases: [(BackboneTop, String, [Int])] = [
      (.embedding(size: 8, pooling: .generalizedMean(p: 3), l2Normalize: false), "dense", [1, 8]),
      (.pooled(.max), "max_pool", [1, 1280]),
      (.features, "top_activation", [1, 1, 1, 1280]),
      (.imageNetClassifier(dropout: 0.2), "predictions", [1, 1000]),
    ]
    for (top, last, shape) in cases {
      let model = try Backbone.efficientNetLite0.make(inputSize: (16, 16), top: top)
      #expect(model.layers.last?.name == last)
      #expect(model(image).shape == shape)
    }
  }

  /// One small forward pass per family (on pixels scaled as the family says): shape and
  /// finite values.
  @Test(arguments: [
    (Backbone.resNet18, InputPreprocessing.symmetricUnit), (.resNet50, .caffe),
    (.efficientNetB0, .raw255),
  ])
  func familiesRunOnSmallImages(backbone: Backbone, preprocessing: InputPreprocessing) throws {
    let model = try backbone.make(inputSize: (32, 32), seed: 3)
    #expect(model.preprocessing == preprocessing)
    let output = model(preprocessing(randomTensor([2, 32, 32, 3], seed: 6) * 120 + 128))
    #expect(output.shape == [2, 128])
    #expect(output.scalars.allSatisfy { $0.isFinite })
  }

  @Test func inputSizesOutsideTheLimitsThrow() {
    #expect(throws: ArchitectureError.self) { try Backbone.resNet50.make(inputSize: (0, 224)) }
    #expect(throws: ArchitectureError.self) { try Backbone.resNet50.make(inputSize: (513, 8)) }
  }

  /// Save → load through `Checkpoint` (architecture JSON + safetensors): same layers,
  /// trainability and preprocessing, identical outputs.
  @Test func checkpointRoundTripsLite0() throws {
    let model = try Backbone.efficientNetLite0.make(
      inputSize: (32, 32), trainability: .partial, seed: 9)
    let json = try JSONEncoder().encode(try #require(model.configuration))
    #expect(String(decoding: json, as: UTF8.self).contains("\"preprocessing\":\"centered127\""))
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("backbone-roundtrip-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try #require(try Checkpoint.loadModel(from: directory) as? Functional)
    #expect(loaded.preprocessing == .centered127)
    #expect(loaded.summary() == model.summary())
    #expect(loaded.trainableParameterCount == model.trainableParameterCount)
    let images = InputPreprocessing.centered127(randomTensor([1, 32, 32, 3], seed: 1) * 127 + 128)
    #expect(loaded(images).scalars == model(images).scalars)
  }

  /// Keras' Normalization (with its scalar `count`) survives a checkpoint, inside the stem
  /// EfficientNet B uses.
  @Test func normalizationStemRoundTripsThroughACheckpoint() throws {
    let input = SymbolicTensor.input(shape: [6, 6, 3])
    var x = Rescaling(scale: 1 / 255)(input)
    x = Normalization(mean: [0.4, 0.5, 0.6], variance: [0.05, 0.06, 0.07])(x)
    x = Conv2D(filters: 2, kernelSize: (3, 3))(x)
    let model = try Functional(inputs: input, outputs: x, seed: 2)
    model.layer(named: "normalization")?.parameters[2].value = Tensor(shape: [], scalars: [12])
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("normalization-roundtrip-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try #require(try Checkpoint.loadModel(from: directory) as? Functional)
    #expect(loaded.layer(named: "normalization")?.parameters.map(\.value.scalars)
      == [[0.4, 0.5, 0.6], [0.05, 0.06, 0.07], [12]])
    let images = randomTensor([2, 6, 6, 3], seed: 3) * 127 + 128
    #expect(loaded(images).scalars == model(images).scalars)
  }

  @Test func preprocessingIsRecordedPerFamily() throws {
    #expect(EfficientNetLiteVariant.lite0.preprocessing == .centered127)
    #expect(EfficientNetVariant.b0.preprocessing == .raw255)
  }

  /// Each scaling on known pixels (analytic values).
  @Test func preprocessingScalesPixels() {
    let pixels = Tensor(shape: [1, 1, 2, 3], scalars: [0, 127.5, 255, 255, 0, 127])
    func expectClose(_ p: InputPreprocessing, _ expected: [Float]) {
      let got = p(pixels).scalars
      #expect(got.count == expected.count)
      for (a, b) in zip(got, expected) { #expect(abs(a - b) < 1e-5, "\(p)") }
    }
    expectClose(.raw255, pixels.scalars)
    let unit: [Float] = [-1, 0, 1, 1, -1, 127 / 127.5 - 1]
    expectClose(.symmetricUnit, unit)
    let centered: [Float] = [-127 / 128, 0.5 / 128, 1, 1, -127 / 128, 0]
    expectClose(.centered127, centered)
    let m: [Float] = [0.485, 0.456, 0.406]
    let s: [Float] = [0.229, 0.224, 0.225]
    let rgb: [Float] = [0, 0.5, 1, 1, 0, 127 / 255]
    expectClose(.imageNetMeanStd, rgb.indices.map { (rgb[$0] - m[$0 % 3]) / s[$0 % 3] })
    // Caffe: BGR order, minus the BGR mean.
    let bgr: [Float] = [255, 127.5, 0, 127, 0, 255]
    let mean: [Float] = [103.939, 116.779, 123.68]
    expectClose(.caffe, bgr.indices.map { bgr[$0] - mean[$0 % 3] })
  }
}

/// README's backbone example, compiled (not run: a full-size forward pass).
func readmeBackboneExample(images: Tensor) throws -> Tensor {
  let backbone = try Backbone.efficientNetB0.make(
    top: .embedding(size: 128, pooling: .generalizedMean(p: 3), l2Normalize: true),
    trainability: .partial)
  let vectors = backbone(backbone.preprocessing!(images))  // images [batch, 224, 224, 3] in 0…255
  return vectors
}
