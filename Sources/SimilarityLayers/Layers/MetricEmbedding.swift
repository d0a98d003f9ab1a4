import SimilarityTensors

/// TF Similarity's `MetricEmbedding`: a ``Dense`` layer followed by L2 normalisation along
/// the last axis (`tf.math.l2_normalize(x, axis=1)`), the usual output layer for cosine
/// distance. Its parameters are the Dense layer's `kernel` `[inputSize, units]` and
/// `bias` `[units]`.
public final class MetricEmbedding: Layer {
  /// `"MetricEmbedding"`.
  public static let typeName = "MetricEmbedding"
  /// `"metric_embedding"`.
  public static let defaultName = "metric_embedding"
  /// The layer's name.
  public var name: String {
    didSet { dense.name = name }
  }
  /// The affine map (its name follows this layer's).
  public let dense: Dense

  /// Creates an unbuilt layer; arguments as for ``Dense``.
  public init(
    units: Int, activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    let name = name ?? Self.defaultName
    self.name = name
    dense = Dense(
      units: units, activation: activation, useBias: useBias,
      kernelInitializer: kernelInitializer, biasInitializer: biasInitializer, name: name)
  }

  /// `kernel` and `bias` of the Dense layer.
  public var namedParameters: [(name: String, parameter: Parameter)] { dense.namedParameters }

  /// Whether the Dense layer is built.
  public var isBuilt: Bool { dense.isBuilt }

  /// Builds the Dense layer.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    dense.build(inputShape: inputShape, using: &generator)
  }

  /// `inputShape` with the last axis replaced by `units`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    dense.outputShape(forInputShape: inputShape)
  }

  /// `[batch, inputSize]` → `[batch, units]` with unit-norm rows.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let output = dense(input)
    return output.l2Normalized(alongAxis: output.rank - 1, epsilon: 1e-12)
  }

  /// This layer's hyper-parameters (those of its Dense layer).
  public var configuration: LayerConfiguration? { .metricEmbedding(dense.denseConfiguration) }

  /// Creates the unbuilt layer described by `configuration`.
  public convenience init(configuration c: Dense.Configuration) {
    self.init(
      units: c.units, activation: c.activation, useBias: c.useBias,
      kernelInitializer: c.kernelInitializer, biasInitializer: c.biasInitializer, name: c.name)
  }
}
