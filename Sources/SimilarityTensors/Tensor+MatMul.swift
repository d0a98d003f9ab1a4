import SimilarityKernels

extension Tensor {
  /// Matrix product `self • other`: `[m, k] • [k, n] → [m, n]`, through ``GEMM``.
  ///
  /// Derivative: `dA = dC • Bᵀ`, `dB = Aᵀ • dC` (each computed only when needed).
  public func matmul(_ other: Tensor) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
      "matmul: \(shape) • \(other.shape)")
    let (m, k, n) = (shape[0], shape[1], other.shape[1])
    let output = Tensor.gemm(self.scalars, .none, other.scalars, .none, m: m, n: n, k: k)
    let a = self.scalars
    let b = other.scalars
    return Tensor.recording(shape: [m, n], scalars: output, inputs: [self, other]) {
      gradient, needed in
      let dA = needed[0] ? Tensor(shape: [m, k], scalars: Tensor.gemm(gradient.scalars, .none, b, .transposed, m: m, n: k, k: n)) : nil
      let dB = needed[1] ? Tensor(shape: [k, n], scalars: Tensor.gemm(a, .transposed, gradient.scalars, .none, m: k, n: n, k: m)) : nil
      return [dA, dB]
    }
  }

  /// `op(A)[m, k] · op(B)[k, n]` for row-major `A` and `B` stored untransposed as given.
  static func gemm(
    _ a: [Float], _ transA: Transpose, _ b: [Float], _ transB: Transpose, m: Int, n: Int, k: Int
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: m * n) { buffer, initialized in
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          GEMM.multiply(
            transA, transB, m: m, n: n, k: k,
            a: pa.baseAddress!, lda: transA == .none ? k : m,
            b: pb.baseAddress!, ldb: transB == .none ? n : k,
            c: buffer.baseAddress!, ldc: n)
        }
      }
      if k == 0 { for i in 0..<(m * n) { buffer[i] = 0 } }
      initialized = m * n
    }
  }
}
