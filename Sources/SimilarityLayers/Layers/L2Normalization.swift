import SimilarityTensors

/// Scales each example to unit L2 norm along the last axis:
/// `x / √max(Σ x², epsilon)`, like `tf.math.l2_normalize(x, axis=-1)` (epsilon 1e-12).
///
/// Follow a ``Dense`` layer with it to get TF Similarity's `MetricEmbedding` (or use
/// ``MetricEmbedding`` directly).
public final class L2Normalization: Layer {
  /// `"L2Normalization"`.
  public static let typeName = "L2Normalization"
  /// `"l2_normalization"`.
  public static let defaultName = "l2_normalization"
  /// The layer's name.
  public var name: String
  /// Floor of the squared norm.
  public let epsilon: Float

  /// Creates the layer.
  public init(epsilon: Float = 1e-12, name: String? = nil) {
    self.epsilon = epsilon
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// `[batch, …, d]` → same shape, unit norm along the last axis.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.l2Normalized(alongAxis: input.rank - 1, epsilon: epsilon)
  }

  /// The hyper-parameters of an `L2Normalization` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Floor of the squared norm.
    public var epsilon: Float
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .l2Normalization(Configuration(name: name, epsilon: epsilon))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(epsilon: c.epsilon, name: c.name)
  }
}
