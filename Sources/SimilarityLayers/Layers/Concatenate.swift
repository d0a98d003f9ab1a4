import SimilarityTensors

/// Keras' `Concatenate`: joins its inputs along `axis` (default −1, the last; counted with the
/// batch axis as 0, negative from the end, as in Keras). Every other extent must agree.
///
///     [batch, 4, 8] ⧺ [batch, 4, 3] along −1 → [batch, 4, 11]
///
/// A composite of ``Tensor/concatenated(_:alongAxis:)``, whose derivative hands each input its
/// slice of the gradient.
public final class Concatenate: MergeLayer {
  /// `"Concatenate"`.
  public static let typeName = "Concatenate"
  /// `"concatenate"`.
  public static let defaultName = "concatenate"
  /// The layer's name.
  public var name: String
  /// The axis joined, batch axis 0; negative values count from the end.
  public let axis: Int

  /// Creates the layer.
  public init(axis: Int = -1, name: String? = nil) {
    self.axis = axis
    self.name = name ?? Self.defaultName
  }

  /// ``axis`` as a non-negative axis of a rank-`rank` shape, or `nil` if it is outside it
  /// or is the batch axis.
  func resolvedAxis(rank: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return (1..<max(1, rank)).contains(resolved) ? resolved : nil
  }

  /// The common shape with the extents along ``axis`` added.
  public func outputShape(forInputShapes shapes: [LayerShape]) throws(ArchitectureError)
    -> LayerShape
  {
    try checkInputCount(shapes)
    let rank = shapes[0].count
    guard let axis = resolvedAxis(rank: rank) else {
      throw incompatible(shapes, "axis \(self.axis) is not a non-batch axis of rank \(rank)")
    }
    var output = shapes[0]
    for shape in shapes.dropFirst() {
      guard shape.count == rank else { throw incompatible(shapes, "inputs have different ranks") }
      for other in 1..<rank where other != axis {
        if let a = output[other], let b = shape[other], a != b {
          throw incompatible(
            shapes, "axis \(other) has extents \(a) and \(b) (only axis \(axis) may differ)")
        }
      }
      if let sum = output[axis], let extent = shape[axis] {
        let (total, overflow) = sum.addingReportingOverflow(extent)
        guard !overflow else { throw incompatible(shapes, "axis \(axis) overflows") }
        output[axis] = total
      } else {
        output[axis] = nil
      }
    }
    return output
  }

  /// The inputs joined along ``axis``.
  public func callAsFunction(_ inputs: [Tensor]) -> Tensor {
    guard let axis = resolvedAxis(rank: inputs[0].rank) else {
      preconditionFailure("Concatenate '\(name)': axis \(self.axis) outside \(inputs[0].shape)")
    }
    return Tensor.concatenated(inputs, alongAxis: axis)
  }

  /// The hyper-parameters of a `Concatenate` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The axis joined (batch axis 0, negative from the end).
    public var axis: Int
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .concatenate(Configuration(name: name, axis: axis))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(axis: c.axis, name: c.name)
  }
}
