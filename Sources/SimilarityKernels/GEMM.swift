import CSimilarityBLAS

/// Whether a GEMM operand is used as stored or transposed.
public enum Transpose: Sendable {
  case none
  case transposed
}

/// Single-precision matrix multiply, `C = alpha · op(A) · op(B) + beta · C`, row-major.
///
/// This is the backend boundary of the tensor core: everything that multiplies matrices
/// (Dense, Conv2D via im2col, batched distances) calls `GEMM.multiply`. The default backend is
/// CBLAS (OpenBLAS on Linux, Accelerate on macOS); `GEMM.reference` is the plain-Swift oracle.
public enum GEMM {
  /// Computes `C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C` with CBLAS.
  ///
  /// - Parameters:
  ///   - a: `[m, k]` (or `[k, m]` when `transA == .transposed`), leading dimension `lda`.
  ///   - b: `[k, n]` (or `[n, k]` when `transB == .transposed`), leading dimension `ldb`.
  ///   - c: `[m, n]`, leading dimension `ldc`.
  @inlinable
  public static func multiply(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if m == 0 || n == 0 { return }
    if k == 0 {
      // CBLAS treats k == 0 as "scale C by beta"; do the same without calling it.
      for i in 0..<m {
        for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
      }
      return
    }
    cblas_sgemm(
      CblasRowMajor, transA == .none ? CblasNoTrans : CblasTrans,
      transB == .none ? CblasNoTrans : CblasTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// The plain-Swift reference GEMM (same contract as `multiply`), accumulating in Double.
  /// Tests use it as the oracle for the BLAS path.
  public static func reference(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let x = transA == .none ? a[i * lda + p] : a[p * lda + i]
          let y = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
          sum += Double(x) * Double(y)
        }
        let previous = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
        c[i * ldc + j] = Float(Double(alpha) * sum + previous)
      }
    }
  }

  /// The name of the BLAS kernel that runs (OpenBLAS' core type, e.g. `Haswell`, `SkylakeX`,
  /// `Cooperlake`). Benchmarks print it, since `OPENBLAS_CORETYPE` changes speed twofold.
  public static var kernelName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The BLAS build configuration string.
  public static var configuration: String {
    guard let config = openblas_get_config() else { return "unknown" }
    return String(cString: config)
  }

  /// Sets how many threads the BLAS may use for one call.
  public static func setThreadCount(_ count: Int) {
    openblas_set_num_threads(Int32(max(1, count)))
  }

  /// How many threads the BLAS uses for one call.
  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Runs `body` with the BLAS limited to one thread per call (so that the ``ThreadPool`` can
  /// run several GEMMs side by side without two thread pools competing for the cores), then
  /// restores the previous setting.
  public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    let previous = threadCount
    if previous == 1 { return try body() }
    setThreadCount(1)
    defer { setThreadCount(previous) }
    return try body()
  }
}
