import SimilarityTensors

/// Keras' `Lambda`: a layer made of a closure, with no parameters.
///
/// The closure is not saved; `architecture.json` records its registered `function` name, and
/// loading a checkpoint takes a table from those names to closures (see
/// ``Checkpoint/loadSequential(from:lambdas:)``). The output shape is found by running the
/// closure on zeros of one example.
public final class Lambda: Layer {
  /// A closure that a `Lambda` applies.
  public typealias Function = @Sendable (Tensor) -> Tensor

  /// `"Lambda"`.
  public static let typeName = "Lambda"
  /// `"lambda"`.
  public static let defaultName = "lambda"
  /// The layer's name.
  public var name: String
  /// The name under which `body` is registered when a checkpoint is loaded.
  public let function: String
  /// The closure.
  public let body: Function

  /// Creates a layer applying `body`, registered as `function`.
  public init(function: String, name: String? = nil, _ body: @escaping Function) {
    self.function = function
    self.body = body
    self.name = name ?? Self.defaultName
  }

  /// The shape of `body` applied to zeros of one example of `inputShape`, with a `nil` batch.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    let example =
      [1]
      + inputShape.dropFirst().map { extent in
        guard let extent else {
          preconditionFailure("Lambda '\(name)': unknown extent in \(pythonTuple(inputShape))")
        }
        return extent
      }
    let output = body(Tensor.zeros(example))
    return [inputShape.first ?? nil] + output.shape.dropFirst().map { $0 }
  }

  /// `body(input)`.
  public func callAsFunction(_ input: Tensor) -> Tensor { body(input) }

  /// The hyper-parameters of a `Lambda` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The registered function name.
    public var function: String
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .lambda(Configuration(name: name, function: function))
  }
}
