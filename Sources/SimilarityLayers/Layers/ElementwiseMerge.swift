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

/// Keras' `Add`: the element-wise sum of its inputs, `[batch, …]` each → `[batch, …]`.
public final class Add: MergeLayer {
  /// `"Add"`.
  public static let typeName = "Add"
  /// `"add"`.
  public static let defaultName = "add"
  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }
  /// The broadcast shape of the inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }
  /// `inputs[0] + inputs[1] + …`.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    ElementwiseMergeOperation.add.apply(inputs)
  }
  /// `{"name"}`.
  public var configuration: LayerConfiguration? { .add(NameConfiguration(name: name)) }
}

/// Keras' `Subtract`: `inputs[0] − inputs[1]` (exactly two inputs).
public final class Subtract: MergeLayer {
  /// `"Subtract"`.
  public static let typeName = "Subtract"
  /// `"subtract"`.
  public static let defaultName = "subtract"
  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }
  /// Exactly two inputs.
  public var inputCounts: ClosedRange<Int> { 2...2 }
  /// The broadcast shape of the two inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }
  /// `inputs[0] − inputs[1]`.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    precondition(inputs.count == 2, "Subtract '\(name)': needs two inputs, got \(inputs.count)")
    return ElementwiseMergeOperation.subtract.apply(inputs)
  }
  /// `{"name"}`.
  public var configuration: LayerConfiguration? { .subtract(NameConfiguration(name: name)) }
}

/// Keras' `Multiply`: the element-wise product of its inputs.
public final class Multiply: MergeLayer {
  /// `"Multiply"`.
  public static let typeName = "Multiply"
  /// `"multiply"`.
  public static let defaultName = "multiply"
  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }
  /// The broadcast shape of the inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }
  /// `inputs[0] · inputs[1] · …`.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    ElementwiseMergeOperation.multiply.apply(inputs)
  }
  /// `{"name"}`.
  public var configuration: LayerConfiguration? { .multiply(NameConfiguration(name: name)) }
}

/// Keras' `Average`: the element-wise mean of its inputs.
public final class Average: MergeLayer {
  /// `"Average"`.
  public static let typeName = "Average"
  /// `"average"`.
  public static let defaultName = "average"
  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }
  /// The broadcast shape of the inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }
  /// `(inputs[0] + inputs[1] + …) / n`.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    ElementwiseMergeOperation.average.apply(inputs)
  }
  /// `{"name"}`.
  public var configuration: LayerConfiguration? { .average(NameConfiguration(name: name)) }
}

/// Keras' `Maximum`: the element-wise maximum of its inputs (the gradient goes to the first
/// input holding the maximum).
public final class Maximum: MergeLayer {
  /// `"Maximum"`.
  public static let typeName = "Maximum"
  /// `"maximum"`.
  public static let defaultName = "maximum"
  /// The layer's name.
  public var name: String
  /// Creates the layer.
  public init(name: String? = nil) { self.name = name ?? Self.defaultName }
  /// The broadcast shape of the inputs.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  { try elementwiseOutputShape(shapes) }
  /// `max(inputs[0], inputs[1], …)`.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    ElementwiseMergeOperation.maximum.apply(inputs)
  }
  /// `{"name"}`.
  public var configuration: LayerConfiguration? { .maximum(NameConfiguration(name: name)) }
}
