import SimilarityTensors

/// Keras' `Embedding`: integer ids → rows of a trained `[inputDim, outputDim]` table
/// (`embeddings`, initialised uniformly in `[−0.05, 0.05]` as Keras' `"uniform"`).
/// `[batch, …]` → `[batch, …, outputDim]`.
///
/// Inputs are float tensors holding ids. As Keras (which casts to `int32`), a non-integral id
/// is truncated toward zero (`2.7` reads row 2, `−0.5` row 0). An id that is then outside
/// `0..<inputDim` — negative, too large, NaN or infinite — reads a row of zeros and passes no
/// gradient (TensorFlow's CPU kernel raises an error instead; a layer cannot throw, and user
/// data must not trap).
public final class Embedding: Layer {
  /// `"Embedding"`.
  public static let typeName = "Embedding"
  /// `"embedding"`.
  public static let defaultName = "embedding"
  /// The layer's name.
  public var name: String
  /// The vocabulary size (ids `0..<inputDim`).
  public let inputDim: Int
  /// The width of a row.
  public let outputDim: Int
  /// The table `[inputDim, outputDim]`; `nil` until built.
  public private(set) var embeddings: Parameter?

  /// Creates an unbuilt layer.
  public init(inputDim: Int, outputDim: Int, name: String? = nil) {
    precondition(inputDim > 0 && outputDim > 0, "Embedding: inputDim \(inputDim) and outputDim \(outputDim) must be positive")
    self.inputDim = inputDim
    self.outputDim = outputDim
    self.name = name ?? Self.defaultName
  }

  /// The hyper-parameters of an `Embedding` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The vocabulary size.
    public var inputDim: Int
    /// The width of a row.
    public var outputDim: Int
  }

  /// Creates the unbuilt layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(inputDim: c.inputDim, outputDim: c.outputDim, name: c.name)
  }

  /// Keras' weight name: `embeddings`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    embeddings.map { [("embeddings", $0)] } ?? []
  }

  /// Whether the table exists.
  public var isBuilt: Bool { embeddings != nil }

  /// Creates the table (the input shape does not matter).
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard embeddings == nil else { return }
    embeddings = Parameter(
      Tensor.randomUniform(shape: [inputDim, outputDim], lowerBound: -0.05, upperBound: 0.05, using: &generator))
  }

  /// `inputShape + [outputDim]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    inputShape + [outputDim]
  }

  /// The row index a float id reads, or −1 (a zero row) when it is outside the table.
  static func row(_ id: Float, inputDim: Int) -> Int {
    guard id.isFinite else { return -1 }
    let truncated = id.rounded(.towardZero)
    return truncated >= 0 && truncated < Float(inputDim) ? Int(truncated) : -1
  }

  /// `[batch, …]` ids → `[batch, …, outputDim]` rows.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let embeddings else { preconditionFailure("Embedding '\(name)': called before build(inputShape:)") }
    let ids = input.scalars.map { Self.row($0, inputDim: inputDim) }
    return embeddings.value.embeddingLookup(ids: ids).reshaped(input.shape + [outputDim])
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .embedding(Configuration(name: name, inputDim: inputDim, outputDim: outputDim))
  }
}
