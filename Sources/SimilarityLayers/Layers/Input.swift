import SimilarityTensors

/// The input of a ``Sequential`` model: declares the shape of one example (Keras'
/// `keras.Input(shape=…)`, an `InputLayer`). As in Keras, it is not listed in a
/// sequential model's summary and has no parameters.
public final class Input: Layer {
  /// `"InputLayer"`.
  public static let typeName = "InputLayer"
  /// `"input"`.
  public static let defaultName = "input"
  /// The layer's name.
  public var name: String
  /// The shape of one example, without the batch axis (e.g. `[28, 28, 1]`).
  public let shape: [Int]

  /// Declares inputs of `[batch] + shape`.
  public init(shape: [Int], name: String? = nil) {
    precondition(
      !shape.isEmpty && shape.allSatisfy { $0 > 0 },
      "Input: shape \(shape) must be non-empty with positive extents")
    self.shape = shape
    self.name = name ?? Self.defaultName
  }

  /// The declared shape with the batch axis.
  public var batchShape: LayerShape { [nil] + shape.map { $0 } }

  /// `inputShape` itself.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// Returns `input` after checking it has the declared shape.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      Array(input.shape.dropFirst()) == shape,
      "Input '\(name)': got \(input.shape), expected [batch] + \(shape)")
    return input
  }

  /// The hyper-parameters of an `Input`.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The example shape.
    public var shape: [Int]
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .input(Configuration(name: name, shape: shape))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration: Configuration) {
    self.init(shape: configuration.shape, name: configuration.name)
  }
}
