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
}

extension NetworkModel {
  /// Whether the model takes one tensor and returns one (`callAsFunction(_: Tensor)`).
  public var isSingleInputSingleOutput: Bool { inputShapes.count == 1 && outputShapes.count == 1 }
}

extension Sequential: NetworkModel {
  /// The declared input's example shape.
  public var inputShapes: [[Int]] { [input.shape] }
  /// The shape after the last layer.
  public var outputShapes: [LayerShape] { [outputShape] }
}
