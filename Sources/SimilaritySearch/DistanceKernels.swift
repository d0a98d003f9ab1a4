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
    case .cosine: return max(1 - VectorKernels.dot(a, b, count: count), 0)
    case .euclidean: return max(VectorKernels.squaredEuclidean(a, b, count: count), 0).squareRoot()
    case .squaredEuclidean: return VectorKernels.squaredEuclidean(a, b, count: count)
    case .manhattan: return VectorKernels.manhattan(a, b, count: count)
    case .innerProduct: return VectorKernels.dot(a, b, count: count)
    case .snr: return VectorKernels.signalToNoise(a, b, count: count)
    }
  }
}

/// How an index evaluates a `Distance` internally: vectors are prepared once (normalised for
/// cosine, centred for SNR), ranking uses one of three kernels where smaller is nearer, and the
/// ranking value is converted to the reported value at the end.
struct DistanceSpace: Sendable {
  let distance: Distance
  let dimension: Int
  /// The batched kernels' reduction.
  let metric: RowMetric

  init(distance: Distance, dimension: Int) {
    self.distance = distance
    self.dimension = dimension
    metric = DistanceSpace.metricCode(distance)
  }

  private static func metricCode(_ distance: Distance) -> RowMetric {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr: .squaredEuclidean
    case .manhattan: .manhattan
    case .innerProduct: .negativeDot
    case .cosine: .oneMinusDot
    }
  }

  /// The ranking value between two prepared vectors (smaller is nearer).
  @inline(__always)
  func rankingDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr: VectorKernels.squaredEuclidean(a, b, count: dimension)
    case .manhattan: VectorKernels.manhattan(a, b, count: dimension)
    case .innerProduct: -VectorKernels.dot(a, b, count: dimension)
    case .cosine: 1 - VectorKernels.dot(a, b, count: dimension)
    }
  }

  /// `rankingDistance(a, b) < bound`, stopping the sum early once it exceeds `bound` when the
  /// kernel allows (L2², L1).
  @inline(__always)
  func rankingDistance(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, isBelow bound: Float
  ) -> Bool {
    switch distance {
    case .euclidean, .squaredEuclidean, .snr:
      VectorKernels.squaredEuclidean(a, b, count: dimension, abandoningAbove: bound) < bound
    case .manhattan: VectorKernels.manhattan(a, b, count: dimension, abandoningAbove: bound) < bound
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
      VectorKernels.distances(
        metric, query: query, halfBase: halfBase, dimension: dimension, rows: rows, count: count,
        bound: bound, into: out)
    } else {
      VectorKernels.distances(
        metric, query: query, base: base, dimension: dimension, rows: rows, count: count,
        bound: bound, into: out)
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
