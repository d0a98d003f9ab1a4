import SimilarityTensors

/// Batch normalisation over the last (channel) axis (Ioffe & Szegedy 2015,
/// https://arxiv.org/abs/1502.03167), Keras' `BatchNormalization(axis=-1)`.
///
/// With `μ`, `σ²` the statistics of each channel:
///
///     y = γ · (x − μ) / √(σ² + ε) + β
///
/// While training, `μ` and `σ²` are the mean and (biased) variance of the batch over every
/// axis but the last, and each call updates the moving statistics, as Keras 3 does:
/// `moving ← moving · momentum + batch · (1 − momentum)`. At inference the moving
/// statistics are used. Parameters, all `[channels]`: `gamma` (ones) and `beta` (zeros) are
/// trainable; `moving_mean` (zeros) and `moving_variance` (ones) are not.
///
/// A frozen layer (``Model/trainable`` `false`) runs in inference mode even while training:
/// moving statistics, no update (Keras 2's behaviour).
///
/// Differentiate with respect to ``Model/trainableParameters`` only: ``valueWithGradient(at:of:)``
/// restores the values of the parameters it is given, which would undo the moving-statistics
/// update if they were among them.
public final class BatchNormalization: Layer {
  /// `"BatchNormalization"`.
  public static let typeName = "BatchNormalization"
  /// `"batch_normalization"`.
  public static let defaultName = "batch_normalization"
  /// The layer's name.
  public var name: String
  /// Weight of the old moving statistics in each update (Keras default 0.99).
  public let momentum: Float
  /// Added to the variance (Keras default 1e-3).
  public let epsilon: Float
  /// Whether batch statistics are used and the moving statistics updated.
  public var isTraining = false
  /// Scale `γ`, `[channels]`; `nil` until built.
  public private(set) var gamma: Parameter?
  /// Shift `β`, `[channels]`; `nil` until built.
  public private(set) var beta: Parameter?
  /// Moving mean, `[channels]`, not trainable; `nil` until built.
  public private(set) var movingMean: Parameter?
  /// Moving variance, `[channels]`, not trainable; `nil` until built.
  public private(set) var movingVariance: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(momentum: Float = 0.99, epsilon: Float = 1e-3, name: String? = nil) {
    precondition(
      momentum >= 0 && momentum <= 1, "BatchNormalization: momentum \(momentum) not in [0, 1]")
    precondition(epsilon > 0, "BatchNormalization: epsilon \(epsilon) must be positive")
    self.momentum = momentum
    self.epsilon = epsilon
    self.name = name ?? Self.defaultName
  }

  /// Keras' weight names: `gamma`, `beta`, `moving_mean`, `moving_variance`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    guard let gamma, let beta, let movingMean, let movingVariance else { return [] }
    return [
      ("gamma", gamma), ("beta", beta), ("moving_mean", movingMean),
      ("moving_variance", movingVariance),
    ]
  }

  /// Whether the parameters exist.
  public var isBuilt: Bool { gamma != nil }

  /// Creates the four `[channels]` parameters for inputs `[batch, …, channels]`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard gamma == nil else { return }
    guard inputShape.count >= 2, let channels = inputShape.last ?? nil else {
      preconditionFailure(
        "BatchNormalization '\(name)': input shape \(pythonTuple(inputShape)) has no channel axis")
    }
    gamma = Parameter(Tensor.ones([channels]))
    beta = Parameter(Tensor.zeros([channels]))
    movingMean = Parameter(Tensor.zeros([channels]), isTrainable: false)
    movingVariance = Parameter(Tensor.ones([channels]), isTrainable: false)
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// Normalises `[batch, …, channels]` per channel (batch statistics when training).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let gamma, let beta, let movingMean, let movingVariance else {
      preconditionFailure("BatchNormalization '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank >= 2 && input.shape[input.rank - 1] == gamma.shape[0],
      "BatchNormalization '\(name)': input \(input.shape) does not end in \(gamma.shape[0]) channels"
    )
    let mean: Tensor
    let variance: Tensor
    // A frozen layer (`trainable = false`) keeps its moving statistics, as in Keras 2.
    if isTraining && trainable {
      let axes = Array(0..<(input.rank - 1))
      mean = input.mean(alongAxes: axes, keepingDimensions: false)
      variance = input.variance(alongAxes: axes, keepingDimensions: false)
      movingMean.value = movingAverage(movingMean.value, mean.detached)
      movingVariance.value = movingAverage(movingVariance.value, variance.detached)
    } else {
      mean = movingMean.value
      variance = movingVariance.value
    }
    return input.batchNormalized(
      mean: mean, variance: variance, scale: gamma.value, offset: beta.value, epsilon: epsilon)
  }

  private func movingAverage(_ moving: Tensor, _ batch: Tensor) -> Tensor {
    let scalars = zip(moving.scalars, batch.scalars).map { old, new in
      old * momentum + new * (1 - momentum)
    }
    return Tensor(shape: moving.shape, scalars: scalars)
  }

  /// The hyper-parameters of a `BatchNormalization` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Moving-average momentum.
    public var momentum: Float
    /// Variance epsilon.
    public var epsilon: Float
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .batchNormalization(Configuration(name: name, momentum: momentum, epsilon: epsilon))
  }

  /// Creates the unbuilt layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(momentum: c.momentum, epsilon: c.epsilon, name: c.name)
  }
}
