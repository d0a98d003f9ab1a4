import SimilarityTensors

/// Keras' `LayerNormalization` (Ba, Kiros & Hinton 2016, https://arxiv.org/abs/1607.06450):
/// each example normalised over `axis` (default the last), then scaled and shifted per
/// position of those axes:
///
///     y = γ · (x − μ) / √(σ² + ε) + β
///
/// with `μ`, `σ²` the mean and (biased) variance over `axis`, the same in training and
/// inference. `axis` counts as Keras does: the batch is axis 0, negative values count from the
/// end. Parameters `gamma` (ones, with `scale`) and `beta` (zeros, with `center`) have the
/// extents of the normalised axes (`[channels]` by default); ε defaults to 1e-3.
public final class LayerNormalization: Layer {
  /// `"LayerNormalization"`.
  public static let typeName = "LayerNormalization"
  /// `"layer_normalization"`.
  public static let defaultName = "layer_normalization"
  /// The layer's name.
  public var name: String
  /// The normalised axes, as given (batch = 0, negative from the end).
  public let axis: [Int]
  /// Added to the variance.
  public let epsilon: Float
  /// Whether `beta` exists and is added.
  public let center: Bool
  /// Whether `gamma` exists and multiplies.
  public let scale: Bool
  /// Scale `γ`; `nil` until built or without `scale`.
  public private(set) var gamma: Parameter?
  /// Shift `β`; `nil` until built or without `center`.
  public private(set) var beta: Parameter?
  private var built = false

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    axis: [Int] = [-1], epsilon: Float = 1e-3, center: Bool = true, scale: Bool = true,
    name: String? = nil
  ) {
    precondition(!axis.isEmpty && Set(axis).count == axis.count, "LayerNormalization: axis \(axis) must be distinct axes")
    precondition(epsilon > 0 && epsilon.isFinite, "LayerNormalization: epsilon \(epsilon) must be positive")
    (self.axis, self.epsilon, self.center, self.scale) = (axis, epsilon, center, scale)
    self.name = name ?? Self.defaultName
  }

  /// The hyper-parameters of a `LayerNormalization` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The normalised axes (batch = 0, negative from the end).
    public var axis: [Int]
    /// Variance epsilon.
    public var epsilon: Float
    /// Whether `beta` exists.
    public var center: Bool
    /// Whether `gamma` exists.
    public var scale: Bool
  }

  /// Creates the unbuilt layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(axis: c.axis, epsilon: c.epsilon, center: c.center, scale: c.scale, name: c.name)
  }

  /// `axis` as sorted non-negative axes of a `rank`-axis input (batch included), or `nil`
  /// when one is out of range, names the batch axis or repeats.
  static func resolvedAxes(_ axis: [Int], rank: Int) -> [Int]? {
    let resolved = axis.map { $0 < 0 ? $0 + rank : $0 }
    guard resolved.allSatisfy({ $0 >= 1 && $0 < rank }), Set(resolved).count == resolved.count else { return nil }
    return resolved.sorted()
  }

  /// Keras' weight names: `gamma`, `beta` (those that exist).
  public var namedParameters: [(name: String, parameter: Parameter)] {
    (gamma.map { [("gamma", $0)] } ?? []) + (beta.map { [("beta", $0)] } ?? [])
  }

  /// Whether the parameters exist.
  public var isBuilt: Bool { built }

  /// Creates `gamma` / `beta` with the extents of the normalised axes.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard !built else { return }
    guard let axes = Self.resolvedAxes(axis, rank: inputShape.count) else {
      preconditionFailure("LayerNormalization '\(name)': axis \(axis) does not fit input shape \(pythonTuple(inputShape))")
    }
    let shape = axes.map { inputShape[$0] ?? 0 }
    precondition(shape.allSatisfy { $0 > 0 }, "LayerNormalization '\(name)': unknown extent in \(pythonTuple(inputShape))")
    if scale { gamma = Parameter(Tensor.ones(shape)) }
    if center { beta = Parameter(Tensor.zeros(shape)) }
    built = true
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// Normalises each example of `input` over `axis`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let axes = Self.resolvedAxes(axis, rank: input.rank) else {
      preconditionFailure("LayerNormalization '\(name)': axis \(axis) does not fit input \(input.shape)")
    }
    let mean = input.mean(alongAxes: axes, keepingDimensions: true)
    let variance = input.variance(alongAxes: axes, keepingDimensions: true)
    var y = (input - mean) / (variance + epsilon).sqrt()
    // Parameters broadcast as [1, …, extent at each normalised axis, …].
    var broadcastShape = Array(repeating: 1, count: input.rank)
    for a in axes { broadcastShape[a] = input.shape[a] }
    if let gamma { y = y * gamma.value.reshaped(broadcastShape) }
    if let beta { y = y + beta.value.reshaped(broadcastShape) }
    return y
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .layerNormalization(
      Configuration(name: name, axis: axis, epsilon: epsilon, center: center, scale: scale))
  }
}
