import SimilarityTensors

/// Batch normalisation over one (channel) axis, the last by default (Ioffe & Szegedy 2015,
/// https://arxiv.org/abs/1502.03167), Keras' `BatchNormalization`.
///
/// With `μ`, `σ²` the statistics of each channel:
///
///     y = γ · (x − μ) / √(σ² + ε) + β
///
/// While training, `μ` and `σ²` are the mean and (biased) variance of the batch over every
/// axis but the last, and each call updates the moving statistics, as Keras 3 does:
/// `moving ← moving · momentum + batch · (1 − momentum)`. At inference the moving
/// statistics are used. Parameters, all `[channels]`: `gamma` (ones) and `beta` (zeros) are
/// trainable; `moving_mean` (zeros) and `moving_variance` (ones) are not. As in Keras, without
/// `scale` there is no `gamma` (γ = 1) and without `center` no `beta` (β = 0). `axis` counts
/// as Keras does (batch = 0, negative from the end).
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
  /// The channel axis (Keras default −1; batch = 0, negative from the end).
  public let axis: Int
  /// Whether `beta` exists and is added (Keras default true).
  public let center: Bool
  /// Whether `gamma` exists and multiplies (Keras default true).
  public let scale: Bool
  /// Whether batch statistics are used and the moving statistics updated.
  public var isTraining = false
  /// Scale `γ`, `[channels]`; `nil` until built or without `scale`.
  public private(set) var gamma: Parameter?
  /// Shift `β`, `[channels]`; `nil` until built or without `center`.
  public private(set) var beta: Parameter?
  /// Moving mean, `[channels]`, not trainable; `nil` until built.
  public private(set) var movingMean: Parameter?
  /// Moving variance, `[channels]`, not trainable; `nil` until built.
  public private(set) var movingVariance: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    momentum: Float = 0.99, epsilon: Float = 1e-3, axis: Int = -1, center: Bool = true,
    scale: Bool = true, name: String? = nil
  ) {
    precondition(
      momentum >= 0 && momentum <= 1, "BatchNormalization: momentum \(momentum) not in [0, 1]")
    precondition(epsilon > 0, "BatchNormalization: epsilon \(epsilon) must be positive")
    self.momentum = momentum
    self.epsilon = epsilon
    (self.axis, self.center, self.scale) = (axis, center, scale)
    self.name = name ?? Self.defaultName
  }

  /// Keras' weight names: `gamma`, `beta` (those that exist), `moving_mean`,
  /// `moving_variance`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    guard let movingMean, let movingVariance else { return [] }
    return (gamma.map { [("gamma", $0)] } ?? []) + (beta.map { [("beta", $0)] } ?? [])
      + [("moving_mean", movingMean), ("moving_variance", movingVariance)]
  }

  /// Whether the parameters exist.
  public var isBuilt: Bool { movingMean != nil }

  /// `axis` as a non-negative axis of a `rank`-axis input (batch included), or `nil` when it
  /// is out of range or the batch axis.
  static func resolvedAxis(_ axis: Int, rank: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return resolved >= 1 && resolved < rank ? resolved : nil
  }

  /// Creates the four `[channels]` parameters for inputs `[batch, …, channels]`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard movingMean == nil else { return }
    guard let channelAxis = Self.resolvedAxis(axis, rank: inputShape.count),
      let channels = inputShape[channelAxis]
    else {
      preconditionFailure(
        "BatchNormalization '\(name)': input shape \(pythonTuple(inputShape)) has no axis \(axis)")
    }
    if scale { gamma = Parameter(Tensor.ones([channels])) }
    if center { beta = Parameter(Tensor.zeros([channels])) }
    movingMean = Parameter(Tensor.zeros([channels]), isTrainable: false)
    movingVariance = Parameter(Tensor.ones([channels]), isTrainable: false)
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// Normalises `[batch, …, channels]` per channel (batch statistics when training).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let movingMean, let movingVariance else {
      preconditionFailure("BatchNormalization '\(name)': called before build(inputShape:)")
    }
    let channels = movingMean.shape[0]
    guard let channelAxis = Self.resolvedAxis(axis, rank: input.rank),
      input.shape[channelAxis] == channels
    else {
      preconditionFailure(
        "BatchNormalization '\(name)': input \(input.shape) does not have \(channels) channels on axis \(axis)")
    }
    let mean: Tensor
    let variance: Tensor
    // A frozen layer (`trainable = false`) keeps its moving statistics, as in Keras 2.
    if isTraining && trainable {
      let axes = (0..<input.rank).filter { $0 != channelAxis }
      mean = input.mean(alongAxes: axes, keepingDimensions: false)
      variance = input.variance(alongAxes: axes, keepingDimensions: false)
      movingMean.value = movingAverage(movingMean.value, mean.detached)
      movingVariance.value = movingAverage(movingVariance.value, variance.detached)
    } else {
      mean = movingMean.value
      variance = movingVariance.value
    }
    let gammaValue = gamma?.value ?? Tensor.ones([channels])
    let betaValue = beta?.value ?? Tensor.zeros([channels])
    if channelAxis == input.rank - 1 {
      return input.batchNormalized(
        mean: mean, variance: variance, scale: gammaValue, offset: betaValue, epsilon: epsilon)
    }
    // [channels] statistics and parameters broadcast along the channel axis.
    var broadcastShape = Array(repeating: 1, count: input.rank)
    broadcastShape[channelAxis] = channels
    return input.batchNormalized(
      mean: mean.reshaped(broadcastShape), variance: variance.reshaped(broadcastShape),
      scale: gammaValue.reshaped(broadcastShape), offset: betaValue.reshaped(broadcastShape),
      epsilon: epsilon)
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
    /// The channel axis (absent in files written before it existed: −1).
    public var axis: Int = -1
    /// Whether `beta` exists (absent: true).
    public var center: Bool = true
    /// Whether `gamma` exists (absent: true).
    public var scale: Bool = true

    /// Creates a configuration.
    public init(
      name: String, momentum: Float, epsilon: Float, axis: Int = -1, center: Bool = true,
      scale: Bool = true
    ) {
      (self.name, self.momentum, self.epsilon) = (name, momentum, epsilon)
      (self.axis, self.center, self.scale) = (axis, center, scale)
    }

    private enum CodingKeys: String, CodingKey {
      case name, momentum, epsilon, axis, center, scale
    }

    /// Decodes a configuration; `axis`, `center` and `scale` may be absent (Keras' defaults).
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      momentum = try c.decode(Float.self, forKey: .momentum)
      epsilon = try c.decode(Float.self, forKey: .epsilon)
      axis = try c.decodeIfPresent(Int.self, forKey: .axis) ?? -1
      center = try c.decodeIfPresent(Bool.self, forKey: .center) ?? true
      scale = try c.decodeIfPresent(Bool.self, forKey: .scale) ?? true
    }
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .batchNormalization(
      Configuration(
        name: name, momentum: momentum, epsilon: epsilon, axis: axis, center: center, scale: scale))
  }

  /// Creates the unbuilt layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(
      momentum: c.momentum, epsilon: c.epsilon, axis: c.axis, center: c.center, scale: c.scale,
      name: c.name)
  }
}
