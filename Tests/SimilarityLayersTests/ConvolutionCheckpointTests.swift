import Foundation
import SimilarityLayers
import Testing

/// Models made of the convolution layers of issue #15 survive a checkpoint (architecture.json
/// + safetensors) with identical outputs, and their summaries count Keras' parameters.
@Suite struct ConvolutionCheckpointTests {
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-conv-layers-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static let models: [@Sendable () -> Sequential] = [
    {
      Sequential(seed: 4) {
        Input(shape: [9, 8, 4])
        DepthwiseConv2D(kernelSize: (3, 3), padding: .same, depthMultiplier: 2, activation: .relu)
        SeparableConv2D(filters: 6, kernelSize: (3, 3), strides: (2, 2), padding: .same)
        Conv2D(filters: 6, kernelSize: (3, 3), padding: .same, groups: 3)
        Conv2DTranspose(filters: 4, kernelSize: (4, 4), strides: (2, 2), padding: .same, outputPadding: (1, 1))
        Flatten()
        Dense(units: 3)
      }
    },
    {
      Sequential(seed: 5) {
        Input(shape: [12, 4])
        Conv1D(filters: 6, kernelSize: 3, strides: 2, padding: .same, groups: 2, activation: .tanh)
        Conv1D(filters: 2, kernelSize: 2, dilationRate: 2)
      }
    },
    {
      Sequential(seed: 6) {
        Input(shape: [4, 5, 5, 2])
        Conv3D(filters: 3, kernelSize: (2, 2, 2), padding: .same, activation: .relu)
        Conv3DTranspose(filters: 2, kernelSize: (2, 3, 3), strides: (2, 2, 2), padding: .same)
      }
    },
  ]

  @Test(arguments: 0..<3)
  func checkpointsRoundTripWithIdenticalOutputs(_ index: Int) throws {
    let model = Self.models[index]()
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadSequential(from: directory)
    #expect(try loaded.sequentialConfiguration() == model.sequentialConfiguration())
    #expect(loaded.namedParameters.map(\.name) == model.namedParameters.map(\.name))
    let shape = [2] + model.input.shape
    let x = randomTensor(shape, seed: 31)
    #expect(loaded(x).scalars == model(x).scalars)
    #expect(loaded.layerOutputShapes == model.layerOutputShapes)
  }

  @Test func namesAndSummaryFollowKeras() throws {
    let model = Self.models[0]()
    #expect(model.layers.prefix(4).map(\.name) == ["depthwise_conv2d", "separable_conv2d", "conv2d", "conv2d_transpose"])
    #expect(
      model.namedParameters.map(\.name).prefix(5) == [
        "depthwise_conv2d.depthwise_kernel", "depthwise_conv2d.bias",
        "separable_conv2d.depthwise_kernel", "separable_conv2d.pointwise_kernel", "separable_conv2d.bias",
      ])
    // Keras: 3·3·4·2 + 8 = 80; 3·3·8 + 8·6 + 6 = 126; 3·3·2·6 + 6 = 114; 4·4·4·6 + 4 = 388;
    // the transposed convolution gives 9 × 7 × 4 (output padding 1, 1), so the Dense layer
    // sees 252 features: 252·3 + 3 = 759.
    #expect(model.layers.map(\.parameterCount) == [80, 126, 114, 388, 0, 759])
    let summary = model.summary()
    // Keras' layout: long "name (type)" cells wrap at 26 characters.
    #expect(summary.contains(" depthwise_conv2d (Depthwis  (None, 9, 8, 8)           80"))
    #expect(summary.contains(" conv2d_transpose (Conv2DTr  (None, 9, 7, 4)           388"))
    #expect(summary.contains("Total params: 1,467"))
  }
}
