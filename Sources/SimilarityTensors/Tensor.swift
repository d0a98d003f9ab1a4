/// An n-dimensional array of `Float`, row-major and contiguous, on the CPU.
///
/// `Tensor` is a value type with copy-on-write storage. When it was produced by an operation
/// on tensors that take part in differentiation (see ``Tensor/variable()`` and
/// ``valueWithGradient(at:of:)``), it also carries a reference to the node of the
/// reverse-mode graph that produced it; otherwise it carries nothing extra and operations on it
/// record nothing.
///
/// Shapes are checked on every operation; a mismatch is a programming error and stops with a
/// precondition that prints both shapes.
public struct Tensor: Sendable {
  /// The extent of each axis, outermost first. `[]` is a scalar.
  public let shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public internal(set) var scalars: [Float]
  /// The reverse-mode node that produced this tensor, if it takes part in differentiation.
  let node: GradientNode?

  /// Creates a tensor from its shape and row-major scalars.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
    self.node = nil
  }

  init(shape: [Int], scalars: [Float], node: GradientNode?) {
    self.shape = shape
    self.scalars = scalars
    self.node = node
  }

  /// A rank-0 tensor holding `value`.
  public init(_ value: Float) {
    self.init(shape: [], scalars: [value])
  }

  /// A tensor of `shape` with every element equal to `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A `[rows.count, columns]` tensor from nested arrays (every row must have the same length).
  public init(rows: [[Float]]) {
    let columns = rows.first?.count ?? 0
    precondition(
      rows.allSatisfy { $0.count == columns }, "Tensor(rows:): rows of different lengths")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// Zeros of the given shape.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// Ones of the given shape.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// Number of axes.
  public var rank: Int { shape.count }

  /// Total number of elements.
  public var count: Int { scalars.count }

  /// The single element of a tensor with one element (any rank).
  public var item: Float {
    precondition(scalars.count == 1, "item: tensor of shape \(shape) has \(scalars.count) elements")
    return scalars[0]
  }

  /// Whether this tensor takes part in differentiation (was produced from a variable).
  public var isDifferentiable: Bool { node != nil }

  /// The same values, cut off from the gradient graph.
  public var detached: Tensor { Tensor(shape: shape, scalars: scalars) }

  /// Row-major strides of `shape`.
  public var strides: [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in (0..<shape.count).reversed() {
      result[axis] = step
      step *= shape[axis]
    }
    return result
  }

  /// Element at a full multi-index.
  public subscript(index: Int...) -> Float {
    precondition(index.count == shape.count, "subscript: index \(index) for shape \(shape)")
    var offset = 0
    for (axis, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[axis], "subscript: index \(index) out of shape \(shape)")
      offset = offset * shape[axis] + i
    }
    return scalars[offset]
  }
}

extension Tensor: CustomStringConvertible {
  /// A short description: shape and the first few elements.
  public var description: String {
    let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(head)\(scalars.count > 8 ? ", …" : "")])"
  }
}

extension Tensor {
  /// Whether two tensors have the same shape and all elements within `tolerance`
  /// (absolute plus relative to the larger magnitude).
  public func isClose(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
    guard shape == other.shape else { return false }
    for (a, b) in zip(scalars, other.scalars) {
      if a.isNaN != b.isNaN { return false }
      if Swift.abs(a - b) > tolerance * (1 + Swift.max(Swift.abs(a), Swift.abs(b))) { return false }
    }
    return true
  }
}
