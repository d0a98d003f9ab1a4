import CSimilarityBLAS

/// Principal axes of a set of rows: the orthonormal eigenvectors of their covariance matrix,
/// ordered by decreasing variance (Pearson 1901; Hotelling 1933).
///
/// Used as a rotation: `y = x · V` preserves every Euclidean distance and inner product
/// (`V` is orthogonal), and puts most of a difference vector's squared length in the first
/// components, so a partial sum of squared differences reaches a rejection bound after a few
/// components instead of most of them.
public enum PrincipalAxes {
  /// The largest dimension ``fit`` accepts: its `[dimension, dimension]` matrices then take
  /// 256 MiB each, and LAPACK's 32-bit workspace sizes stay in range.
  public static let maximumDimension = 8192

  /// The `[dimension, dimension]` row-major matrix `V` whose column `j` is the axis of the
  /// `j`-th largest variance of `rows` (`[count, dimension]` row-major). At most `sampleLimit`
  /// evenly spaced rows are used. The columns are orthonormal to float32 rounding; if the
  /// eigensolver fails (LAPACK `info ≠ 0`, not seen in practice) the identity is returned, which
  /// is still a rotation.
  ///
  /// - Complexity: O(min(count, sampleLimit) · dimension² + dimension³).
  public static func fit(
    rows: UnsafePointer<Float>, count: Int, dimension d: Int, sampleLimit: Int = 8192
  ) -> [Float] {
    precondition(
      count >= 1 && (1...maximumDimension).contains(d),
      "PrincipalAxes.fit: \(count) rows of dimension \(d) (1…\(maximumDimension))")
    let n = min(count, max(sampleLimit, 1))
    // Evenly spaced sample, centred on its mean.
    var sample = [Float](repeating: 0, count: n * d)
    var mean = [Double](repeating: 0, count: d)
    for r in 0..<n {
      let source = rows + (r * count / n) * d
      for j in 0..<d {
        sample[r * d + j] = source[j]
        mean[j] += Double(source[j])
      }
    }
    for j in 0..<d { mean[j] /= Double(n) }
    for r in 0..<n {
      for j in 0..<d { sample[r * d + j] -= Float(mean[j]) }
    }
    // Scatter matrix Sᵀ S (the covariance up to a factor that does not change the axes).
    var scatter = [Float](repeating: 0, count: d * d)
    sample.withUnsafeBufferPointer { s in
      scatter.withUnsafeMutableBufferPointer { c in
        GEMM.multiply(.transposed, .none, m: d, n: d, k: n, a: s.baseAddress!, lda: d,
                      b: s.baseAddress!, ldb: d, c: c.baseAddress!, ldc: d)
      }
    }
    guard let axes = symmetricEigenvectors(&scatter, n: d) else {
      var identity = [Float](repeating: 0, count: d * d)
      for j in 0..<d { identity[j * d + j] = 1 }
      return identity
    }
    // LAPACK returns ascending eigenvalues with eigenvector j in column j of a column-major
    // matrix, i.e. row j of `axes` read row-major; V's column j is the (d−1−j)-th of them.
    var v = [Float](repeating: 0, count: d * d)
    for j in 0..<d {
      let source = (d - 1 - j) * d
      for i in 0..<d { v[i * d + j] = axes[source + i] }
    }
    return v
  }

  /// The eigenvectors of the symmetric `n × n` matrix `a` (overwritten), in ascending order of
  /// eigenvalue, eigenvector `j` at `[j·n, (j+1)·n)`; `nil` when LAPACK reports failure.
  static func symmetricEigenvectors(_ a: inout [Float], n: Int) -> [Float]? {
    var jobz = CChar(UInt8(ascii: "V"))
    var uplo = CChar(UInt8(ascii: "U"))
    var order = Int32(n)
    var lda = Int32(n)
    var values = [Float](repeating: 0, count: n)
    var lwork = Int32(1 + 6 * n + 2 * n * n)
    var liwork = Int32(3 + 5 * n)
    var work = [Float](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    var info: Int32 = 0
    ssyevd_(&jobz, &uplo, &order, &a, &lda, &values, &work, &lwork, &iwork, &liwork, &info, 1, 1)
    return info == 0 ? a : nil
  }
}
