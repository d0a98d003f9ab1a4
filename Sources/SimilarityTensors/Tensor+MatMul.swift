import SimilarityKernels

extension Tensor {
  /// Matrix product `self • other`: `[m, k] • [k, n] → [m, n]`, through ``GEMM``.
  /// Rank-3 operands `[batch, m, k] • [batch, k, n]` multiply batch by batch.
  ///
  /// Derivative: `dA = dC • Bᵀ`, `dB = Aᵀ • dC` (each computed only when needed).
  public func matmul(_ other: Tensor) -> Tensor {
    matmul(other, transposingA: false, transposingB: false)
  }

  /// `op(self) • op(other)` where `op` transposes the last two axes when asked; the GEMM reads
  /// the operands transposed in place, without copies.
  ///
  /// - `[m, k] • [k, n]`, `[k, m]ᵀ • [k, n]`, `[m, k] • [n, k]ᵀ`, `[k, m]ᵀ • [n, k]ᵀ` → `[m, n]`.
  /// - Rank 3: the same per batch, `[batch, ·, ·]` on both sides.
  public func matmul(_ other: Tensor, transposingA: Bool, transposingB: Bool) -> Tensor {
    precondition(
      (rank == 2 && other.rank == 2) || (rank == 3 && other.rank == 3 && shape[0] == other.shape[0]),
      "matmul: shapes \(shape) and \(other.shape) (need two 2-D or two 3-D with equal batch)")
    let batched = rank == 3
    let batch = batched ? shape[0] : 1
    let (a0, a1) = (shape[rank - 2], shape[rank - 1])
    let (b0, b1) = (other.shape[rank - 2], other.shape[rank - 1])
    let (m, k) = transposingA ? (a1, a0) : (a0, a1)
    let (kB, n) = transposingB ? (b1, b0) : (b0, b1)
    precondition(
      k == kB,
      "matmul: inner extents differ for \(shape)\(transposingA ? "ᵀ" : "") • \(other.shape)\(transposingB ? "ᵀ" : "")")
    let ta: Transpose = transposingA ? .transposed : .none
    let tb: Transpose = transposingB ? .transposed : .none
    let output = Tensor.gemm(
      scalars, ta, other.scalars, tb, m: m, n: n, k: k, batch: batch)
    let a = scalars
    let b = other.scalars
    let (aShape, bShape) = (shape, other.shape)
    let outShape = batched ? [batch, m, n] : [m, n]
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self, other]) {
      gradient, needed in
      let g = gradient.scalars
      var dA: Tensor? = nil
      var dB: Tensor? = nil
      if needed[0] {
        // d op(A) = G • op(B)ᵀ  [m, k]; dA = transposingA ? op(B) • Gᵀ [k, m] : that.
        let scalars =
          transposingA
          ? Tensor.gemm(b, tb, g, .transposed, m: k, n: m, k: n, batch: batch)
          : Tensor.gemm(g, .none, b, tb == .none ? .transposed : .none, m: m, n: k, k: n, batch: batch)
        dA = Tensor(shape: aShape, scalars: scalars)
      }
      if needed[1] {
        // d op(B) = op(A)ᵀ • G  [k, n]; dB = transposingB ? Gᵀ • op(A) [n, k] : that.
        let scalars =
          transposingB
          ? Tensor.gemm(g, .transposed, a, ta, m: n, n: k, k: m, batch: batch)
          : Tensor.gemm(a, ta == .none ? .transposed : .none, g, .none, m: k, n: n, k: m, batch: batch)
        dB = Tensor(shape: bShape, scalars: scalars)
      }
      return [dA, dB]
    }
  }

  /// `op(A)[m, k] · op(B)[k, n]` for row-major `A` and `B` stored as given (`A` is `[m, k]`
  /// or `[k, m]` when transposed), `batch` times over consecutive matrices.
  static func gemm(
    _ a: [Float], _ transA: Transpose, _ b: [Float], _ transB: Transpose,
    m: Int, n: Int, k: Int, batch: Int = 1
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: batch * m * n) { buffer, initialized in
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          if m * n * batch > 0, k > 0 {
            for i in 0..<batch {
              GEMM.parallelMultiply(
                transA, transB, m: m, n: n, k: k,
                a: pa.baseAddress! + i * m * k, lda: transA == .none ? k : m,
                b: pb.baseAddress! + i * k * n, ldb: transB == .none ? n : k,
                c: buffer.baseAddress! + i * m * n, ldc: n)
            }
          }
        }
      }
      if k == 0 { for i in 0..<(batch * m * n) { buffer[i] = 0 } }
      initialized = batch * m * n
    }
  }

  /// Dot product of two tensors of the same shape (the sum of their element-wise product),
  /// a scalar.
  public func dot(_ other: Tensor) -> Tensor {
    precondition(shape == other.shape, "dot: shapes \(shape) and \(other.shape) differ")
    return (self * other).sum()
  }

  /// Each slice along `axis` divided by its L2 norm, `x / √max(Σx², ε)` (TF's
  /// `l2_normalize`).
  public func l2Normalized(alongAxis axis: Int = -1, epsilon: Float = 1e-12) -> Tensor {
    self / squared().sum(alongAxes: [axis], keepingDimensions: true).maximum(epsilon).sqrt()
  }

  /// Squared Euclidean distances between the rows of `self` (`[m, d]`) and of `other`
  /// (`[n, d]`), `[m, n]`, as `‖a‖² + ‖b‖² − 2a·b` through one GEMM, clamped at 0.
  public func pairwiseSquaredEuclideanDistances(to other: Tensor) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[1],
      "pairwiseSquaredEuclideanDistances: shapes \(shape) and \(other.shape)")
    let aa = squared().sum(alongAxes: [1], keepingDimensions: true)  // [m, 1]
    let bb = other.squared().sum(alongAxes: [1]).reshaped([1, other.shape[0]])  // [1, n]
    let ab = matmul(other, transposingA: false, transposingB: true)  // [m, n]
    return (aa + bb - 2 * ab).maximum(0)
  }
}
