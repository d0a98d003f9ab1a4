/// 2-D convolution over NHWC images with HWIO filters, as im2col + GEMM.
///
/// The batch is processed in chunks of images whose column matrix stays within a few
/// megabytes (so it stays in cache between im2col and the GEMM); im2col and col2im of the
/// images of a chunk run in parallel on the ``ThreadPool``, the GEMMs use the BLAS' threads.
public enum Conv2D {
  /// Bytes of column matrix per chunk.
  public nonisolated(unsafe) static var chunkBytes = 4 << 20

  static func imagesPerChunk(_ g: Conv2DGeometry) -> Int {
    let perImage = Swift.max(g.outputPixels * g.patchSize * MemoryLayout<Float>.size, 1)
    return Swift.max(1, Swift.min(g.batch, chunkBytes / perImage))
  }

  /// `output[batch, outH, outW, cout] = input ⋆ filter`.
  ///
  /// - Parameters:
  ///   - input: `[batch, height, width, channels]`.
  ///   - filter: `[kernelHeight, kernelWidth, channels, outputChannels]`.
  ///   - output: room for `batch · outputPixels · outputChannels` scalars.
  public static func forward(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, output: UnsafeMutablePointer<Float>
  ) {
    let patch = g.patchSize
    let pixels = g.outputPixels
    let chunk = imagesPerChunk(g)
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: g.isPointwise ? 0 : chunk * pixels * patch)
    defer { columns.deallocate() }
    for start in stride(from: 0, to: g.batch, by: chunk) {
      let n = Swift.min(chunk, g.batch - start)
      let a: UnsafePointer<Float>
      if g.isPointwise {
        a = input + start * g.imageSize
      } else {
        ThreadPool.shared.parallelFor(n) { i in
          Im2Col.expand(g, image: input + (start + i) * g.imageSize, columns: columns + i * pixels * patch)
        }
        a = UnsafePointer(columns)
      }
      GEMM.multiply(
        .none, .none, m: n * pixels, n: outputChannels, k: patch,
        a: a, lda: patch, b: filter, ldb: outputChannels,
        c: output + start * pixels * outputChannels, ldc: outputChannels)
    }
  }

  /// The gradients of ``forward(_:input:filter:outputChannels:output:)`` with respect to the
  /// input (`inputGradient`, overwritten) and the filter (`filterGradient`, overwritten);
  /// either may be nil when not needed.
  ///
  /// - Parameter gradient: `[batch, outH, outW, outputChannels]`.
  public static func backward(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, gradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?
  ) {
    let patch = g.patchSize
    let pixels = g.outputPixels
    let chunk = imagesPerChunk(g)
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * pixels * patch)
    defer { columns.deallocate() }
    if let filterGradient {
      filterGradient.update(repeating: 0, count: patch * outputChannels)
    }
    if let inputGradient, !g.isPointwise {
      inputGradient.update(repeating: 0, count: g.batch * g.imageSize)
    }
    for start in stride(from: 0, to: g.batch, by: chunk) {
      let n = Swift.min(chunk, g.batch - start)
      let rows = n * pixels
      let outputGradient = gradient + start * pixels * outputChannels
      if let filterGradient {
        // dW[patch, cout] += colsᵀ • G
        let a: UnsafePointer<Float>
        if g.isPointwise {
          a = input + start * g.imageSize
        } else {
          ThreadPool.shared.parallelFor(n) { i in
            Im2Col.expand(g, image: input + (start + i) * g.imageSize, columns: columns + i * pixels * patch)
          }
          a = UnsafePointer(columns)
        }
        GEMM.multiply(
          .transposed, .none, m: patch, n: outputChannels, k: rows,
          a: a, lda: patch, b: outputGradient, ldb: outputChannels,
          beta: start == 0 ? 0 : 1, c: filterGradient, ldc: outputChannels)
      }
      if let inputGradient {
        // dcols[rows, patch] = G • Wᵀ, then col2im.
        let destination = g.isPointwise ? inputGradient + start * g.imageSize : columns
        GEMM.multiply(
          .none, .transposed, m: rows, n: patch, k: outputChannels,
          a: outputGradient, lda: outputChannels, b: filter, ldb: outputChannels,
          c: destination, ldc: patch)
        if !g.isPointwise {
          ThreadPool.shared.parallelFor(n) { i in
            Im2Col.accumulate(
              g, columns: columns + i * pixels * patch,
              image: inputGradient + (start + i) * g.imageSize)
          }
        }
      }
    }
  }
}
