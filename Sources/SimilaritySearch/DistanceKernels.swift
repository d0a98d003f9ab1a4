import CSimilarityKernels
import SimilarityKernels

/// Fast distance kernels: C with AVX-512 / AVX2+FMA / portable variants chosen at run time
/// (`isa` says which). Values follow `Distance.reference` (the oracle) up to float rounding.
public enum DistanceKernels {
  /// The SIMD instruction set the dispatched C kernels use: `avx512`, `avx2` or `portable`.
  public static var isa: String { InstructionSet.active.name }

  /// The value of `distance` between `a` (query/anchor) and `b`, as the reference defines it
  /// (`.cosine` expects L2-normalised inputs).
  public static func distance(_ distance: Distance, _ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "distance: dimensions \(a.count) and \(b.count) differ")
    return a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        self.distance(distance, pa.baseAddress!, pb.baseAddress!, count: a.count)
      }
    }
  }

  /// Pointer form of `distance(_:_:_:)`; both vectors hold `count` floats.
  public static func distance(
    _ distance: Distance, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int
  ) -> Float {
    switch distance {
    case .cosine: return max(1 - csim_dot(a, b, count), 0)
    case .euclidean: return max(csim_l2sq(a, b, count), 0).squareRoot()
    case .squaredEuclidean: return csim_l2sq(a, b, count)
    case .manhattan: return csim_l1(a, b, count)
    case .innerProduct: return csim_dot(a, b, count)
    case .snr: return csim_snr(a, b, count)
    }
  }
}

/// How an index evaluates a `Distance` internally: vectors are prepared once (normalised for
/// cosine, centred for SNR), ranking uses one of three kernels where smaller is nearer, and the
/// ranking value is converted to the reported value at the end.
struct DistanceSpace: Sendable {
  let distance: Distance
  let dimension: Int
  /// The C batched-kernel metric code.
  let metric: Int32

  init(distance: Distance, dimension: Int) {
    self.distance = distance
    self.dimension = dimension
    metric = DistanceSpace.metricCode(distance)
  }

  private static func metricCode(_ distance: Distance) -> Int32 {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr: Int32(CSIM_METRIC_L2SQ.rawValue)
    case .manhattan: Int32(CSIM_METRIC_L1.rawValue)
    case .innerProduct: Int32(CSIM_METRIC_NEG_DOT.rawValue)
    case .cosine: Int32(CSIM_METRIC_ONE_MINUS_DOT.rawValue)
    }
  }

  /// The ranking value between two prepared vectors (smaller is nearer).
  @inline(__always)
  func rankingDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr: csim_l2sq(a, b, dimension)
    case .manhattan: csim_l1(a, b, dimension)
    case .innerProduct: -csim_dot(a, b, dimension)
    case .cosine: 1 - csim_dot(a, b, dimension)
    }
  }

  /// `rankingDistance(a, b) < bound`, stopping the sum early once it exceeds `bound` when the
  /// kernel allows (L2², L1).
  @inline(__always)
  func rankingDistance(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, isBelow bound: Float
  ) -> Bool {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr: csim_l2sq_bounded(a, b, dimension, bound) < bound
    case .manhattan: csim_l1_bounded(a, b, dimension, bound) < bound
    case .innerProduct, .cosine: rankingDistance(a, b) < bound
    }
  }

  /// Ranking values from `query` to the rows `rows` of `base` (row-major, `dimension` wide).
  /// Values above a finite `bound` may be partial sums (early abandoning; still above `bound`).
  /// With `halfBase` (the same rows as float16, `dimension` halves each) the rows are read
  /// from it instead of `base`.
  @inline(__always)
  func rankingDistances(
    _ query: UnsafePointer<Float>, base: UnsafePointer<Float>,
    halfBase: UnsafePointer<UInt16>? = nil, rows: UnsafePointer<UInt32>,
    count: Int, bound: Float = .infinity, into out: UnsafeMutablePointer<Float>
  ) {
    if let halfBase {
      csim_distances_rows_half(metric, query, halfBase, dimension, rows, count, bound, out)
    } else {
      csim_distances_rows(metric, query, base, dimension, rows, count, bound, out)
    }
  }

  /// Checks a user vector and returns its prepared form (normalised / centred).
  func prepare(_ vector: UnsafeBufferPointer<Float>, row: Int? = nil) throws(SearchError)
    -> [Float]
  {
    guard vector.count == dimension else {
      throw .dimensionMismatch(expected: dimension, found: vector.count, row: row)
    }
    for (i, x) in vector.enumerated() where !x.isFinite {
      throw .nonFiniteComponent(row: row, component: i, value: x)
    }
    switch distance {
    case .cosine:
      var norm = 0.0
      for x in vector { norm += Double(x) * Double(x) }
      guard norm > 0, norm.isFinite else { throw .zeroVector(row: row, distance: distance) }
      let scale = Float(1 / norm.squareRoot())
      return vector.map { $0 * scale }
    case .snr:
      var mean = 0.0
      for x in vector { mean += Double(x) }
      mean /= Double(dimension)
      return vector.map { Float(Double($0) - mean) }
    case .euclidean, .squaredEuclidean, .manhattan, .innerProduct:
      return Array(vector)
    }
  }

  /// Array form of `prepare(_:row:)`.
  func prepare(_ vector: [Float]) throws(SearchError) -> [Float] {
    try vector.withUnsafeBufferPointer { (v) throws(SearchError) in try prepare(v) }
  }

  /// Extra per-query state for reporting: ‖c(q)‖² for SNR (must be > 0), else 1.
  func queryScale(_ prepared: [Float], row: Int?) throws(SearchError) -> Float {
    guard distance == .snr else { return 1 }
    var s = 0.0
    for x in prepared { s += Double(x) * Double(x) }
    guard s > 0 else { throw .zeroVector(row: row, distance: distance) }
    return Float(s)
  }

  /// Converts a ranking value to the reported `Neighbor.distance`.
  @inline(__always)
  func reported(_ ranking: Float, queryScale: Float) -> Float {
    switch distance {
    case .euclidean: max(ranking, 0).squareRoot()
    case .squaredEuclidean: max(ranking, 0)
    case .snr: max(ranking, 0) / queryScale
    case .manhattan: ranking
    case .innerProduct: -ranking
    case .cosine: max(ranking, 0)
    }
  }
}
