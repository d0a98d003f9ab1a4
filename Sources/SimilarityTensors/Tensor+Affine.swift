import SimilarityKernels

extension Tensor {
  /// A dense layer's product `self • weight + bias`, rectified (`max(·, 0)`) when `rectified`:
  /// `[m, k] • [k, n] + [n] → [m, n]`.
  ///
  /// When any operand takes part in differentiation this is the composite of the primitives
  /// ``matmul(_:)`` (or ``matmulSkippingZeros(_:maximumDensity:)`` when `skippingZeros`),
  /// ``addingBias(_:)`` and ``relu()``, with their derivatives. When none does (inference) it
  /// runs fused: the rows are cut into fixed blocks of 64, each block is one single-threaded
  /// GEMM (or, when `skippingZeros` and at most `maximumDensity` of the block's entries are
  /// non-zero, a product that reads only the non-zeros' weight rows) followed by the bias and
  /// the ReLU while the block is in cache; the threads claim runs of blocks as they go
  /// (``ThreadPool/pieceCount(_:minimumPiece:)``), so a thread that loses its core holds up
  /// one run. The blocks depend only on the shape and the data, so the result does not depend
  /// on the thread count. It equals
  /// the composite up to floating-point summation order.
  public func affine(
    _ weight: Tensor, bias: Tensor?, rectified: Bool, skippingZeros: Bool = false,
    maximumDensity: Double = 0.4
  ) -> Tensor {
    precondition(
      rank == 2 && weight.rank == 2 && shape[1] == weight.shape[0],
      "affine: \(shape) • \(weight.shape)")
    if let bias {
      precondition(
        bias.rank == 1 && bias.shape[0] == weight.shape[1],
        "affine: bias \(bias.shape) does not match \(weight.shape)")
    }
    guard node == nil, weight.node == nil, bias?.node == nil else {
      var output = skippingZeros ? matmulSkippingZeros(weight, maximumDensity: maximumDensity) : matmul(weight)
      if let bias { output = output.addingBias(bias) }
      return rectified ? output.relu() : output
    }
    let (m, k, n) = (shape[0], shape[1], weight.shape[1])
    guard m > 0, n > 0 else { return Tensor.zeros([m, n]) }
    let block = 64
    let blocks = (m + block - 1) / block
    let flops = 2.0 * Double(m) * Double(n) * Double(k)
    let parts =
      flops >= Double(GEMM.parallelThreshold) ? ThreadPool.shared.pieceCount(blocks) : 1
    let output = [Float](unsafeUninitializedCapacity: m * n) { buffer, initialized in
      let y = buffer.baseAddress!
      scalars.withUnsafeBufferPointer { x in
        weight.scalars.withUnsafeBufferPointer { w in
          let bias = bias?.scalars
          bias.withOptionalPointer { b in
            let (x, w) = (x.baseAddress!, w.baseAddress!)
            GEMM.withSingleThreadedBLAS {
              ThreadPool.shared.parallelFor(parts) { part in
                var columns = [Int32](repeating: 0, count: k + 16)
                var values = [Float](repeating: 0, count: k + 16)
                for index in ThreadPool.chunk(part, of: blocks, parts: parts) {
                  let start = index * block
                  let rows = Swift.min(block, m - start)
                  let input = x + start * k
                  let out = y + start * n
                  let sparse =
                    skippingZeros && k > 0
                    && Double(SparseKernels.countNonZero(input, count: rows * k))
                      <= maximumDensity * Double(rows * k)
                  if sparse {
                    columns.withUnsafeMutableBufferPointer { c in
                      values.withUnsafeMutableBufferPointer { v in
                        AffineKernels.sparseRows(
                          input, rows: rows, k: k, weight: w, n: n, bias: b, relu: rectified,
                          into: out, scratchColumns: c.baseAddress!, scratchValues: v.baseAddress!)
                      }
                    }
                  } else {
                    GEMM.multiply(
                      .none, .none, m: rows, n: n, k: k, a: input, lda: k, b: w, ldb: n, c: out,
                      ldc: n)
                    AffineKernels.biasActivation(out, rows: rows, n: n, bias: b, relu: rectified)
                  }
                }
              }
            }
          }
        }
      }
      initialized = m * n
    }
    return Tensor(shape: [m, n], scalars: output)
  }
}

extension Optional where Wrapped == [Float] {
  /// Calls `body` with the array's base address, or `nil` when there is no array.
  fileprivate func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    switch self {
    case .some(let array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
    case .none: return body(nil)
    }
  }
}
