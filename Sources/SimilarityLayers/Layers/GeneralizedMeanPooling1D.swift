import SimilarityTensors

/// Generalised-mean (GeM) pooling over the steps of `[batch, steps, channels]`, TF
/// Similarity's `GeneralizedMeanPooling1D` (channels last): per example and channel,
/// `(mean (x − m + 1)^p)^(1/p) + m − 1` with `m` the minimum over the steps (see
/// Radenović et al. 2018, https://arxiv.org/abs/1711.02512).
///
/// `p = 3` by default; `p = 1` is average pooling, `p = 0` the geometric mean, `p = .infinity`
/// max pooling and `p = -.infinity` min pooling. The output is `[batch, channels]`, or
/// `[batch, 1, channels]` with `keepsDimensions`.
public final class GeneralizedMeanPooling1D: Layer {
  /// `"GeneralizedMeanPooling1D"`.
  public static let typeName = "GeneralizedMeanPooling1D"
  /// `"generalized_mean_pooling1d"`.
  public static let defaultName = "generalized_mean_pooling1d"
  /// The layer's name.
  public var name: String
  /// The power `p`.
  public let p: Float
  /// Whether the steps axis is kept with extent 1.
  public let keepsDimensions: Bool

  /// Creates the layer.
  public init(p: Float = 3, keepsDimensions: Bool = false, name: String? = nil) {
    checkGeneralizedMeanPower(p, layer: "GeneralizedMeanPooling1D")
    self.p = p
    self.keepsDimensions = keepsDimensions
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GeneralizedMeanPoolingConfiguration) {
    self.init(p: c.p, keepsDimensions: c.keepsDimensions, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 3,
      "GeneralizedMeanPooling1D '\(name)': input shape \(pythonTuple(inputShape)) is not [batch, steps, channels]")
    return keepsDimensions ? [inputShape[0], 1, inputShape[2]] : [inputShape[0], inputShape[2]]
  }

  /// `[batch, steps, channels]` → `[batch, channels]` (or `[batch, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 3 && input.shape[1] > 0,
      "GeneralizedMeanPooling1D '\(name)': input \(input.shape) is not [batch, steps, channels]")
    let pooled = generalizedMean(input, p: p)
    return keepsDimensions ? pooled.expandingShape(at: 1) : pooled
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .generalizedMeanPooling1D(
      GeneralizedMeanPoolingConfiguration(name: name, p: p, keepsDimensions: keepsDimensions))
  }
}
