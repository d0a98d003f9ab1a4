import SimilarityTensors

/// A layer that takes several tensors of one batch and returns one: Keras' merge layers
/// (``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Concatenate``).
///
/// Merge layers are called on arrays, in a ``Functional`` model on arrays of
/// ``SymbolicTensor``s (`try Add()([x, shortcut])`), which checks the shapes when the graph is
/// built and throws ``ArchitectureError/incompatibleShapes(layer:type:shapes:reason:)``.
/// They have no parameters.
public protocol MergeLayer: Layer {
  /// How many inputs the layer takes (``Subtract`` exactly two, the others one or more).
  var inputCounts: ClosedRange<Int> { get }

  /// The output shape for inputs of `inputShapes` (batch axis `nil`).
  ///
  /// - Throws: ``ArchitectureError/incompatibleShapes(layer:type:shapes:reason:)`` when the
  ///   shapes cannot be merged, or the number of inputs is wrong.
  func outputShape(forInputShapes inputShapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape

  /// Merges `inputs` (`[batch, …]` each, shapes accepted by
  /// ``outputShape(forInputShapes:)``).
  func callAsFunction(_ inputs: [Tensor]) -> Tensor
}

extension MergeLayer {
  /// One or more inputs.
  public var inputCounts: ClosedRange<Int> { 1...Int.max }

  /// The shape of a single input (a merge of one tensor is that tensor).
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// `self([input])`.
  public func callAsFunction(_ input: Tensor) -> Tensor { self([input]) }

  /// The error for inputs of `shapes` this layer cannot merge.
  func incompatible(_ shapes: [LayerShape], _ reason: String) -> ArchitectureError {
    .incompatibleShapes(layer: name, type: typeName, shapes: shapes, reason: reason)
  }

  /// Throws unless the number of inputs is in ``inputCounts``.
  func checkInputCount(_ shapes: [LayerShape]) throws(ArchitectureError) {
    guard inputCounts.contains(shapes.count) else {
      let expected =
        inputCounts.lowerBound == inputCounts.upperBound
        ? "exactly \(inputCounts.lowerBound)" : "at least \(inputCounts.lowerBound)"
      throw incompatible(shapes, "takes \(expected) inputs, found \(shapes.count)")
    }
  }

  /// Keras' rule for element-wise merges: equal ranks, and on each axis equal extents or 1
  /// (broadcast) — the batch axis is `nil` everywhere.
  func elementwiseOutputShape(_ shapes: [LayerShape]) throws(ArchitectureError) -> LayerShape {
    try checkInputCount(shapes)
    var output = shapes[0]
    for shape in shapes.dropFirst() {
      guard shape.count == output.count else {
        throw incompatible(shapes, "inputs have different ranks")
      }
      for axis in 1..<max(1, shape.count) {
        switch (output[axis], shape[axis]) {
        case let (a?, b?) where a == b || b == 1: break
        case let (a?, b?) where a == 1: output[axis] = b
        case let (a?, b?):
          throw incompatible(shapes, "axis \(axis) has extents \(a) and \(b)")
        default: output[axis] = nil
        }
      }
    }
    return output
  }
}

/// Formats shapes for an error: `(None, 4), (None, 3)`.
func pythonTuples(_ shapes: [LayerShape]) -> String {
  shapes.map(pythonTuple).joined(separator: ", ")
}
