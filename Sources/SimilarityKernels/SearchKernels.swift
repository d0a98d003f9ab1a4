import CSimilarityKernels

// The Swift face of the search-side C kernels (`CSimilarityKernels.h`). Only SimilarityKernels
// imports the C module; SimilaritySearch and the tools call these. Every function is
// `@inlinable` and only forwards its arguments, so a call from another module compiles to the
// same direct call of the C entry point (the HNSW walk calls some of them per candidate).
// Shapes are row-major; "dispatched" means the variant of ``InstructionSet/active``.

/// The reduction of a batched row-distance kernel; smaller is nearer for each.
public enum RowMetric: Int32, Sendable, CaseIterable {
  /// `Σ (q − x)²` (`CSIM_METRIC_L2SQ`).
  case squaredEuclidean = 0
  /// `−Σ q·x` (`CSIM_METRIC_NEG_DOT`).
  case negativeDot = 1
  /// `Σ |q − x|` (`CSIM_METRIC_L1`).
  case manhattan = 2
  /// `1 − Σ q·x` (`CSIM_METRIC_ONE_MINUS_DOT`).
  case oneMinusDot = 3
}

/// float32 vector reductions (family ``KernelFamily/distance``) and the batched row distances
/// of the HNSW walk (families ``KernelFamily/distance`` and ``KernelFamily/half``).
public enum VectorKernels {
  /// `Σ (a[i] − b[i])²` over `count` floats.
  @inlinable @inline(__always)
  public static func squaredEuclidean(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int
  ) -> Float {
    csim_l2sq(a, b, count)
  }

  /// `Σ a[i]·b[i]` over `count` floats.
  @inlinable @inline(__always)
  public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    csim_dot(a, b, count)
  }

  /// `Σ |a[i] − b[i]|` over `count` floats.
  @inlinable @inline(__always)
  public static func manhattan(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int
  ) -> Float {
    csim_l1(a, b, count)
  }

  /// The signal-to-noise-ratio distance `var(a − b) / var(a)` (population variances), `a` the
  /// anchor, over `count` floats.
  @inlinable @inline(__always)
  public static func signalToNoise(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int
  ) -> Float {
    csim_snr(a, b, count)
  }

  /// `Σ (a[i] − b[i])²`, or, once a partial sum exceeds `bound`, that partial sum (early
  /// abandoning: a result above `bound` only means "farther than `bound`").
  @inlinable @inline(__always)
  public static func squaredEuclidean(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, abandoningAbove bound: Float
  ) -> Float {
    csim_l2sq_bounded(a, b, count, bound)
  }

  /// `Σ |a[i] − b[i]|` with the early-abandoning contract of
  /// ``squaredEuclidean(_:_:count:abandoningAbove:)``.
  @inlinable @inline(__always)
  public static func manhattan(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, abandoningAbove bound: Float
  ) -> Float {
    csim_l1_bounded(a, b, count, bound)
  }

  /// For `j` in `0..<count`: `out[j] = metric(query, base + rows[j]·dimension)`, prefetching
  /// the next row. `query` holds `dimension` floats, `base` is `[slots, dimension]`, `rows`
  /// and `out` hold `count` entries. For L2² and L1 a finite `bound` allows early abandoning
  /// (a value above `bound` then only means "farther than `bound`"); pass `.infinity` for
  /// exact values.
  @inlinable @inline(__always)
  public static func distances(
    _ metric: RowMetric, query: UnsafePointer<Float>, base: UnsafePointer<Float>, dimension: Int,
    rows: UnsafePointer<UInt32>, count: Int, bound: Float, into out: UnsafeMutablePointer<Float>
  ) {
    csim_distances_rows(metric.rawValue, query, base, dimension, rows, count, bound, out)
  }

  /// ``distances(_:query:base:dimension:rows:count:bound:into:)`` with float16 rows:
  /// `halfBase` is `[slots, dimension]` IEEE binary16 values; the query stays float32.
  @inlinable @inline(__always)
  public static func distances(
    _ metric: RowMetric, query: UnsafePointer<Float>, halfBase: UnsafePointer<UInt16>,
    dimension: Int, rows: UnsafePointer<UInt32>, count: Int, bound: Float,
    into out: UnsafeMutablePointer<Float>
  ) {
    csim_distances_rows_half(metric.rawValue, query, halfBase, dimension, rows, count, bound, out)
  }
}

/// IEEE binary16 storage (family ``KernelFamily/half``).
public enum HalfPrecision {
  /// `out[i] = half(x[i])` for `i` in `0..<count`, rounded to nearest even; magnitudes beyond
  /// the largest half (65504) saturate to ±65504, NaN stays NaN.
  @inlinable @inline(__always)
  public static func convert(
    _ x: UnsafePointer<Float>, toHalf out: UnsafeMutablePointer<UInt16>, count: Int
  ) {
    csim_float_to_half(x, out, count)
  }

  /// `out[i] = float(x[i])` for `i` in `0..<count` (exact).
  @inlinable @inline(__always)
  public static func convert(
    _ x: UnsafePointer<UInt16>, toFloat out: UnsafeMutablePointer<Float>, count: Int
  ) {
    csim_half_to_float(x, out, count)
  }
}

/// The selection passes of exact search over a row of scores (family ``KernelFamily/scan``).
public enum SelectionScan {
  /// For `j` in `0..<count`: `v = offset + scale·scores[j] + (norms?[j] ?? 0)`; the entries
  /// with `v <= threshold` are written in order to `indices` / `values` (each with room for
  /// `count` entries). Returns their number.
  @inlinable @inline(__always)
  public static func below(
    scores: UnsafePointer<Float>, norms: UnsafePointer<Float>?, scale: Float, offset: Float,
    count: Int, threshold: Float, indices: UnsafeMutablePointer<UInt32>,
    values: UnsafeMutablePointer<Float>
  ) -> Int {
    csim_scan_below(scores, norms, scale, offset, count, threshold, indices, values)
  }

