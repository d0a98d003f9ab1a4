/// A model with declared inputs and outputs, built when created: a ``Sequential`` or a
/// ``Functional`` graph. What ``Checkpoint/loadModel(from:lambdas:)`` returns and what the
/// similarity model, siamese network and trainers take (they need one input and one output:
/// see ``isSingleInputSingleOutput``).
public protocol NetworkModel: Layer {
  /// The seed the layers were initialised from.
  var seed: UInt64 { get }
  /// The example shape of each input (no batch axis), in call order.
  var inputShapes: [[Int]] { get }
  /// The shape of each output, batch axis `nil`, in call order.
  var outputShapes: [LayerShape] { get }
  /// The model as Keras' `model.summary()` prints it, totals in `style` (the library never
  /// prints).
  func summary(style: SummaryStyle) -> String
}

extension NetworkModel {
  /// The summary with the default totals style (``SummaryStyle/grouped``).
  public func summary() -> String { summary(style: .grouped) }

  /// Whether the model takes one tensor and returns one (`callAsFunction(_: Tensor)`).
  public var isSingleInputSingleOutput: Bool { inputShapes.count == 1 && outputShapes.count == 1 }
}

extension Sequential: NetworkModel {
  /// The declared input's example shape.
  public var inputShapes: [[Int]] { [input.shape] }
  /// The shape after the last layer.
  public var outputShapes: [LayerShape] { [outputShape] }
}

extension NetworkModel where Self == Sequential {
  /// ``Sequential/kerasSiameseTower(seed:)``, so `SiameseNetwork(tower: .kerasSiameseTower())`
  /// reads as before the towers became any ``NetworkModel``.
  public static func kerasSiameseTower(seed: UInt64 = 0) -> Sequential {
    Sequential.kerasSiameseTower(seed: seed)
  }

  /// ``Sequential/tfSimilarityMNISTConv(embeddingSize:seed:)``, for
  /// `SimilarityModel(embedding: .tfSimilarityMNISTConv())`.
  public static func tfSimilarityMNISTConv(embeddingSize: Int = 64, seed: UInt64 = 0)
    -> Sequential
  {
    Sequential.tfSimilarityMNISTConv(embeddingSize: embeddingSize, seed: seed)
  }
}
