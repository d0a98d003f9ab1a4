import SimilarityLayers

/// EfficientNet-Lite0…4 (TensorFlow's `tpu/models/official/efficientnet/lite`, the edge
/// variants of EfficientNet, https://arxiv.org/abs/1905.11946): the seven MBConv stages of
/// EfficientNet-B0 with ReLU6 instead of swish, no squeeze-and-excitation, the stem fixed at
/// 32 filters and the head at 1280, and the first and last stages' repeats left unscaled.
public enum EfficientNetLiteVariant: Int, CaseIterable, Sendable {
  case lite0, lite1, lite2, lite3, lite4

  /// (width, depth, resolution, dropout) of TensorFlow's `efficientnet_lite_params`.
  var coefficients: (width: Double, depth: Double, resolution: Int, dropout: Float) {
    switch self {
    case .lite0: (1.0, 1.0, 224, 0.2)
    case .lite1: (1.0, 1.1, 240, 0.2)
    case .lite2: (1.1, 1.2, 260, 0.3)
    case .lite3: (1.2, 1.4, 280, 0.3)
    case .lite4: (1.4, 1.8, 300, 0.3)
    }
  }

  /// The image side the variant was trained at: 224, 240, 260, 280, 300.
  public var resolution: Int { coefficients.resolution }

  /// The dropout rate before the ImageNet classifier (0.2 for Lite0–1, 0.3 for Lite2–4).
  public var classifierDropout: Float { coefficients.dropout }

  /// `efficientnet_lite0` … (the model's name).
  public var modelName: String { "efficientnet_lite\(rawValue)" }

  /// The input scaling the ImageNet weights expect: `(x − 127) / 128`.
  public var preprocessing: InputPreprocessing { .centered127 }

  /// The scaled stages.
  var body: EfficientNetBody {
    EfficientNetBody(
      scaling: EfficientNetScaling(width: coefficients.width, depth: coefficients.depth),
      style: MBConvStyle(
        activation: .relu6, squeezeExcitationRatio: 0, explicitStridePadding: false),
      fixedEndRepeats: true, dropConnectRate: 0.2)
  }
}

extension Functional {
  /// EfficientNet-Lite (``EfficientNetLiteVariant``) as a graph model on RGB images
  /// `[batch, height, width, 3]` scaled by ``InputPreprocessing/centered127``, ending in
  /// `top` (TF Similarity's embedding head by default: `[batch, 128]`).
  ///
  /// Layers (Keras' EfficientNet names, so one naming scheme serves both families):
  /// - `input_1`; stem `stem_conv` (3×3, stride 2, 32 filters, no bias), `stem_bn`,
  ///   `stem_activation` (ReLU6);
  /// - blocks `block{stage}{letter}_` (stage 1…7, letters a, b, … per repeat; Lite0 has
  ///   16: 1a, 2a–b, 3a–b, 4a–c, 5a–c, 6a–d, 7a): `expand_conv`, `expand_bn`,
  ///   `expand_activation` (absent in stage 1, whose expansion ratio is 1), `dwconv`, `bn`,
  ///   `activation`, `project_conv`, `project_bn`, and on blocks with stride 1 and unchanged
  ///   channels `drop` (drop-connect, a per-example ``Dropout``) and `add`;
  /// - head `top_conv` (1×1, 1280 filters, no bias), `top_bn`, `top_activation`;
  /// - then the ``BackboneTop`` layers (`gem_pool`/`avg_pool`/`max_pool`,
  ///   `metric_embedding`/`dense`, or `avg_pool`, `top_dropout`, `predictions`).
  ///
  /// Parameter paths are `layer.weight` with Keras' weight names (`stem_conv.kernel`,
  /// `block2a_bn.moving_variance`, `block1a_dwconv.depthwise_kernel`, `predictions.bias`);
  /// ``efficientNetLitePyTorchNames(_:)`` pairs each with its EfficientNet-PyTorch name.
  ///
  /// Padding is TensorFlow's 'same' (`Padding.same`: `⌊total / 2⌋` before, the rest after),
  /// as in the TensorFlow reference and timm's `tf_efficientnet_lite*` from which the
  /// ImageNet weights come; on a 224×224 input a stride-2 3×3 convolution pads 0 rows
  /// above and 1 below, unlike PyTorch's symmetric `padding=1`. Batch normalisation uses
  /// TensorFlow's momentum 0.99 and epsilon 1e-3.
  ///
  /// - Parameters:
  ///   - inputShape: `[height, width, 3]`; by default the variant's resolution.
  ///   - trainability: TF Similarity's `trainable` (`partial`: `^block[5,6,7]|^top`).
  public static func efficientNetLite(
    _ variant: EfficientNetLiteVariant, inputShape: [Int]? = nil,
    top: BackboneTop = .defaultEmbedding, trainability: BackboneTrainability = .full,
    seed: UInt64 = 0
  ) throws(ArchitectureError) -> Functional {
    let shape = inputShape ?? [variant.resolution, variant.resolution, 3]
    let input = SymbolicTensor.input(shape: shape, name: "input_1")
    var x = Conv2D(
      filters: 32, kernelSize: (3, 3), strides: (2, 2), padding: .same, useBias: false,
      kernelInitializer: .heNormalFanOut, name: "stem_conv")(input)
    x = BatchNormalization(name: "stem_bn")(x)
    x = ActivationLayer(.relu6, name: "stem_activation")(x)
    x = try variant.body(x, seed: seed)
    x = Conv2D(
      filters: 1280, kernelSize: (1, 1), padding: .same, useBias: false,
      kernelInitializer: .heNormalFanOut, name: "top_conv")(x)
    x = BatchNormalization(name: "top_bn")(x)
    x = ActivationLayer(.relu6, name: "top_activation")(x)
    let output = top(x, seed: seed)
    let model = try Functional(
      inputs: input, outputs: output, name: variant.modelName, seed: seed)
    model.preprocessing = variant.preprocessing
    model.applyTrainability(trainability, partialTop: Backbone.efficientNetB0.partialTopPattern!)
    return model
  }
}