  /// The bounded pass (bfloat16 scores): `v` as in ``below(scores:norms:scale:offset:count:threshold:indices:values:)``
  /// and `e = slack·roots[j]`; the entries with `v − e <= threshold` are written in order to
  /// `indices` / `lower` (`v − e`) / `upper` (`v + e`), each with room for `count` entries.
  /// Returns their number.
  @inlinable @inline(__always)
  public static func bounded(
    scores: UnsafePointer<Float>, norms: UnsafePointer<Float>?, roots: UnsafePointer<Float>,
    scale: Float, offset: Float, slack: Float, count: Int, threshold: Float,
    indices: UnsafeMutablePointer<UInt32>, lower: UnsafeMutablePointer<Float>,
    upper: UnsafeMutablePointer<Float>
  ) -> Int {
    csim_scan_bounded(
      scores, norms, roots, scale, offset, slack, count, threshold, indices, lower, upper)
  }
}

/// bfloat16 scoring of exact search (family ``KernelFamily/bfloat16``): rows and queries are
/// packed as bfloat16 pairs, products are exact in float32 and summed in float32.
public enum BFloat16Scoring {
  /// Whether the dispatched kernel uses AVX512_BF16 (otherwise AVX2 or portable code computes
  /// the same products, more slowly).
  @inlinable
  public static var isAccelerated: Bool { csim_bf16_available() != 0 }

  /// Packs float32 rows `x[count, dimension]` into bfloat16 panels as slots
  /// `firstSlot ..< firstSlot + count`: panel `p` holds slots `16p ..< 16p + 16` as
  /// ⌈dimension/2⌉ groups of 16 words, word `(t, lane)` = `(x[2t + 1] << 16) | x[2t]` of slot
  /// `16p + lane` (zero past `dimension`).
  @inlinable @inline(__always)
  public static func packRows(
    _ x: UnsafePointer<Float>, count: Int, dimension: Int, firstSlot: Int,
    into panels: UnsafeMutablePointer<UInt32>
  ) {
    csim_bf16_pack_rows(x, count, dimension, firstSlot, panels)
  }

  /// Words ``packQueries(_:count:dimension:into:)`` writes for `count` queries.
  @inlinable @inline(__always)
  public static func queryWords(count: Int, dimension: Int) -> Int {
    csim_bf16_query_words(count, dimension)
  }

  /// Packs float32 queries `q[count, dimension]` as bfloat16 pairs in tiles of 12 queries.
  @inlinable @inline(__always)
  public static func packQueries(
    _ q: UnsafePointer<Float>, count: Int, dimension: Int, into out: UnsafeMutablePointer<UInt32>
  ) {
    csim_bf16_pack_queries(q, count, dimension, out)
  }

  /// `scores[i · ldc + 16(p − firstPanel) + lane]` = the float32-accumulated dot product of
  /// packed query `i` (`i < queryCount`) and slot `16p + lane`, for panels
  /// `firstPanel ..< firstPanel + panelCount`; dispatched, or at `level` when given.
  @inlinable @inline(__always)
  public static func scores(
    queries: UnsafePointer<UInt32>, queryCount: Int, dimension: Int,
    panels: UnsafePointer<UInt32>, firstPanel: Int, panelCount: Int,
    into scores: UnsafeMutablePointer<Float>, ldc: Int, at level: InstructionSet? = nil
  ) {
    if let level {
      csim_bf16_scores_at(
        Int32(level.rawValue), queries, queryCount, dimension, panels, firstPanel, panelCount,
        scores, ldc)
    } else {
      csim_bf16_scores(queries, queryCount, dimension, panels, firstPanel, panelCount, scores, ldc)
    }
  }
}

/// Memory and synchronisation helpers of the index storage.
public enum IndexMemory {
  /// A buffer of `byteCount` bytes, 64-byte aligned; from 2 MiB on 2 MiB aligned and advised
  /// for transparent huge pages (Linux) unless `CSIM_NO_HUGE_PAGES` is set to non-zero. `nil`
  /// when out of memory. Release with ``releaseLarge(_:)``.
  @inlinable @inline(__always)
  public static func allocateLarge(byteCount: Int) -> UnsafeMutableRawPointer? {
    csim_allocate_large(byteCount)
  }

  /// Releases a buffer of ``allocateLarge(byteCount:)`` (`nil` does nothing).
  @inlinable @inline(__always)
  public static func releaseLarge(_ pointer: UnsafeMutableRawPointer?) {
    csim_free_large(pointer)
  }

  /// Prefetches the first cache lines at `pointer` (a hint; never faults).
  @inlinable @inline(__always)
  public static func prefetch(_ pointer: UnsafeRawPointer) {
    csim_prefetch(pointer)
  }

  /// Takes the spin lock `word` (0 = free, 1 = held), spinning until it is free.
  @inlinable @inline(__always)
  public static func spinLock(_ word: UnsafeMutablePointer<Int32>) {
    csim_spin_lock(word)
  }

  /// Releases the spin lock `word`.
  @inlinable @inline(__always)
  public static func spinUnlock(_ word: UnsafeMutablePointer<Int32>) {
    csim_spin_unlock(word)
  }

  /// Atomically adds `delta` to `word` (relaxed) and returns the previous value.
  @inlinable @inline(__always)
  public static func fetchAdd(_ word: UnsafeMutablePointer<Int64>, _ delta: Int64) -> Int64 {
    csim_fetch_add(word, delta)
  }
}
