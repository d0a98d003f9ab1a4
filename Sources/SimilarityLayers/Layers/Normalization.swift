import SimilarityTensors

/// Keras' preprocessing `Normalization` over the last (channel) axis:
///
///     y = (x − mean) / max(√variance, 1e-7)
///
/// with `mean` and `variance` `[channels]` and `count` a scalar — the number of examples the
/// statistics were adapted on — all three non-trainable weights (so Keras counts
/// `2 · channels + 1` parameters: 7 for an RGB input, as in Keras' EfficientNet). A new
/// layer has mean 0, variance 1 and count 0 (Keras' values before `adapt`), or the given
/// `mean` and `variance` (Keras' `Normalization(mean=…, variance=…)`, whose count stays 0).
/// Load adapted statistics with the other weights.
public final class Normalization: Layer {
  /// `"Normalization"`.
  public static let typeName = "Normalization"
  /// `"normalization"`.
  public static let defaultName = "normalization"
  /// Keras' `backend.epsilon()`, the floor of the standard deviation.
  public static let epsilon: Float = 1e-7
  /// The layer's name.
  public var name: String
  /// The initial mean per channel (`nil`: zeros).
  public let initialMean: [Float]?
  /// The initial variance per channel (`nil`: ones).
  public let initialVariance: [Float]?
  /// `[channels]`, not trainable; `nil` until built.
  public private(set) var mean: Parameter?
  /// `[channels]`, not trainable; `nil` until built.
  public private(set) var variance: Parameter?
  /// `[]` (one value), not trainable; `nil` until built.
  public private(set) var count: Parameter?

  /// Creates an unbuilt layer; `mean` and `variance`, when given, have one value per channel.
  public init(mean: [Float]? = nil, variance: [Float]? = nil, name: String? = nil) {
    precondition(
      (mean == nil) == (variance == nil) && mean?.count == variance?.count,
      "Normalization: give both mean and variance, of one length, or neither")
    precondition(
      variance?.allSatisfy { $0 >= 0 && $0.isFinite } ?? true,
      "Normalization: variances must be finite and ≥ 0")
    initialMean = mean
    initialVariance = variance
    self.name = name ?? Self.defaultName
  }

  /// Whether the weights exist.
  public var isBuilt: Bool { mean != nil }

  /// Keras' weight names: `mean`, `variance`, `count`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    guard let mean, let variance, let count else { return [] }
    return [("mean", mean), ("variance", variance), ("count", count)]
  }

  /// Creates the weights for inputs `[batch, …, channels]`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard mean == nil else { return }
    guard let channels = inputShape.last ?? nil else {
      preconditionFailure("Normalization '\(name)': input shape \(pythonTuple(inputShape)) has no channels")
    }
    precondition(
      initialMean.map { $0.count == channels } ?? true,
      "Normalization '\(name)': \(initialMean?.count ?? 0) statistics for \(channels) channels")
    mean = Parameter(
      Tensor(shape: [channels], scalars: initialMean ?? Array(repeating: 0, count: channels)),
      isTrainable: false)
    variance = Parameter(
      Tensor(shape: [channels], scalars: initialVariance ?? Array(repeating: 1, count: channels)),
      isTrainable: false)
    count = Parameter(Tensor.zeros([]), isTrainable: false)
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// `(input − mean) / max(√variance, 1e-7)` per channel of `[batch, …, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let mean, let variance else {
      preconditionFailure("Normalization '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.shape.last == mean.shape[0],
      "Normalization '\(name)': input \(input.shape) does not have \(mean.shape[0]) channels")
    let scale = variance.value.scalars.map { 1 / max($0.squareRoot(), Self.epsilon) }
    return (input - mean.value) * Tensor(shape: [scale.count], scalars: scale)
  }

  /// The hyper-parameters of a `Normalization` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The initial mean per channel (`nil`: zeros).
    public var mean: [Float]?
    /// The initial variance per channel (`nil`: ones).
    public var variance: [Float]?
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .normalization(Configuration(name: name, mean: initialMean, variance: initialVariance))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(mean: c.mean, variance: c.variance, name: c.name)
  }
}
