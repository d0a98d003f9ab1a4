import SimilaritySearch
import SimilarityTensors

/// Differentiable distance matrices for training, with TensorFlow Similarity's formulas (the
/// same semantics as the search module's kernels, see ``Distance``).
///
/// | case | `pairwise(q, k)[i, j]` |
/// |---|---|
/// | `cosine` | `max(1 − qᵢ·kⱼ, 0)`; inputs are **not** normalised (use ``L2Normalization``) |
/// | `euclidean` | `√max(‖qᵢ − kⱼ‖², 1e-18)`, and exactly 0 (with gradient 0) below `1e-18` |
/// | `squaredEuclidean` | `max(‖qᵢ‖² + ‖kⱼ‖² − 2qᵢ·kⱼ, 0)` |
/// | `manhattan` | `Σ |qᵢ − kⱼ|` (one primitive, no `[Q, K, D]` intermediate) |
/// | `innerProduct` | the similarity `qᵢ·kⱼ` (larger is closer) |
/// | `snr` | `var(qᵢ − kⱼ) / var(qᵢ)` (asymmetric; Yuan et al. 2019, arXiv:1904.02616) |
///
/// Losses never see the inner product's sign: they work on ``dissimilarities(_:_:)``, which is
/// `−qᵢ·kⱼ` for `.innerProduct` and `pairwise` otherwise, so "hard positive = largest
/// distance" and "margin m: d(a, n) ≥ d(a, p) + m" read the same for every case (for the inner
/// product the margin asks `s(a, p) ≥ s(a, n) + m`).
extension Distance {
  /// The `[Q, K]` matrix of distances (for `.innerProduct`, similarities) between the rows of
  /// `queries` (`[Q, dimension]`) and `keys` (`[K, dimension]`). Differentiable in both.
  public func pairwise(_ queries: Tensor, _ keys: Tensor) -> Tensor {
    precondition(
      queries.rank == 2 && keys.rank == 2 && queries.shape[1] == keys.shape[1],
      "Distance.pairwise(\(self)): shapes \(queries.shape) and \(keys.shape) need [Q, d] and [K, d]")
    switch self {
    case .innerProduct:
      return queries.matmul(keys, transposingA: false, transposingB: true)
    case .cosine:
      return (1 - queries.matmul(keys, transposingA: false, transposingB: true)).maximum(0)
    case .squaredEuclidean:
      return queries.pairwiseSquaredEuclideanDistances(to: keys)
    case .euclidean:
      return Distance.maskedSquareRoot(queries.pairwiseSquaredEuclideanDistances(to: keys))
    case .manhattan:
      return pairwiseManhattan(queries, keys)
    case .snr:
      // var(q − k) = ‖c(q) − c(k)‖² / d with c the centring, and var(q) = ‖c(q)‖² / d.
      let centredQueries = queries - queries.mean(alongAxes: [1], keepingDimensions: true)
      let centredKeys = keys - keys.mean(alongAxes: [1], keepingDimensions: true)
      let noise = centredQueries.pairwiseSquaredEuclideanDistances(to: centredKeys)
      return noise / centredQueries.squared().sum(alongAxes: [1], keepingDimensions: true)
    }
  }

  /// The distance (similarity for `.innerProduct`) between row `i` of `a` and row `i` of `b`,
  /// `[n]`, with the formulas of ``pairwise(_:_:)`` (`a` plays the query for `.snr`).
  public func paired(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(
      a.rank == 2 && a.shape == b.shape,
      "Distance.paired(\(self)): shapes \(a.shape) and \(b.shape) need equal [n, d]")
    switch self {
    case .innerProduct:
      return (a * b).sum(alongAxes: [1])
    case .cosine:
      return (1 - (a * b).sum(alongAxes: [1])).maximum(0)
    case .squaredEuclidean:
      return (a - b).squared().sum(alongAxes: [1])
    case .euclidean:
      return Distance.maskedSquareRoot((a - b).squared().sum(alongAxes: [1]))
    case .manhattan:
      return (a - b).abs().sum(alongAxes: [1])
    case .snr:
      return (a - b).variance(alongAxes: [1]) / a.variance(alongAxes: [1])
    }
  }

  /// What losses minimise between positives: ``pairwise(_:_:)``, negated for `.innerProduct`.
  func dissimilarities(_ queries: Tensor, _ keys: Tensor) -> Tensor {
    isSimilarity ? -pairwise(queries, keys) : pairwise(queries, keys)
  }

