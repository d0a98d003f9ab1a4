import SimilarityKernels

extension Tensor {
  /// `axis` counted from the end when negative; stops when outside `0..<rank`.
  func normalizedAxis(_ axis: Int, _ op: @autoclosure () -> String, rank: Int? = nil) -> Int {
    let rank = rank ?? self.rank
    let result = axis < 0 ? axis + rank : axis
    precondition(result >= 0 && result < rank, "\(op()): axis \(axis) out of range for shape \(shape)")
    return result
  }

  /// The shape with `axes` set to 1 (kept) or removed.
  static func reducedShape(_ shape: [Int], axes: [Int], keepingDimensions: Bool) -> [Int] {
    keepingDimensions
      ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
      : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
  }

  /// `(outer, extent, inner)` of `axis` in `shape`.
  static func split(_ shape: [Int], at axis: Int) -> (outer: Int, extent: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  // MARK: Kernels

  /// The sum of all elements (eight partial sums, so the loop vectorises).
  static func sumKernel(_ x: [Float]) -> Float {
    x.withUnsafeBufferPointer { sumKernel($0.baseAddress, count: $0.count) }
  }

  @inline(__always)
  static func sumKernel(_ p: UnsafePointer<Float>?, count n: Int) -> Float {
    guard let p else { return 0 }
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= n {
      acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
      i += 8
    }
    var total = acc.sum()
    while i < n {
      total += p[i]
      i += 1
    }
    return total
  }

  /// Sums `x` of `[outer, extent, inner]` over the middle axis → `[outer, inner]`.
  static func sumKernel(_ x: [Float], outer: Int, extent: Int, inner: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: outer * inner) { buffer, initialized in
      let out = buffer.baseAddress!
      x.withUnsafeBufferPointer { source in
        guard let s = source.baseAddress else {
          out.initialize(repeating: 0, count: outer * inner)
          return
        }
        if inner == 1 {
          ThreadPool.shared.parallelForChunks(outer, minimumChunk: Swift.max(1, 32_768 / Swift.max(extent, 1))) {
            rows in
            for o in rows { out[o] = sumKernel(s + o * extent, count: extent) }
          }
        } else {
          ThreadPool.shared.parallelForChunks(outer, minimumChunk: Swift.max(1, 32_768 / Swift.max(extent * inner, 1))) {
            rows in
            for o in rows {
              let row = out + o * inner
              row.initialize(repeating: 0, count: inner)
              for j in 0..<extent {
                let src = s + (o * extent + j) * inner
                for i in 0..<inner { row[i] += src[i] }
              }
            }
          }
        }
      }
      initialized = outer * inner
    }
  }

  /// Sums `x` of `shape` over `axes` (any order, unique, non-negative), in the row-major
  /// layout of the kept axes.
  static func sumKernel(_ x: [Float], shape: [Int], axes: [Int]) -> [Float] {
    var current = x
    var currentShape = shape
    // Runs of consecutive axes reduce in one pass; process the runs from the last axis.
    var runs: [(Int, Int)] = []
    for axis in axes.sorted() {
      if let last = runs.last, last.1 == axis - 1 {
        runs[runs.count - 1].1 = axis
      } else {
        runs.append((axis, axis))
      }
    }
    for (first, last) in runs.reversed() {
      let outer = currentShape[..<first].reduce(1, *)
      let extent = currentShape[first...last].reduce(1, *)
      let inner = currentShape[(last + 1)...].reduce(1, *)
      current = sumKernel(current, outer: outer, extent: extent, inner: inner)
      for axis in first...last { currentShape[axis] = 1 }
    }
    return current
  }

  // MARK: Sums and means

  /// The sum of all elements, a scalar (shape `[]`).
  public func sum() -> Tensor {
    let shape = self.shape
    return Tensor.recording(shape: [], scalars: [Tensor.sumKernel(scalars)], inputs: [self]) {
      gradient, _ in
      [Tensor(repeating: gradient.scalars[0], shape: shape)]
    }
  }

