import SimilarityKernels

// NumPy broadcasting: shapes are aligned at their trailing axes; an axis of extent 1 (or a
// missing leading axis) stretches to the other operand's extent.
extension Tensor {
  /// The broadcast shape of `a` and `b`; stops with both shapes when they are incompatible.
  static func broadcastShape(_ a: [Int], _ b: [Int], _ op: @autoclosure () -> String) -> [Int] {
    if a == b { return a }
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      let x = axis - (rank - a.count) >= 0 ? a[axis - (rank - a.count)] : 1
      let y = axis - (rank - b.count) >= 0 ? b[axis - (rank - b.count)] : 1
      precondition(
        x == y || x == 1 || y == 1, "\(op()): shapes \(a) and \(b) are not broadcast-compatible")
      result[axis] = x == 1 ? y : x
    }
    return result
  }

  /// Strides of `shape` seen as `outShape` (same or lower rank, broadcast-compatible): 0
  /// on stretched and missing axes.
  static func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
    let offset = outShape.count - shape.count
    var strides = [Int](repeating: 0, count: outShape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis + offset] = shape[axis] == 1 ? 0 : step
      step *= shape[axis]
    }
    return strides
  }

  /// Whether `shape` (leading 1s ignored) equals the trailing axes of `outShape`, i.e. it
  /// repeats as whole rows of `outShape`.
  static func isTrailingRow(_ shape: [Int], of outShape: [Int]) -> Bool {
    var trimmed = shape[...]
    while trimmed.first == 1 { trimmed = trimmed.dropFirst() }
    return trimmed.count <= outShape.count && Array(outShape.suffix(trimmed.count)) == Array(trimmed)
  }

  /// Calls `body(outOffset, aOffset, bOffset)` for the start of every innermost row of
  /// `outShape` (the last axis), given both operands' broadcast strides.
  @inline(__always)
  static func forEachRow(
    _ outShape: [Int], _ stridesA: [Int], _ stridesB: [Int],
    _ body: (_ out: Int, _ a: Int, _ b: Int) -> Void
  ) {
    let rank = outShape.count
    let inner = rank == 0 ? 1 : outShape[rank - 1]
    let rows = inner == 0 ? 0 : outShape.reduce(1, *) / inner
    var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
    var (a, b) = (0, 0)
    for row in 0..<rows {
      body(row * inner, a, b)
      // Advance the multi-index over the outer axes.
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        a += stridesA[axis]
        b += stridesB[axis]
        if index[axis] < outShape[axis] { break }
        a -= stridesA[axis] * outShape[axis]
        b -= stridesB[axis] * outShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }

  /// `f(a, b)` element-wise with broadcasting to `outShape`. Fast paths: equal shapes, a
  /// scalar operand, an operand repeating as trailing rows; otherwise a strided loop.
  @inline(__always)
  static func broadcastBinary<F: BinaryScalarFunction>(
    _ a: Tensor, _ b: Tensor, outShape: [Int], grain: Int, _ f: F
  ) -> [Float] {
    let n = outShape.reduce(1, *)
    if a.shape == b.shape { return zipMap(a.scalars, b.scalars, grain: grain, f) }
    if n == 0 { return [] }
    if b.count == 1 {
      let x = a.scalars.count == n ? a.scalars : a.broadcastScalars(to: outShape)
      return map(x, grain: grain, BindSecond(f: f, y: b.scalars[0]))
    }
    if a.count == 1 {
      let y = b.scalars.count == n ? b.scalars : b.broadcastScalars(to: outShape)
      return map(y, grain: grain, BindFirst(f: f, x: a.scalars[0]))
    }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
          let (x, y) = (pa.baseAddress!, pb.baseAddress!)
          if a.count == n && isTrailingRow(b.shape, of: outShape) {
            let width = b.count
            ThreadPool.shared.parallelForChunks(n / width, minimumChunk: Swift.max(1, grain / width)) {
              rows in
              for r in rows {
                let base = r * width
                for j in 0..<width { out[base + j] = f(x[base + j], y[j]) }
              }
            }
          } else if b.count == n && isTrailingRow(a.shape, of: outShape) {
            let width = a.count
            ThreadPool.shared.parallelForChunks(n / width, minimumChunk: Swift.max(1, grain / width)) {
              rows in
              for r in rows {
                let base = r * width
                for j in 0..<width { out[base + j] = f(x[j], y[base + j]) }
              }
            }
          } else {
            let sa = broadcastStrides(a.shape, to: outShape)
            let sb = broadcastStrides(b.shape, to: outShape)
            let inner = outShape.last ?? 1
            let (ia, ib) = (sa.last ?? 0, sb.last ?? 0)
            forEachRow(outShape, sa, sb) { o, oa, ob in
              for j in 0..<inner { out[o + j] = f(x[oa + j * ia], y[ob + j * ib]) }
            }
          }
        }
      }
      initialized = n
    }
  }

  /// This tensor's scalars repeated to `outShape` (broadcast-compatible), without recording.
  func broadcastScalars(to outShape: [Int]) -> [Float] {
    if shape == outShape { return scalars }
    let n = outShape.reduce(1, *)
    if n == 0 { return [] }
    if count == 1 { return [Float](repeating: scalars[0], count: n) }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      scalars.withUnsafeBufferPointer { source in
        let x = source.baseAddress!
        if Tensor.isTrailingRow(shape, of: outShape) {
          let width = count
          for r in 0..<(n / width) {
            (out + r * width).update(from: x, count: width)
          }
        } else {
          let strides = Tensor.broadcastStrides(shape, to: outShape)
          let inner = outShape.last ?? 1
          let step = strides.last ?? 0
          Tensor.forEachRow(outShape, strides, strides) { o, offset, _ in
            for j in 0..<inner { out[o + j] = x[offset + j * step] }
          }
        }
      }
      initialized = n
    }
  }

  /// The sum of this tensor over the axes that broadcasting stretched to produce it from a
  /// tensor of `target` shape; the reverse of broadcasting, used by pullbacks.
  func summed(toShape target: [Int]) -> Tensor {
    if shape == target { return self.detached }
    let targetCount = target.reduce(1, *)
    if targetCount == 1 { return Tensor(shape: target, scalars: [Tensor.sumKernel(scalars)]) }
    let offset = rank - target.count
    precondition(offset >= 0, "summed(toShape:): \(shape) cannot reduce to \(target)")
    var axes: [Int] = Array(0..<offset)
    for axis in 0..<target.count where target[axis] != shape[axis + offset] {
      precondition(
        target[axis] == 1, "summed(toShape:): \(shape) cannot reduce to \(target)")
      axes.append(axis + offset)
    }
    let reduced = Tensor.sumKernel(scalars, shape: shape, axes: axes)
    return Tensor(shape: target, scalars: reduced)
  }
}
