import SimilarityLayers

/// One stage of EfficientNet-B0 (Tan & Le 2019, https://arxiv.org/abs/1905.11946, table 1):
/// `repeats` mobile inverted bottleneck (MBConv) blocks, the first with `stride` and
/// `inputFilters → outputFilters`, the others with stride 1 and `outputFilters` in and out.
struct EfficientNetStage {
  let kernelSize: Int
  let repeats: Int
  let inputFilters: Int
  let outputFilters: Int
  let expandRatio: Int
  let stride: Int

  /// The seven stages of EfficientNet-B0, shared by every B and Lite variant before scaling.
  static let b0: [EfficientNetStage] = [
    .init(kernelSize: 3, repeats: 1, inputFilters: 32, outputFilters: 16, expandRatio: 1, stride: 1),
    .init(kernelSize: 3, repeats: 2, inputFilters: 16, outputFilters: 24, expandRatio: 6, stride: 2),
    .init(kernelSize: 5, repeats: 2, inputFilters: 24, outputFilters: 40, expandRatio: 6, stride: 2),
    .init(kernelSize: 3, repeats: 3, inputFilters: 40, outputFilters: 80, expandRatio: 6, stride: 2),
    .init(kernelSize: 5, repeats: 3, inputFilters: 80, outputFilters: 112, expandRatio: 6, stride: 1),
    .init(kernelSize: 5, repeats: 4, inputFilters: 112, outputFilters: 192, expandRatio: 6, stride: 2),
    .init(kernelSize: 3, repeats: 1, inputFilters: 192, outputFilters: 320, expandRatio: 6, stride: 1),
  ]
}

/// EfficientNet's width and depth scaling, as TensorFlow's reference and Keras round them.
struct EfficientNetScaling {
  /// Channel multiplier.
  let width: Double
  /// Block-count multiplier.
  let depth: Double

  /// `filters · width` rounded to a multiple of 8, never below 8 nor more than 10 % under.
  func filters(_ filters: Int) -> Int {
    let scaled = Double(filters) * width
    var rounded = max(8, Int(scaled + 4) / 8 * 8)
    if Double(rounded) < 0.9 * scaled { rounded += 8 }
    return rounded
  }

  /// `⌈repeats · depth⌉`.
  func repeats(_ repeats: Int) -> Int { Int((Double(repeats) * depth).rounded(.up)) }
}

/// What differs between the Keras EfficientNet blocks and the Lite ones.
struct MBConvStyle {
  /// `swish` (B0–B7) or `relu6` (Lite).
  let activation: Activation
  /// Squeeze-and-excitation ratio of the block's input channels (0.25; 0: none, Lite).
  let squeezeExcitationRatio: Double
  /// Whether stride-2 depthwise convolutions get an explicit `ZeroPadding2D`
  /// (`…_dwconv_pad`, Keras' `correct_pad`) and `.valid` padding, as Keras writes them, rather
  /// than TensorFlow-'same' padding. Both pad alike: `(k − 1) / 2 − 1` before and `(k − 1) / 2`
  /// after on even extents, `(k − 1) / 2` on both sides on odd ones.
  let explicitStridePadding: Bool
}

/// Names and shapes of one MBConv block being recorded.
struct MBConvBlock {
  /// `block1a_` … (Keras' prefix: stage number, then a letter per repeat).
  let prefix: String
  let kernelSize: Int
  let stride: Int
  let inputFilters: Int
  let outputFilters: Int
  let expandRatio: Int
  /// Drop-connect rate for the residual branch (0: no `…_drop` layer).
  let dropRate: Float
  let style: MBConvStyle

  /// Records the block on `inputs` `[batch, h, w, inputFilters]`, giving
  /// `[batch, h / stride, w / stride, outputFilters]`:
  /// expand 1×1 conv + BN + activation (when `expandRatio` > 1), depthwise k×k conv + BN +
  /// activation, squeeze-and-excitation (when the style has it), project 1×1 conv + BN, and
  /// a residual `Add` when the stride is 1 and the channels are unchanged.
  func callAsFunction(_ inputs: SymbolicTensor, seed: UInt64) throws(ArchitectureError)
    -> SymbolicTensor
  {
    let filters = inputFilters * expandRatio
    var x = inputs
    if expandRatio != 1 {
      x = Conv2D(
        filters: filters, kernelSize: (1, 1), padding: .same, useBias: false,
        kernelInitializer: .heNormalFanOut, name: prefix + "expand_conv")(x)
      x = BatchNormalization(name: prefix + "expand_bn")(x)
      x = ActivationLayer(style.activation, name: prefix + "expand_activation")(x)
    }
    var padding = Padding.same
    if stride == 2 && style.explicitStridePadding {
      x = ZeroPadding2D(
        padding: correctPadding(x.shape, kernelSize: kernelSize), name: prefix + "dwconv_pad")(x)
      padding = .valid
    }
    x = DepthwiseConv2D(
      kernelSize: (kernelSize, kernelSize), strides: (stride, stride), padding: padding,
      useBias: false, depthwiseInitializer: .heNormalFanOut, name: prefix + "dwconv")(x)
    x = BatchNormalization(name: prefix + "bn")(x)
    x = ActivationLayer(style.activation, name: prefix + "activation")(x)
    if style.squeezeExcitationRatio > 0 {
      let squeezed = max(1, Int(Double(inputFilters) * style.squeezeExcitationRatio))
      var se = GlobalAveragePooling2D(name: prefix + "se_squeeze")(x)
      se = Reshape(targetShape: [1, 1, filters], name: prefix + "se_reshape")(se)
      se = Conv2D(
        filters: squeezed, kernelSize: (1, 1), padding: .same, activation: style.activation,
        kernelInitializer: .heNormalFanOut, name: prefix + "se_reduce")(se)
      se = Conv2D(
        filters: filters, kernelSize: (1, 1), padding: .same, activation: .sigmoid,
        kernelInitializer: .heNormalFanOut, name: prefix + "se_expand")(se)
      x = try Multiply(name: prefix + "se_excite")([x, se])
    }
    x = Conv2D(
      filters: outputFilters, kernelSize: (1, 1), padding: .same, useBias: false,
      kernelInitializer: .heNormalFanOut, name: prefix + "project_conv")(x)
    x = BatchNormalization(name: prefix + "project_bn")(x)
    guard stride == 1 && inputFilters == outputFilters else { return x }
    if dropRate > 0 {
      x = Dropout(rate: dropRate, noiseShape: [nil, 1, 1, 1], seed: seed, name: prefix + "drop")(x)
    }
    return try Add(name: prefix + "add")([x, inputs])
  }
}

/// Keras' `imagenet_utils.correct_pad`: the zero padding that makes a stride-2 `.valid`
/// convolution with a `kernelSize` kernel pad as TensorFlow's 'same' does, for an input
/// `[nil, h, w, c]`.
func correctPadding(_ shape: LayerShape, kernelSize: Int) -> ((Int, Int), (Int, Int)) {
  let half = kernelSize / 2
  let adjust = { (extent: Int?) in extent.map { 1 - $0 % 2 } ?? 1 }
  return ((half - adjust(shape[1]), half), (half - adjust(shape[2]), half))
}
