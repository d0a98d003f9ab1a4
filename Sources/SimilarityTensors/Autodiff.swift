/// A node of the reverse-mode graph: the op's inputs (those that take part in
/// differentiation) and the pullback that maps the gradient of the op's output to the
/// gradients of its inputs.
///
/// Nodes are immutable once created; gradients are accumulated in a table local to one
/// backward pass, so a graph can be differentiated more than once and from several threads.
final class GradientNode: Sendable {
  /// One entry per op input, `nil` where that input does not take part in differentiation.
  let inputs: [GradientNode?]
  /// Maps the output gradient to one gradient per input (same order as `inputs`).
  /// `needed[i]` is false where the caller will discard gradient `i`, so the op may skip it and
  /// return `nil` there.
  let pullback: (@Sendable (_ gradient: Tensor, _ needed: [Bool]) -> [Tensor?])?
  /// The output shape, to check pullback results.
  let shape: [Int]

  init(
    inputs: [GradientNode?], shape: [Int],
    pullback: (@Sendable (Tensor, [Bool]) -> [Tensor?])?
  ) {
    self.inputs = inputs
    self.shape = shape
    self.pullback = pullback
  }
}

extension Tensor {
  /// A copy of this tensor that is a leaf of the gradient graph: operations on it record
  /// their pullbacks, and ``gradients(of:)`` can return the gradient with respect to it.
  public func variable() -> Tensor {
    Tensor(shape: shape, scalars: scalars, node: GradientNode(inputs: [], shape: shape, pullback: nil))
  }

  /// The result of a primitive op on `inputs`: records `pullback` when any input takes part
  /// in differentiation, otherwise returns a plain tensor.
  ///
  /// Primitive ops call this with their forward result and their derivative, written side by
  /// side. `pullback` receives the gradient of the output and which input gradients are
  /// needed, and returns one gradient per input with that input's shape (or `nil`).
  @inlinable
  public static func recording(
    shape: [Int], scalars: [Float], inputs: [Tensor],
    pullback: @escaping @Sendable (_ gradient: Tensor, _ needed: [Bool]) -> [Tensor?]
  ) -> Tensor {
    makeRecorded(shape: shape, scalars: scalars, inputs: inputs, pullback: pullback)
  }

  @usableFromInline
  static func makeRecorded(
    shape: [Int], scalars: [Float], inputs: [Tensor],
    pullback: @escaping @Sendable (Tensor, [Bool]) -> [Tensor?]
  ) -> Tensor {
    guard inputs.contains(where: { $0.node != nil }) else {
      return Tensor(shape: shape, scalars: scalars)
    }
    let node = GradientNode(inputs: inputs.map(\.node), shape: shape, pullback: pullback)
    return Tensor(shape: shape, scalars: scalars, node: node)
  }

  /// The gradients of this tensor (summed if it has more than one element, i.e. seeded with
  /// ones, or seeded with `seed`) with respect to each of `variables`.
  ///
  /// A variable this tensor does not depend on gets a zero gradient of its shape.
  ///
  /// - Parameters:
  ///   - variables: tensors created with ``variable()`` (or by ``valueWithGradient(at:of:)``).
  ///   - seed: the gradient of the output, `self.shape`; ones when `nil`.
  public func gradients(of variables: [Tensor], seed: Tensor? = nil) -> [Tensor] {
    if let seed {
      precondition(seed.shape == shape, "gradients: seed shape \(seed.shape) != output shape \(shape)")
    }
    guard let root = node else {
      return variables.map { Tensor.zeros($0.shape) }
    }
    let targets = Set(variables.compactMap { $0.node.map(ObjectIdentifier.init) })

    // Topological order (inputs before outputs), iteratively to survive deep graphs.
    var order: [GradientNode] = []
    var visited: Set<ObjectIdentifier> = []
    var stack: [(GradientNode, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (current, next) = stack.popLast() {
      if next < current.inputs.count {
        stack.append((current, next + 1))
        if let input = current.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
          stack.append((input, 0))
        }
      } else {
        order.append(current)
      }
    }

    // A node needs a gradient only if it leads to one of the requested variables.
    var leadsToTarget: Set<ObjectIdentifier> = []
    for current in order {
      let id = ObjectIdentifier(current)
      if targets.contains(id)
        || current.inputs.contains(where: { $0.map { leadsToTarget.contains(ObjectIdentifier($0)) } ?? false })
      {
        leadsToTarget.insert(id)
      }
    }

    var accumulated: [ObjectIdentifier: Tensor] = [
      ObjectIdentifier(root): seed?.detached ?? Tensor.ones(shape)
    ]
    for current in order.reversed() {
      let id = ObjectIdentifier(current)
      guard leadsToTarget.contains(id), let pullback = current.pullback,
        let gradient = accumulated[id]
      else { continue }
      if !targets.contains(id) { accumulated[id] = nil }  // free intermediate gradients early
      let needed = current.inputs.map { $0.map { leadsToTarget.contains(ObjectIdentifier($0)) } ?? false }
      let inputGradients = pullback(gradient, needed)
      precondition(inputGradients.count == current.inputs.count, "pullback returned \(inputGradients.count) gradients for \(current.inputs.count) inputs")
      for (input, inputGradient) in zip(current.inputs, inputGradients) {
        guard let input, let inputGradient, leadsToTarget.contains(ObjectIdentifier(input)) else { continue }
        precondition(
          inputGradient.shape == input.shape,
          "pullback: gradient shape \(inputGradient.shape) != input shape \(input.shape)")
        let inputID = ObjectIdentifier(input)
        if let existing = accumulated[inputID] {
          accumulated[inputID] = existing.addingInPlace(inputGradient)
        } else {
          accumulated[inputID] = inputGradient.detached
        }
      }
    }
    return variables.map { variable in
      guard let node = variable.node, let gradient = accumulated[ObjectIdentifier(node)] else {
        return Tensor.zeros(variable.shape)
      }
      return gradient
    }
  }

  /// `self + other` without recording, reusing `self`'s storage when it is unique.
  func addingInPlace(_ other: Tensor) -> Tensor {
    var result = self.detached
    result.scalars.withUnsafeMutableBufferPointer { r in
      other.scalars.withUnsafeBufferPointer { o in
        for i in 0..<r.count { r[i] += o[i] }
      }
    }
    return result
  }
}

/// Evaluates `body` with every parameter taking part in differentiation and returns its value
/// together with the gradient of that value with respect to each parameter.
///
/// While `body` runs, each parameter's ``Parameter/value`` is its current value marked as a
/// variable, so layers that read their parameters record the graph; afterwards the values
/// are restored unmarked. Do not run two of these on the same parameters at once.
///
/// - Returns: the value of `body` (detached) and one gradient per parameter, same order.
public func valueWithGradient(
  at parameters: [Parameter], of body: () throws -> Tensor
) rethrows -> (value: Tensor, gradients: [Tensor]) {
  let originals = parameters.map(\.value)
  let variables = originals.map { $0.variable() }
  for (parameter, variable) in zip(parameters, variables) { parameter.value = variable }
  defer { for (parameter, original) in zip(parameters, originals) { parameter.value = original } }
  let value = try body()
  let gradients = value.gradients(of: variables)
  return (value.detached, gradients)
}