  /// ``paired(_:_:)``, negated for `.innerProduct`.
  func pairedDissimilarities(_ a: Tensor, _ b: Tensor) -> Tensor {
    isSimilarity ? -paired(a, b) : paired(a, b)
  }

  /// `√max(x, 1e-18)` where `x ≥ 1e-18`, else exactly 0; the gradient at 0 is 0, not NaN
  /// (TF Similarity's `EuclideanDistance`).
  static func maskedSquareRoot(_ squared: Tensor) -> Tensor {
    Tensor.where(squared.isLess(than: 1e-18), Tensor(0), squared.maximum(1e-18).sqrt())
  }

  /// `Σ_d |q[i, d] − k[j, d]|` as one primitive: forward and backward loop over `[Q, K, D]`
  /// without storing it, split by rows over the thread pool. Derivative:
  /// `dq[i] = Σ_j g[i, j]·sign(qᵢ − kⱼ)`, `dk[j] = −Σ_i g[i, j]·sign(qᵢ − kⱼ)`.
  private func pairwiseManhattan(_ queries: Tensor, _ keys: Tensor) -> Tensor {
    let (q, k) = (queries.scalars, keys.scalars)
    let (rows, columns, dimension) = (queries.shape[0], keys.shape[0], queries.shape[1])
    let output = Distance.manhattanRows(q, k, rows: rows, columns: columns, dimension: dimension) {
      queryRow, keyRow, _ in
      var total: Float = 0
      for d in 0..<dimension { total += Swift.abs(queryRow[d] - keyRow[d]) }
      return total
    }
    let (queryShape, keyShape) = (queries.shape, keys.shape)
    return Tensor.recording(
      shape: [rows, columns], scalars: output, inputs: [queries, keys]
    ) { gradient, needed in
      let g = gradient.scalars
      // Each output row i accumulates Σ_j weight(i, j)·sign(a_i − b_j) over the other side.
      func signedSums(
        _ a: [Float], _ b: [Float], count: Int, others: Int, weight: @escaping (Int, Int) -> Float
      ) -> [Float] {
        var result = [Float](repeating: 0, count: count * dimension)
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            result.withUnsafeMutableBufferPointer { pr in
              let (sa, sb, sr) = (pa.baseAddress!, pb.baseAddress!, pr.baseAddress!)
              ThreadPool.shared.parallelForChunks(count, minimumChunk: 8) { range in
                for i in range {
                  let out = sr + i * dimension
                  for j in 0..<others {
                    let w = weight(i, j)
                    if w == 0 { continue }
                    let (x, y) = (sa + i * dimension, sb + j * dimension)
                    for d in 0..<dimension {
                      let difference = x[d] - y[d]
                      out[d] += difference > 0 ? w : (difference < 0 ? -w : 0)
                    }
                  }
                }
              }
            }
          }
        }
        return result
      }
      let dq = needed[0]
        ? signedSums(q, k, count: rows, others: columns) { i, j in g[i * columns + j] } : nil
      let dk = needed[1]
        ? signedSums(k, q, count: columns, others: rows) { j, i in g[i * columns + j] } : nil
      return [
        dq.map { Tensor(shape: queryShape, scalars: $0) },
        dk.map { Tensor(shape: keyShape, scalars: $0) },
      ]
    }
  }

  /// `[rows, columns]` values of `body(query row, key row, dimension)`, rows split over the
  /// thread pool.
  private static func manhattanRows(
    _ q: [Float], _ k: [Float], rows: Int, columns: Int, dimension: Int,
    _ body: (UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Float
  ) -> [Float] {
    var output = [Float](repeating: 0, count: rows * columns)
    guard rows * columns > 0, dimension > 0 else { return output }
    q.withUnsafeBufferPointer { pq in
      k.withUnsafeBufferPointer { pk in
        output.withUnsafeMutableBufferPointer { po in
          let (sq, sk, so) = (pq.baseAddress!, pk.baseAddress!, po.baseAddress!)
          ThreadPool.shared.parallelForChunks(rows, minimumChunk: 8) { range in
            for i in range {
              for j in 0..<columns {
                so[i * columns + j] = body(sq + i * dimension, sk + j * dimension, dimension)
              }
            }
          }
        }
      }
    }
    return output
  }
}