  /// The sum over `axes` (negative axes count from the end); the reduced axes are removed, or
  /// kept with extent 1 when `keepingDimensions` is true.
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = Array(Set(axes.map { normalizedAxis($0, "sum(alongAxes:)") })).sorted()
    let shape = self.shape
    let keptShape = Tensor.reducedShape(shape, axes: axes, keepingDimensions: true)
    let outShape = Tensor.reducedShape(shape, axes: axes, keepingDimensions: keepingDimensions)
    let output = Tensor.sumKernel(scalars, shape: shape, axes: axes)
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      [Tensor(shape: shape, scalars: Tensor(shape: keptShape, scalars: gradient.scalars).broadcastScalars(to: shape))]
    }
  }

  /// The sum along one axis.
  public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The mean of all elements, a scalar.
  public func mean() -> Tensor {
    sum() * (1 / Float(Swift.max(count, 1)))
  }

  /// The mean over `axes`.
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = Array(Set(axes.map { normalizedAxis($0, "mean(alongAxes:)") }))
    let n = axes.reduce(1) { $0 * shape[$1] }
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(n, 1)))
  }

  /// The mean along one axis.
  public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The (biased, divide-by-n) variance over `axes`.
  public func variance(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let centered = self - mean(alongAxes: axes, keepingDimensions: true)
    return centered.squared().mean(alongAxes: axes, keepingDimensions: keepingDimensions)
  }

  /// The (biased) variance of all elements, a scalar.
  public func variance() -> Tensor {
    (self - mean()).squared().mean()
  }

  // MARK: Extremes

  /// The maximum along `axis`. Derivative: the gradient goes to the (first) position of the
  /// maximum.
  public func max(alongAxis axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    extreme(alongAxis: axis, keepingDimensions: keepingDimensions, isMax: true)
  }

  /// The minimum along `axis`. Derivative: the gradient goes to the (first) position of the
  /// minimum.
  public func min(alongAxis axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    extreme(alongAxis: axis, keepingDimensions: keepingDimensions, isMax: false)
  }

  private func extreme(alongAxis axis: Int, keepingDimensions: Bool, isMax: Bool) -> Tensor {
    let axis = normalizedAxis(axis, isMax ? "max(alongAxis:)" : "min(alongAxis:)")
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    precondition(extent > 0, "\(isMax ? "max" : "min")(alongAxis:): empty axis in shape \(shape)")
    let positions = Tensor.argExtreme(scalars, outer: outer, extent: extent, inner: inner, isMax: isMax)
    let x = scalars
    let output = positions.map { x[$0] }
    let shape = self.shape
    let outShape = Tensor.reducedShape(shape, axes: [axis], keepingDimensions: keepingDimensions)
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      var dx = [Float](repeating: 0, count: x.count)
      for (i, position) in positions.enumerated() { dx[position] += gradient.scalars[i] }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }

  /// Flat positions of the extreme element of every `[outer, ·, inner]` fibre.
  static func argExtreme(
    _ x: [Float], outer: Int, extent: Int, inner: Int, isMax: Bool
  ) -> [Int] {
    var positions = [Int](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        var best = o * extent * inner + i
        var value = x[best]
        for j in 1..<Swift.max(extent, 1) {
          let p = (o * extent + j) * inner + i
          if isMax ? x[p] > value : x[p] < value {
            value = x[p]
            best = p
          }
        }
        positions[o * inner + i] = best
      }
    }
    return positions
  }

  /// Index of the maximum along `axis` of a 2-D tensor: per row for axis 1 (or -1), per
  /// column for axis 0. Ties give the first index.
  public func argmax(alongAxis axis: Int = -1) -> [Int] {
    precondition(rank == 2, "argmax(alongAxis:): expected a 2-D tensor, got shape \(shape)")
    let axis = normalizedAxis(axis, "argmax(alongAxis:)")
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    let positions = Tensor.argExtreme(scalars, outer: outer, extent: extent, inner: inner, isMax: true)
    return positions.map { axis == 1 ? $0 % extent : $0 / inner }
  }

  /// `log(sum(exp(x)))` along `axis`, computed stably by subtracting the maximum first.
  public func logSumExp(alongAxis axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    // The shift is a constant for differentiation: the result does not depend on it. A slice
    // whose maximum is ±∞ is not shifted (so an all −∞ slice gives −∞, not NaN).
    let maxima = self.detached.max(alongAxis: axis, keepingDimensions: true)
    let shift = Tensor(shape: maxima.shape, scalars: maxima.scalars.map { $0.isFinite ? $0 : 0 })
    let result = (self - shift).exp().sum(alongAxes: [axis], keepingDimensions: true).log() + shift
    return keepingDimensions ? result : result.squeezingShape(at: axis)
  }
}
