import SimilarityKernels

extension Tensor {
  /// The same elements with a new shape of the same element count; one extent may be -1 and
  /// is then inferred. No copy. Derivative: the gradient reshaped back.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var newShape = newShape
    if let unknown = newShape.firstIndex(of: -1) {
      precondition(newShape.filter { $0 == -1 }.count == 1, "reshaped: more than one -1 in \(newShape)")
      let known = newShape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && count % known == 0, "reshaped: cannot reshape \(shape) to \(newShape)")
      newShape[unknown] = count / known
    }
    precondition(
      newShape.allSatisfy { $0 >= 0 } && newShape.reduce(1, *) == count,
      "reshaped: cannot reshape \(shape) to \(newShape)")
    if newShape == shape { return self }
    let shape = self.shape
    return Tensor.recording(shape: newShape, scalars: scalars, inputs: [self]) { g, _ in
      [Tensor(shape: shape, scalars: g.scalars)]
    }
  }

  /// The same as ``reshaped(_:)`` (Swift for TensorFlow's spelling).
  public func reshaped(to newShape: [Int]) -> Tensor { reshaped(newShape) }

  /// `[batch, d1, d2, …] → [batch, d1·d2·…]`.
  public func flattened() -> Tensor {
    precondition(rank >= 1, "flattened: needs at least one axis, got shape \(shape)")
    return reshaped([shape[0], shape.dropFirst().reduce(1, *)])
  }

  /// Inserts an axis of extent 1 at `axis` (negative counts from the end of the new shape).
  public func expandingShape(at axis: Int) -> Tensor {
    let axis = normalizedAxis(axis, "expandingShape(at:)", rank: rank + 1)
    var newShape = shape
    newShape.insert(1, at: axis)
    return reshaped(newShape)
  }

  /// Removes the axis `axis`, which must have extent 1.
  public func squeezingShape(at axis: Int) -> Tensor {
    let axis = normalizedAxis(axis, "squeezingShape(at:)")
    precondition(shape[axis] == 1, "squeezingShape(at: \(axis)): extent is not 1 in shape \(shape)")
    var newShape = shape
    newShape.remove(at: axis)
    return reshaped(newShape)
  }

  /// The transpose of a 2-D tensor, `[m, n] → [n, m]`.
  public func transposed() -> Tensor {
    precondition(rank == 2, "transposed(): expected a 2-D tensor, got shape \(shape)")
    return transposed(permutation: [1, 0])
  }

  /// The axes reordered: axis `i` of the result is axis `permutation[i]` of `self`.
  /// Derivative: the gradient transposed by the inverse permutation.
  public func transposed(permutation: [Int]) -> Tensor {
    precondition(
      permutation.count == rank && Set(permutation) == Set(0..<rank),
      "transposed(permutation:): \(permutation) is not a permutation of the axes of \(shape)")
    if permutation == Array(0..<rank) { return self }
    let newShape = permutation.map { shape[$0] }
    let output = Tensor.permute(scalars, shape: shape, permutation: permutation)
    var inversePermutation = [Int](repeating: 0, count: rank)
    for (i, p) in permutation.enumerated() { inversePermutation[p] = i }
    let inverse = inversePermutation
    return Tensor.recording(shape: newShape, scalars: output, inputs: [self]) { g, _ in
      [g.transposed(permutation: inverse)]
    }
  }

  /// Row-major scalars of `x` (of `shape`) with its axes permuted.
  static func permute(_ x: [Float], shape: [Int], permutation: [Int]) -> [Float] {
    let n = x.count
    if n == 0 { return [] }
    let newShape = permutation.map { shape[$0] }
    let inputStrides = Tensor.rowMajorStrides(shape)
    let gathered = permutation.map { inputStrides[$0] }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      x.withUnsafeBufferPointer { source in
        let s = source.baseAddress!
        if newShape.count == 2 {
          // Blocked 2-D transpose for cache friendliness.
          let (rows, columns) = (newShape[0], newShape[1])
          let block = 32
          for r0 in stride(from: 0, to: rows, by: block) {
            for c0 in stride(from: 0, to: columns, by: block) {
              for r in r0..<Swift.min(r0 + block, rows) {
                for c in c0..<Swift.min(c0 + block, columns) {
                  out[r * columns + c] = s[r * gathered[0] + c * gathered[1]]
                }
              }
            }
          }
        } else {
          let inner = newShape.last!
          let step = gathered.last!
          forEachRow(newShape, gathered, gathered) { o, offset, _ in
            for j in 0..<inner { out[o + j] = s[offset + j * step] }
          }
        }
      }
      initialized = n
    }
  }

  /// Row-major strides of an arbitrary shape.
  static func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      result[axis] = step
      step *= shape[axis]
    }
    return result
  }

  /// The tensor repeated along stretched axes to `newShape` (NumPy broadcasting rules).
  /// Derivative: the gradient summed back to this shape.
  public func broadcast(to newShape: [Int]) -> Tensor {
    let result = Tensor.broadcastShape(shape, newShape, "broadcast(to:)")
    precondition(result == newShape, "broadcast(to:): cannot broadcast \(shape) to \(newShape)")
    if newShape == shape { return self }
    let shape = self.shape
    return Tensor.recording(shape: newShape, scalars: broadcastScalars(to: newShape), inputs: [self]) {
      g, _ in [g.summed(toShape: shape)]
    }
  }
}
