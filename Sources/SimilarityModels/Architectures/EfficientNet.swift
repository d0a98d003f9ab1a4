import SimilarityLayers

/// EfficientNet-B0…B2 as Keras' `keras.applications.EfficientNetB0…B2` define them
/// (Tan & Le 2019, https://arxiv.org/abs/1905.11946): swish, squeeze-and-excitation with
/// ratio 0.25, drop-connect 0.2, width/depth scaling of both the stages and the stem/head —
/// the backbones of TF Similarity's `EfficientNetSim`.
public enum EfficientNetVariant: Int, CaseIterable, Sendable {
  case b0, b1, b2

  /// (width, depth, resolution, dropout) of Keras' `EfficientNetB0…B2`.
  var coefficients: (width: Double, depth: Double, resolution: Int, dropout: Float) {
    switch self {
    case .b0: (1.0, 1.0, 224, 0.2)
    case .b1: (1.0, 1.1, 240, 0.2)
    case .b2: (1.1, 1.2, 260, 0.3)
    }
  }

  /// The image side the variant was trained at (TF Similarity's `EFF_INPUT_SIZE`): 224, 240, 260.
  public var resolution: Int { coefficients.resolution }

  /// The dropout rate before the ImageNet classifier (0.2, 0.2, 0.3).
  public var classifierDropout: Float { coefficients.dropout }

  /// `efficientnetb0` … (Keras' model name).
  public var modelName: String { "efficientnetb\(rawValue)" }

  /// Keras' EfficientNet takes [0, 255] pixels and scales them itself.
  public var preprocessing: InputPreprocessing { .raw255 }

  /// The width and depth multipliers.
  var scaling: EfficientNetScaling {
    EfficientNetScaling(width: coefficients.width, depth: coefficients.depth)
  }

  /// The scaled stages.
  var body: EfficientNetBody {
    EfficientNetBody(
      scaling: scaling,
      style: MBConvStyle(
        activation: .swish, squeezeExcitationRatio: 0.25, explicitStridePadding: true),
      fixedEndRepeats: false, dropConnectRate: 0.2)
  }
}

extension Functional {
  /// EfficientNet-B0…B2 (``EfficientNetVariant``) on RGB images `[batch, height, width, 3]`
  /// with values in [0, 255], layer for layer as Keras' application (same names, types,
  /// order and parameter counts; `scripts/golden/backbone_summaries.py`), ending in `top`.
  ///
  /// Layers: `input_1`, `rescaling` (1/255), `normalization` (per-channel mean and variance,
  /// 7 non-trainable values), `stem_conv_pad`, `stem_conv`, `stem_bn`, `stem_activation`;
  /// blocks `block{stage}{letter}_` with `expand_conv`/`expand_bn`/`expand_activation`
  /// (not in stage 1), `dwconv_pad` (stride 2 only), `dwconv`, `bn`, `activation`,
  /// `se_squeeze`, `se_reshape`, `se_reduce`, `se_expand`, `se_excite`, `project_conv`,
  /// `project_bn`, and `drop` (drop-connect: a ``Dropout`` with noise shape
  /// `[nil, 1, 1, 1]`) + `add` on residual blocks; `top_conv`, `top_bn`,
  /// `top_activation`; then the ``BackboneTop`` layers.
  ///
  /// Keras' ImageNet weights are meant for a model that also multiplies the normalised
  /// input by `1 / √std` per channel (a `tf.math.multiply` Keras adds only when
  /// `weights="imagenet"`, tensorflow/tensorflow#49930); an importer folds that factor into the
  /// `normalization` layer's `variance` (times `std`).
  ///
  /// - Parameters:
  ///   - inputShape: `[height, width, 3]`; by default the variant's resolution.
  ///   - trainability: TF Similarity's `trainable` (`partial`: `^block[5,6,7]|^top`).
  public static func efficientNet(
    _ variant: EfficientNetVariant, inputShape: [Int]? = nil,
    top: BackboneTop = .defaultEmbedding, trainability: BackboneTrainability = .full,
    seed: UInt64 = 0
  ) throws(ArchitectureError) -> Functional {
    let shape = inputShape ?? [variant.resolution, variant.resolution, 3]
    let input = SymbolicTensor.input(shape: shape, name: "input_1")
    var x = Rescaling(scale: 1 / 255, name: "rescaling")(input)
    x = Normalization(name: "normalization")(x)
    x = ZeroPadding2D(padding: correctPadding(x.shape, kernelSize: 3), name: "stem_conv_pad")(x)
    x = Conv2D(
      filters: variant.scaling.filters(32), kernelSize: (3, 3), strides: (2, 2),
      padding: .valid, useBias: false, kernelInitializer: .heNormalFanOut, name: "stem_conv")(x)
    x = BatchNormalization(name: "stem_bn")(x)
    x = ActivationLayer(.swish, name: "stem_activation")(x)
    x = try variant.body(x, seed: seed)
    x = Conv2D(
      filters: variant.scaling.filters(1280), kernelSize: (1, 1), padding: .same,
      useBias: false, kernelInitializer: .heNormalFanOut, name: "top_conv")(x)
    x = BatchNormalization(name: "top_bn")(x)
    x = ActivationLayer(.swish, name: "top_activation")(x)
    let output = top(x, seed: seed)
    let model = try Functional(inputs: input, outputs: output, name: variant.modelName, seed: seed)
    model.preprocessing = variant.preprocessing
    model.applyTrainability(trainability, partialTop: Backbone.efficientNetB0.partialTopPattern!)
    return model
  }
}
