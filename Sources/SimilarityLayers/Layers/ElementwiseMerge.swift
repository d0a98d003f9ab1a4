import SimilarityTensors

/// The element-wise merge layers, Keras' `Add`, `Subtract`, `Multiply`, `Average` and
/// `Maximum`: inputs of one shape (or extents of 1 that broadcast, NumPy-style) combined
/// element by element. Each is a composite of ``Tensor`` primitives (`+`, `-`, `*`,
/// `maximum(_:)`), whose derivatives are theirs.
enum ElementwiseMergeOperation: Sendable {
  /// `x₁ + x₂ + …`.
  case add
  /// `x₁ − x₂` (exactly two inputs).
  case subtract
  /// `x₁ · x₂ · …`.
  case multiply
  /// `(x₁ + x₂ + …) / n`.
  case average
  /// `max(x₁, x₂, …)` element-wise (ties to the earlier input).
  case maximum

  /// Combines `inputs` (at least one; two for subtraction).
  func apply(_ inputs: [Tensor]) -> Tensor {
    switch self {
    case .add: return inputs.dropFirst().reduce(inputs[0], +)
    case .subtract: return inputs[0] - inputs[1]
    case .multiply: return inputs.dropFirst().reduce(inputs[0], *)
    case .average: return inputs.dropFirst().reduce(inputs[0], +) / Float(inputs.count)
    case .maximum: return inputs.dropFirst().reduce(inputs[0]) { $0.maximum($1) }
    }
  }
}

/// What the element-wise merge layers share; each subclass names its Keras type and its
/// ``ElementwiseMergeOperation``.
public class ElementwiseMergeLayer: MergeLayer {
  /// The Keras class name (each subclass gives its own).
  public class var typeName: String { "ElementwiseMerge" }
  /// The Keras default name (each subclass gives its own).
  public class var defaultName: String { "elementwise_merge" }
  /// How the inputs combine.
  class var operation: ElementwiseMergeOperation { .add }

  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }

  /// Exactly two inputs for ``Subtract``, one or more for the others.
  public var inputCounts: ClosedRange<Int> { Self.operation == .subtract ? 2...2 : 1...Int.max }

  /// The broadcast shape of the inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }

  /// The inputs combined element by element (shapes accepted by
  /// ``outputShape(forInputShapes:)``).
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    precondition(
      inputCounts.contains(inputs.count),
      "\(Self.typeName) '\(name)': needs \(inputCounts.lowerBound == inputCounts.upperBound ? "\(inputCounts.lowerBound)" : "at least \(inputCounts.lowerBound)") inputs, got \(inputs.count)")
    return Self.operation.apply(inputs)
  }

  /// `{"name"}` in the subclass's case.
  public var configuration: LayerConfiguration? { nil }
}

/// Keras' `Add`: the element-wise sum of its inputs, `[batch, …]` each → `[batch, …]`.
public final class Add: ElementwiseMergeLayer {
  /// `"Add"`.
  override public class var typeName: String { "Add" }
  /// `"add"`.
  override public class var defaultName: String { "add" }
  override class var operation: ElementwiseMergeOperation { .add }
  /// `{"name"}`.
  override public var configuration: LayerConfiguration? { .add(NameConfiguration(name: name)) }
}

/// Keras' `Subtract`: `inputs[0] − inputs[1]` (exactly two inputs).
public final class Subtract: ElementwiseMergeLayer {
  /// `"Subtract"`.
  override public class var typeName: String { "Subtract" }
  /// `"subtract"`.
  override public class var defaultName: String { "subtract" }
  override class var operation: ElementwiseMergeOperation { .subtract }
  /// `{"name"}`.
  override public var configuration: LayerConfiguration? { .subtract(NameConfiguration(name: name)) }
}

/// Keras' `Multiply`: the element-wise product of its inputs.
public final class Multiply: ElementwiseMergeLayer {
  /// `"Multiply"`.
  override public class var typeName: String { "Multiply" }
  /// `"multiply"`.
  override public class var defaultName: String { "multiply" }
  override class var operation: ElementwiseMergeOperation { .multiply }
  /// `{"name"}`.
  override public var configuration: LayerConfiguration? { .multiply(NameConfiguration(name: name)) }
}

/// Keras' `Average`: the element-wise mean of its inputs.
public final class Average: ElementwiseMergeLayer {
  /// `"Average"`.
  override public class var typeName: String { "Average" }
  /// `"average"`.
  override public class var defaultName: String { "average" }
  override class var operation: ElementwiseMergeOperation { .average }
  /// `{"name"}`.
  override public var configuration: LayerConfiguration? { .average(NameConfiguration(name: name)) }
}

/// Keras' `Maximum`: the element-wise maximum of its inputs (the gradient goes to the first
/// input holding the maximum).
public final class Maximum: ElementwiseMergeLayer {
  /// `"Maximum"`.
  override public class var typeName: String { "Maximum" }
  /// `"maximum"`.
  override public class var defaultName: String { "maximum" }
  override class var operation: ElementwiseMergeOperation { .maximum }
  /// `{"name"}`.
  override public var configuration: LayerConfiguration? { .maximum(NameConfiguration(name: name)) }
}
