import SimilarityKernels

/// Principal component analysis of points in `d` dimensions: the mean and the top `k` unit
/// eigenvectors of the sample covariance, found by power iteration with deflation (each
/// vector is re-orthogonalised against the earlier ones at every step).
///
/// Points are a row-major `[n, d]` array. The covariance `XcᵀXc / (n − 1)` of the centred data
/// is one GEMM (`SimilarityKernels.GEMM`); the iteration runs in `Double`. Each component's sign
/// is fixed so that its largest-magnitude entry is positive, so results do not depend on the
/// random start beyond rounding.
public struct PCA: Sendable {
  /// The mean of the points, `d` values.
  public let mean: [Float]
  /// The principal axes, largest variance first; each is `d` values of unit length.
  public let components: [[Double]]
  /// The variance of the data along each component (the covariance's eigenvalues).
  public let variances: [Double]
  /// The input dimension `d`.
  public let dimension: Int

  /// Fits `componentCount` components to `n = points.count / dimension` points.
  /// - Parameters:
  ///   - points: row-major `[n, dimension]`, `n ≥ 1`.
  ///   - componentCount: how many axes, at most `dimension`.
  ///   - seed: the start vectors of the power iteration.
  ///   - maximumIterations: per component; the iteration stops earlier once the vector moves by
  ///     less than 1e-10.
  public init(
    points: [Float], dimension: Int, componentCount: Int = 2, seed: UInt64 = 0,
    maximumIterations: Int = 1000
  ) {
    precondition(
      dimension > 0 && points.count % dimension == 0 && !points.isEmpty,
      "PCA: \(points.count) values are not rows of \(dimension)")
    precondition(
      componentCount >= 1 && componentCount <= dimension,
      "PCA: \(componentCount) components of \(dimension) dimensions")
    let n = points.count / dimension
    let d = dimension
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<n {
      for j in 0..<d { mean[j] += Double(points[i * d + j]) }
    }
    mean = mean.map { $0 / Double(n) }
    var centred = points
    for i in 0..<n {
      for j in 0..<d { centred[i * d + j] -= Float(mean[j]) }
    }
    var covarianceFloat = [Float](repeating: 0, count: d * d)
    centred.withUnsafeBufferPointer { x in
      covarianceFloat.withUnsafeMutableBufferPointer { c in
        GEMM.multiply(
          .transposed, .none, m: d, n: d, k: n, alpha: 1 / Float(max(n - 1, 1)),
          a: x.baseAddress!, lda: d, b: x.baseAddress!, ldb: d, c: c.baseAddress!, ldc: d)
      }
    }
    let covariance = covarianceFloat.map(Double.init)

    var generator = SplitMix64(seed: seed)
    var components: [[Double]] = []
    var variances: [Double] = []
    for _ in 0..<componentCount {
      var v = (0..<d).map { _ in Double(generator.nextNormal()) }
      Self.orthonormalize(&v, against: components)
      for _ in 0..<maximumIterations {
        var next = Self.multiply(covariance, v, d)
        Self.orthonormalize(&next, against: components)
        let change = zip(next, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        v = next
        if change < 1e-20 { break }
      }
      // A fixed sign: the largest-magnitude entry is positive.
      if let largest = v.max(by: { abs($0) < abs($1) }), largest < 0 { v = v.map { -$0 } }
      let cv = Self.multiply(covariance, v, d)
      variances.append(zip(v, cv).reduce(0) { $0 + $1.0 * $1.1 })
      components.append(v)
    }
    self.mean = mean.map(Float.init)
    self.components = components
    self.variances = variances
    self.dimension = d
  }

  /// The coordinates of `points` (row-major `[n, dimension]`) along the components: row-major
  /// `[n, components.count]`.
  public func project(_ points: [Float]) -> [Double] {
    precondition(points.count % dimension == 0, "PCA.project: rows of \(dimension) expected")
    let n = points.count / dimension
    var result = [Double](repeating: 0, count: n * components.count)
    for i in 0..<n {
      for (c, axis) in components.enumerated() {
        var sum = 0.0
        for j in 0..<dimension {
          sum += (Double(points[i * dimension + j]) - Double(mean[j])) * axis[j]
        }
        result[i * components.count + c] = sum
      }
    }
    return result
  }

  /// The first two coordinates of each point, for a 2-D picture (the second is 0 when only
  /// one component was fitted).
  public func project2D(_ points: [Float]) -> [SIMD2<Double>] {
    let k = components.count
    let flat = project(points)
    return stride(from: 0, to: flat.count, by: k).map {
      SIMD2(flat[$0], k > 1 ? flat[$0 + 1] : 0)
    }
  }

  private static func multiply(_ matrix: [Double], _ vector: [Double], _ d: Int) -> [Double] {
    var result = [Double](repeating: 0, count: d)
    matrix.withUnsafeBufferPointer { m in
      for i in 0..<d {
        var sum = 0.0
        for j in 0..<d { sum += m[i * d + j] * vector[j] }
        result[i] = sum
      }
    }
    return result
  }

  /// Removes the projections on `basis` (orthonormal) and scales to unit length; a vector that
  /// vanishes is replaced by the first coordinate axis not in the span.
  private static func orthonormalize(_ v: inout [Double], against basis: [[Double]]) {
    for _ in 0..<2 {
      for axis in basis {
        let dot = zip(v, axis).reduce(0) { $0 + $1.0 * $1.1 }
        for j in v.indices { v[j] -= dot * axis[j] }
      }
    }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 1e-300 {
      v = v.map { $0 / norm }
    } else {
      v = [Double](repeating: 0, count: v.count)
      v[min(basis.count, v.count - 1)] = 1
    }
  }
}
