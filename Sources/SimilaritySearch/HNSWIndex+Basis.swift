import SimilarityKernels

/// The coordinates an `HNSWIndex` walks its graph in.
public enum TraversalBasis: String, Sendable, CaseIterable, Codable {
  /// The stored vectors as they are (the default).
  case original
  /// The vectors rotated onto their principal axes (`y = x · V`, `V` orthogonal: every
  /// Euclidean distance and inner product is unchanged up to float32 rounding). Most of a
  /// difference's squared length then sits in the first components, so a walk distance that
  /// cannot beat the current bound stops after one or two cache lines instead of reading most
  /// of the row. The graph is built from the same distances (up to rounding), so it is
  /// equivalent to the original basis's, not bit-identical. The index
  /// keeps the rotated copy beside the vectors (4 bytes per component more) and re-ranks a
  /// search's best candidates with the original rows, so reported distances are exact. Each
  /// query is rotated first: one GEMM for a batch search, a `dimension²` matrix–vector product
  /// for a single-query search (for short walks — small `efSearch` — that can cost what the
  /// shorter distances save).
  /// Not for `.manhattan` (rotations change L1 distances).
  case principalComponents = "pca"
}

extension HNSWIndex {
  /// The coordinates the graph is walked in (see ``TraversalBasis``), for searches and for the
  /// candidate searches and neighbour heuristic of inserts. With `.principalComponents` the
  /// axes are fitted (on up to 8,192 evenly spaced rows) once there are enough rows to say
  /// something — `minimumRowsToFit`, `max(2·dimension, 256)` — : on the stored vectors when
  /// set on an index that has them, on a batch being added that has them (before it is
  /// inserted, so the build walks the axes), or else on the stored vectors as soon as single
  /// adds bring them there; until then the graph is walked on the original rows. The axes are
  /// then kept: later adds are rotated with them (still exact, if less effective when the
  /// data drift). Not part of the saved file: a loaded index walks the original vectors until
  /// this is set. Setting it takes the exclusive lock.
  ///
  /// - Precondition: `distance` is not `.manhattan`, and `dimension` is at most
  ///   `PrincipalAxes.maximumDimension` (8,192).
  public var traversalBasis: TraversalBasis {
    get { lock.reading { wantsRotation ? .principalComponents : .original } }
    set {
      precondition(
        newValue == .original || distance != .manhattan,
        "HNSWIndex.traversalBasis: principal components do not preserve Manhattan distances")
      precondition(
        newValue == .original || dimension <= PrincipalAxes.maximumDimension,
        "HNSWIndex.traversalBasis: dimension \(dimension) exceeds \(PrincipalAxes.maximumDimension)")
      lock.writing {
        switch newValue {
        case .original:
          guard wantsRotation else { return }
          wantsRotation = false
          rotation = nil
          IndexMemory.releaseLarge(rotatedVectors)
          rotatedVectors = nil
          storeWalkRows(0..<slotCount)  // the float16 copy, if any, follows the walk rows
        case .principalComponents:
          guard !wantsRotation else { return }
          wantsRotation = true
          fitRotationIfDue(incoming: nil)
        }
      }
    }
  }

  /// The rows the graph is walked on: the rotated copy when there is one.
  @inline(__always) var walkVectors: UnsafeMutablePointer<Float> { rotatedVectors ?? vectors }

  @inline(__always) func walkVector(_ slot: Int) -> UnsafeMutablePointer<Float> {
    walkVectors + slot * dimension
  }

  /// Rows needed before the axes are fitted: a scatter matrix of fewer rows than about twice
  /// the dimension says little about the data's directions.
  var minimumRowsToFit: Int { max(2 * dimension, 256) }

  /// Fits the axes if the basis is wanted, not fitted yet, and enough rows are at hand: the
  /// `incoming` batch (`[count, dimension]`, prepared, about to be added) when it alone has
  /// `minimumRowsToFit`, else the stored vectors when they have (exclusive lock held).
  func fitRotationIfDue(incoming: UnsafeBufferPointer<Float>?) {
    guard wantsRotation, rotation == nil else { return }
    if let incoming, incoming.count / dimension >= minimumRowsToFit {
      fitRotation(rows: incoming.baseAddress!, count: incoming.count / dimension)
    } else if slotCount >= minimumRowsToFit {
      fitRotation(rows: vectors, count: slotCount)
    }
  }

  /// Fits the principal axes on `rows` (`[count, dimension]`, prepared) and rotates every
  /// stored slot (exclusive lock held).
  func fitRotation(rows: UnsafePointer<Float>, count: Int) {
    rotation = PrincipalAxes.fit(rows: rows, count: count, dimension: dimension)
    if rotatedVectors == nil { rotatedVectors = Self.largeBuffer(capacity * dimension) }
    storeWalkRows(0..<slotCount)
  }

  /// Refreshes the walk copies of `slots` after their float32 rows changed: the rotated rows
  /// (one GEMM for the range) and the float16 copy of the walk rows (exclusive lock held).
  func storeWalkRows(_ slots: Range<Int>) {
    guard !slots.isEmpty else { return }
    if let rotation, let rotatedVectors {
      let first = slots.lowerBound * dimension
      rotation.withUnsafeBufferPointer { v in
        GEMM.multiply(
          .none, .none, m: slots.count, n: dimension, k: dimension, a: vectors + first,
          lda: dimension, b: v.baseAddress!, ldb: dimension, c: rotatedVectors + first,
          ldc: dimension)
      }
    }
    if let halfVectors {
      let first = slots.lowerBound * dimension
      HalfPrecision.convert(
        walkVectors + first, toHalf: halfVectors + first, count: slots.count * dimension)
    }
  }

  /// `queries` (`[rows, dimension]`, prepared) in the walk's coordinates: rotated when the
  /// index walks principal components, `nil` otherwise (walk with the queries themselves).
  /// With `threads` 1 the GEMM runs on one thread too, so a single-threaded search stays so.
  func walkQueries(_ queries: UnsafePointer<Float>, rows: Int, threads: Int = 1) -> [Float]? {
    guard let rotation, rows > 0 else { return nil }
    var out = [Float](repeating: 0, count: rows * dimension)
    func rotate() {
      rotation.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { y in
          GEMM.multiply(
            .none, .none, m: rows, n: dimension, k: dimension, a: queries, lda: dimension,
            b: v.baseAddress!, ldb: dimension, c: y.baseAddress!, ldc: dimension)
        }
      }
    }
    if threads <= 1 { GEMM.withSingleThreadedBLAS(rotate) } else { rotate() }
    return out
  }
}
