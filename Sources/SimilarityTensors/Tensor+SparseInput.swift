import SimilarityKernels

extension Tensor {
  /// `self • weight` (`[m, k] • [k, n] → [m, n]`) that skips the zero entries of `self` when
  /// they are most of it — the first layer of a network fed images that are mostly background
  /// (MNIST: ~81% zero pixels, Fashion-MNIST ~50%).
  ///
  /// When `self` takes part in differentiation, or more than `maximumDensity` of its entries
  /// are non-zero, this is exactly ``matmul(_:)``. Otherwise `self` is compressed to sparse
  /// rows (CSR) once; the forward product and the weight gradient `selfᵀ • dOutput` then cost
  /// `2·nnz·n` instead of `2·m·k·n` operations. The result equals ``matmul(_:)`` up to
  /// floating-point summation order.
  ///
  /// Derivative: `dWeight = selfᵀ • dOutput` (no gradient flows to `self`, which is a
  /// constant here).
  public func matmulSkippingZeros(_ weight: Tensor, maximumDensity: Double = 0.4) -> Tensor {
    precondition(
      rank == 2 && weight.rank == 2 && shape[1] == weight.shape[0],
      "matmulSkippingZeros: \(shape) • \(weight.shape)")
    guard node == nil else { return matmul(weight) }
    let (m, k, n) = (shape[0], shape[1], weight.shape[1])
    guard m * k > 0 else { return matmul(weight) }
    guard let sparse = SparseRows(scalars, rows: m, columns: k, maximumDensity: maximumDensity)
    else { return matmul(weight) }
    let output = sparse.multiplied(by: weight.scalars, columns: n)
    return Tensor.recording(shape: [m, n], scalars: output, inputs: [self, weight]) {
      gradient, needed in
      guard needed[1] else { return [nil, nil] }
      return [nil, Tensor(shape: [k, n], scalars: sparse.transposedMultiplied(by: gradient.scalars, columns: n))]
    }
  }
}

/// A row-major matrix with most entries zero, in compressed sparse row form.
struct SparseRows: Sendable {
  let rows: Int
  let columns: Int
  /// Row r's entries are `values[rowStart[r] ..< rowStart[r + 1]]`.
  let rowStart: [Int32]
  let columnIndices: [Int32]
  let values: [Float]

  /// Compresses `dense` (`[rows, columns]`), row blocks in parallel: each block counts its
  /// non-zeros, the counts give each block its output range, then each block compresses into
  /// its range. Returns `nil` right after counting when more than `maximumDensity` of the
  /// entries are non-zero, so a dense input costs one counting pass, not a compression.
  init?(_ dense: [Float], rows: Int, columns: Int, maximumDensity: Double = 1) {
    self.rows = rows
    self.columns = columns
    let parts = ThreadPool.shared.pieceCount(rows)
    var counts = [Int](repeating: 0, count: parts)
    dense.withUnsafeBufferPointer { x in
      counts.withUnsafeMutableBufferPointer { counts in
        let (x, counts) = (x.baseAddress!, counts.baseAddress!)
        ThreadPool.shared.parallelFor(parts) { part in
          let block = ThreadPool.chunk(part, of: rows, parts: parts)
          counts[part] = SparseKernels.countNonZero(
            x + block.lowerBound * columns, count: block.count * columns)
        }
      }
    }
    var offsets = [Int](repeating: 0, count: parts + 1)
    for part in 0..<parts { offsets[part + 1] = offsets[part] + counts[part] }
    let nonZero = offsets[parts]
    guard Double(nonZero) <= maximumDensity * Double(rows * columns) else { return nil }
    var rowStart = [Int32](repeating: 0, count: rows + 1)
    var columnIndices = [Int32](repeating: 0, count: nonZero)
    var values = [Float](repeating: 0, count: nonZero)
    dense.withUnsafeBufferPointer { x in
      rowStart.withUnsafeMutableBufferPointer { r in
        columnIndices.withUnsafeMutableBufferPointer { c in
          values.withUnsafeMutableBufferPointer { v in
            let (x, r, c, v) = (x.baseAddress!, r.baseAddress!, c.baseAddress, v.baseAddress)
            ThreadPool.shared.parallelFor(parts) { part in
              let block = ThreadPool.chunk(part, of: rows, parts: parts)
              guard !block.isEmpty else { return }
              let offset = offsets[part]
              // Each block writes rowStart[block] (offsets relative to its own range) and
              // exactly its own values and columns.
              _ = SparseKernels.compressRows(
                x + block.lowerBound * columns, rows: block.count, width: columns,
                rowStart: r + block.lowerBound, columns: c.map { $0 + offset },
                values: v.map { $0 + offset })
              for row in block { r[row] += Int32(offset) }
            }
            r[rows] = Int32(nonZero)
          }
        }
      }
    }
    self.rowStart = rowStart
    self.columnIndices = columnIndices
    self.values = values
  }

  /// `self • w` for `w` `[columns, n]`, rows split into pieces the threads claim as they go
  /// (each output row is computed alone, so the split does not change the result).
  func multiplied(by w: [Float], columns n: Int) -> [Float] {
    var y = [Float](repeating: 0, count: rows * n)
    let parts = ThreadPool.shared.pieceCount(rows)
    withPointers { r, c, v in
      w.withUnsafeBufferPointer { w in
        y.withUnsafeMutableBufferPointer { y in
          let (w, y) = (w.baseAddress, y.baseAddress)
          ThreadPool.shared.parallelFor(parts) { part in
            let block = ThreadPool.chunk(part, of: rows, parts: parts)
            SparseKernels.multiply(
              rowStart: r, columns: c, values: v, rows: block, by: w, n: n, columns: 0..<n,
              into: y)
          }
        }
      }
    }
    return y
  }

  /// `selfᵀ • dy` for `dy` `[rows, n]`, the output's rows (this matrix's columns) split into
  /// blocks the threads claim as they go: each block of output rows has one owner, so the
  /// scatter-adds never collide and never share a cache line, and each output row sums over
  /// the input rows in the same order whatever the split.
  func transposedMultiplied(by dy: [Float], columns n: Int) -> [Float] {
    var g = [Float](repeating: 0, count: columns * n)
    let parts = ThreadPool.shared.pieceCount(columns)
    withPointers { r, c, v in
      dy.withUnsafeBufferPointer { dy in
        g.withUnsafeMutableBufferPointer { g in
          let (dy, g) = (dy.baseAddress, g.baseAddress)
          ThreadPool.shared.parallelFor(parts) { part in
            let block = ThreadPool.chunk(part, of: columns, parts: parts)
            SparseKernels.transposedMultiply(
              rowStart: r, columns: c, values: v, rows: rows, by: dy, n: n, inputColumns: block,
              into: g)
          }
        }
      }
    }
    return g
  }

  private func withPointers<R>(
    _ body: (UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Float>?) -> R
  ) -> R {
    rowStart.withUnsafeBufferPointer { r in
      columnIndices.withUnsafeBufferPointer { c in
        values.withUnsafeBufferPointer { v in body(r.baseAddress, c.baseAddress, v.baseAddress) }
      }
    }
  }
}
