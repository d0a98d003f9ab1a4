import SimilarityTensors

/// Generalised-mean (GeM) pooling over the height and width of NHWC images, TF Similarity's
/// `GeneralizedMeanPooling2D` (its default pooling for `EfficientNetSim` and `ResNet50Sim`):
/// per example and channel, `(mean (x − m + 1)^p)^(1/p) + m − 1` with `m` the minimum over
/// the image (see Radenović et al. 2018, https://arxiv.org/abs/1711.02512).
///
/// `p = 3` by default; `p = 1` is global average pooling, `p = 0` the geometric mean,
/// `p = .infinity` global max pooling and `p = -.infinity` global min pooling. The output is
/// `[batch, channels]`, or `[batch, 1, 1, channels]` with `keepsDimensions`.
public final class GeneralizedMeanPooling2D: Layer {
  /// `"GeneralizedMeanPooling2D"`.
  public static let typeName = "GeneralizedMeanPooling2D"
  /// `"generalized_mean_pooling2d"`.
  public static let defaultName = "generalized_mean_pooling2d"
  /// The layer's name.
  public var name: String
  /// The power `p`.
  public let p: Float
  /// Whether the height and width axes are kept with extent 1.
  public let keepsDimensions: Bool

  /// Creates the layer.
  public init(p: Float = 3, keepsDimensions: Bool = false, name: String? = nil) {
    checkGeneralizedMeanPower(p, layer: "GeneralizedMeanPooling2D")
    self.p = p
    self.keepsDimensions = keepsDimensions
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GeneralizedMeanPoolingConfiguration) {
    self.init(p: c.p, keepsDimensions: c.keepsDimensions, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 4,
      "GeneralizedMeanPooling2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    return keepsDimensions
      ? [inputShape[0], 1, 1, inputShape[3]] : [inputShape[0], inputShape[3]]
  }

  /// `[batch, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 4 && input.shape[1] * input.shape[2] > 0,
      "GeneralizedMeanPooling2D '\(name)': input \(input.shape) is not a non-empty NHWC batch")
    let (batch, channels) = (input.shape[0], input.shape[3])
    let pooled = generalizedMean(
      input.reshaped([batch, input.shape[1] * input.shape[2], channels]), p: p)
    return keepsDimensions ? pooled.reshaped([batch, 1, 1, channels]) : pooled
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .generalizedMeanPooling2D(
      GeneralizedMeanPoolingConfiguration(name: name, p: p, keepsDimensions: keepsDimensions))
  }
}
