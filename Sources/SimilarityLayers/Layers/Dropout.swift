import SimilarityTensors

/// Keras' `Dropout` (Srivastava et al. 2014, "inverted" form): while training, each element
/// is zeroed with probability `rate` and the survivors are scaled by `1 / (1 − rate)`, so the
/// expected output equals the input; at inference it is the identity.
///
/// The masks come from the layer's own ``SplitMix64``, seeded by `seed`, so runs repeat.
public final class Dropout: Layer {
  /// `"Dropout"`.
  public static let typeName = "Dropout"
  /// `"dropout"`.
  public static let defaultName = "dropout"
  /// The layer's name.
  public var name: String
  /// The probability of dropping an element, in `[0, 1)`.
  public let rate: Float
  /// The seed of the mask generator.
  public let seed: UInt64
  /// Whether masks are applied (set through the model's ``Model/isTraining``).
  public var isTraining = false
  private var generator: SplitMix64

  /// Creates the layer.
  public init(rate: Float, seed: UInt64 = 0, name: String? = nil) {
    precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) not in [0, 1)")
    self.rate = rate
    self.seed = seed
    self.generator = SplitMix64(seed: seed)
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// The input with dropout applied when training; the input itself otherwise.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining, rate > 0 else { return input }
    return input.dropout(rate: rate, using: &generator)
  }

  /// The hyper-parameters of a `Dropout` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Drop probability.
    public var rate: Float
    /// Mask seed.
    public var seed: UInt64
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .dropout(Configuration(name: name, rate: rate, seed: seed))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(rate: c.rate, seed: c.seed, name: c.name)
  }
}
