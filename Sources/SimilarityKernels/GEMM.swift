import CSimilarityBLAS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

  /// Below this many floating-point operations (`2·m·n·k`) ``parallelMultiply`` runs one
  /// GEMM on the caller: splitting costs a few microseconds.
  public nonisolated(unsafe) static var parallelThreshold = 2_000_000

  /// Whether ``parallelMultiply`` splits over the ``ThreadPool`` (otherwise it leaves the
  /// threading to the BLAS).
  public nonisolated(unsafe) static var splitsOverThreadPool = true

  /// The least work (`2·m·n·k` of the piece) ``parallelMultiply`` gives one piece beyond
  /// the first one per thread.
  public nonisolated(unsafe) static var minimumPieceFlops = 2_000_000

  /// The fewest rows (or columns, in the split direction) ``parallelMultiply`` gives one piece
  /// beyond the first one per thread. Every single-threaded BLAS call packs the whole operand
  /// that is not split again, a cost of about 2.5 / extent of the piece's arithmetic (measured
  /// on Zen 3, `similarity bench kernels --only gemm`: 32-row pieces of the siamese MLP's
  /// products took 5–15% longer than 128-row ones); 64 keeps it near 4%.
  public nonisolated(unsafe) static var minimumPieceExtent = 64

  /// The number of blocks ``parallelMultiply`` cuts `extent` (the larger of `m`, `n`) into for
  /// a product of `flops` operations: at least one per thread where there are enough 16-wide
  /// blocks, up to ``ThreadPool/piecesPerThread`` per thread while each keeps
  /// ``minimumPieceFlops`` and ``minimumPieceExtent``; 1 below ``parallelThreshold``. Depends only on the shape and the
  /// pool's thread count — it must: OpenBLAS' single-threaded result for an output row can
  /// differ in the last bit with the size of the block the row is computed in.
  static func pieceCount(extent: Int, flops: Double) -> Int {
    let threads = ThreadPool.shared.threadCount
    guard flops >= Double(parallelThreshold), threads > 1 else { return 1 }
    let blocks = extent / 16
    let byWork = Int(flops / Double(Swift.max(1, minimumPieceFlops)))
    let byExtent = extent / Swift.max(1, minimumPieceExtent)
    let pieces = Swift.min(threads * ThreadPool.piecesPerThread, blocks, byWork, byExtent)
    return Swift.max(Swift.min(threads, blocks), pieces)
  }

  /// ``multiply`` split over the ``ThreadPool``: the larger of `m` and `n` is cut into
  /// blocks (multiples of 16 rows/columns, the BLAS' register blocking; several per thread
  /// when the product is large enough, ``pieceCount(extent:flops:)``) that the threads claim
  /// as they go, each a single-threaded GEMM. A thread that loses its core (the machine is
  /// shared) then holds up one block, not a fixed half of the product.
  ///
  /// Two BLAS threads scale erratically on the small and skinny GEMMs of training (1.0–1.9×,
  /// numeric-facts §1); independent single-threaded GEMMs on parts of the output avoid the
  /// BLAS' own synchronisation. The blocks depend only on the shape (and the pool's thread
  /// count), and every block runs single-threaded whether the blocks run in parallel or (pool
  /// busy) one after the other, whichever thread takes it, so results are bitwise
  /// reproducible. Same contract as ``multiply``.
  public static func parallelMultiply(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard splitsOverThreadPool else {
      multiply(
        transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
        beta: beta, c: c, ldc: ldc)
      return
    }
    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    let splitRows = m >= n
    let extent = splitRows ? m : n
    let parts = pieceCount(extent: extent, flops: flops)
    withSingleThreadedBLAS {
      if parts <= 1 {
        multiply(
          transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
          beta: beta, c: c, ldc: ldc)
        return
      }
      ThreadPool.shared.parallelFor(parts) { part in
        let blocks = (extent + 15) / 16
        let range = ThreadPool.chunk(part, of: blocks, parts: parts)
        let start = range.lowerBound * 16
        let end = Swift.min(range.upperBound * 16, extent)
        if start >= end { return }
        if splitRows {
          multiply(
            transA, transB, m: end - start, n: n, k: k, alpha: alpha,
            a: transA == .none ? a + start * lda : a + start, lda: lda, b: b, ldb: ldb,
            beta: beta, c: c + start * ldc, ldc: ldc)
        } else {
          multiply(
            transA, transB, m: m, n: end - start, k: k, alpha: alpha, a: a, lda: lda,
            b: transB == .none ? b + start : b + start * ldb, ldb: ldb,
            beta: beta, c: c + start, ldc: ldc)
        }
      }
    }
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
  /// run several GEMMs side by side without two thread pools competing for the cores).
  ///
  /// Sections nest and may overlap across threads: the first one to start switches the BLAS
  /// to one thread and the last one to end restores the previous setting, so no GEMM inside
  /// any section ever runs multi-threaded (which keeps results reproducible).
  public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    SingleThreadedSections.shared.enter()
    defer { SingleThreadedSections.shared.leave() }
    return try body()
  }
}

/// The reference count behind ``GEMM/withSingleThreadedBLAS(_:)``.
final class SingleThreadedSections: @unchecked Sendable {
  static let shared = SingleThreadedSections()

  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private var active = 0
  private var saved = 1

  private init() { pthread_mutex_init(mutex, nil) }

  func enter() {
    pthread_mutex_lock(mutex)
    if active == 0 {
      saved = GEMM.threadCount
      if saved != 1 { GEMM.setThreadCount(1) }
    }
    active += 1
    pthread_mutex_unlock(mutex)
  }

  func leave() {
    pthread_mutex_lock(mutex)
    active -= 1
    if active == 0 && saved != 1 { GEMM.setThreadCount(saved) }
    pthread_mutex_unlock(mutex)
  }
}
