import SimilarityTensors

/// Keras' `Dropout` (Srivastava et al. 2014, "inverted" form): while training, each element
/// is zeroed with probability `rate` and the survivors are scaled by `1 / (1 − rate)`, so the
/// expected output equals the input; at inference it is the identity.
///
/// The masks come from the layer's own ``SplitMix64``, seeded by `seed`, so runs repeat.
/// With `noiseShape` (Keras' `noise_shape`) one mask of that shape is drawn and broadcast
/// over the input: `[nil, 1, 1, 1]` drops whole examples of `[batch, h, w, c]` (the
/// "drop-connect" of EfficientNet's residual blocks, Huang et al. 2016,
/// https://arxiv.org/abs/1603.09382); `nil` entries take the input's extent.
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
  /// The mask's shape including the batch axis, `nil` entries standing for the input's
  /// extent and 1 for a broadcast axis; `nil`: one mask element per input element.
  public let noiseShape: [Int?]?
  /// Whether masks are applied (set through the model's ``Model/isTraining``).
  public var isTraining = false
  private var generator: SplitMix64

  /// Creates the layer.
  public init(rate: Float, noiseShape: [Int?]? = nil, seed: UInt64 = 0, name: String? = nil) {
    precondition(rate >= 0 && rate < 1, "Dropout: rate \(rate) not in [0, 1)")
    precondition(
      noiseShape?.allSatisfy { ($0 ?? 1) > 0 } ?? true,
      "Dropout: noise shape \(String(describing: noiseShape)) needs positive extents")
    self.rate = rate
    self.noiseShape = noiseShape
    self.seed = seed
    self.generator = SplitMix64(seed: seed)
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// The input with dropout applied when training; the input itself otherwise.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining, rate > 0 else { return input }
    guard let noiseShape else { return input.dropout(rate: rate, using: &generator) }
    precondition(
      noiseShape.count == input.rank
        && zip(noiseShape, input.shape).allSatisfy { $0 == nil || $0 == 1 || $0 == $1 },
      "Dropout '\(name)': noise shape \(noiseShape) does not broadcast to \(input.shape)")
    let maskShape = zip(noiseShape, input.shape).map { $0 ?? $1 }
    return input * Tensor.ones(maskShape).dropout(rate: rate, using: &generator)
  }

  /// The hyper-parameters of a `Dropout` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Drop probability.
    public var rate: Float
    /// Mask seed.
    public var seed: UInt64
    /// Mask shape (`nil`: the input's); absent from older descriptions.
    public var noiseShape: [Int?]?
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .dropout(Configuration(name: name, rate: rate, seed: seed, noiseShape: noiseShape))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(rate: c.rate, noiseShape: c.noiseShape, seed: c.seed, name: c.name)
  }
}
