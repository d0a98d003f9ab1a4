/// 2-D convolution over NHWC images with HWIO filters, as im2col + GEMM.
///
/// The batch is split into several contiguous parts per ``ThreadPool`` thread, handed out
/// dynamically; a thread runs im2col and a single-threaded GEMM on chunks of its part's images
/// whose column matrix fits in its core's L2 cache, so the im2col copy, col2im and the GEMMs all run in parallel and only one
/// thread pool is active (two BLAS threads on the tall, skinny im2col GEMMs scale poorly on
/// this kind of machine, numeric-facts §1). With one image, or when the pool is busy, the
/// chunks run on the caller with the BLAS' own threads.
public enum Conv2D {
  /// Bytes of column matrix per chunk (at least one image per chunk).
  public nonisolated(unsafe) static var chunkBytes = 1 << 20

  /// Whether to split the batch over the thread pool with single-threaded GEMMs (the
  /// default) rather than process it serially with the BLAS' threads.
  public nonisolated(unsafe) static var splitsBatchOverThreads = true

  static func imagesPerChunk(_ g: Conv2DGeometry) -> Int {
    let perImage = Swift.max(g.outputPixels * g.patchSize * MemoryLayout<Float>.size, 1)
    return Swift.max(1, Swift.min(g.batch, chunkBytes / perImage))
  }

  /// The number of parts the batch is split into: several per thread, so that a thread that
  /// loses its core for a while (the machine is shared) holds up at most a small part while
  /// the others take over the rest of the batch.
  static func partCount(_ g: Conv2DGeometry) -> Int {
    let threads = ThreadPool.shared.threadCount
    return splitsBatchOverThreads && threads > 1 ? Swift.max(1, Swift.min(g.batch, 8 * threads)) : 1
  }

  /// Runs `body(images, part)` over contiguous parts of the batch, in parallel when worthwhile.
  static func forEachPart(_ g: Conv2DGeometry, _ body: (Range<Int>, Int) -> Void) -> Int {
    let parts = partCount(g)
    if !splitsBatchOverThreads {
      body(0..<g.batch, 0)
      return 1
    }
    // Single-threaded GEMMs even for one part, so results do not depend on what other
    // threads do with the BLAS setting meanwhile.
    GEMM.withSingleThreadedBLAS {
      ThreadPool.shared.parallelFor(parts) { part in
        body(ThreadPool.chunk(part, of: g.batch, parts: parts), part)
      }
    }
    return parts
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
    _ = forEachPart(g) { images, _ in
      let columns = UnsafeMutablePointer<Float>.allocate(capacity: g.isPointwise ? 0 : chunk * pixels * patch)
      defer { columns.deallocate() }
      for start in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
        let n = Swift.min(chunk, images.upperBound - start)
        let a: UnsafePointer<Float>
        if g.isPointwise {
          a = input + start * g.imageSize
        } else {
          for i in 0..<n {
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
    let filterSize = patch * outputChannels
    // Part 0 accumulates into `filterGradient`, the others into scratch, summed at the end.
    let maxParts = partCount(g)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: filterGradient == nil ? 0 : (maxParts - 1) * filterSize)
    defer { partials.deallocate() }
    if let filterGradient { filterGradient.update(repeating: 0, count: filterSize) }
    partials.initialize(repeating: 0, count: filterGradient == nil ? 0 : (maxParts - 1) * filterSize)
    let parts = forEachPart(g) { images, part in
      let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * pixels * patch)
      defer { columns.deallocate() }
      let filterAccumulator =
        filterGradient == nil ? nil : part == 0 ? filterGradient : partials + (part - 1) * filterSize
      if let inputGradient, !g.isPointwise {
        (inputGradient + images.lowerBound * g.imageSize).update(repeating: 0, count: images.count * g.imageSize)
      }
      for start in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
        let n = Swift.min(chunk, images.upperBound - start)
        let rows = n * pixels
        let outputGradient = gradient + start * pixels * outputChannels
        if let filterAccumulator {
          // dW[patch, cout] += colsᵀ • G
          let a: UnsafePointer<Float>
          if g.isPointwise {
            a = input + start * g.imageSize
          } else {
            for i in 0..<n {
              Im2Col.expand(g, image: input + (start + i) * g.imageSize, columns: columns + i * pixels * patch)
            }
            a = UnsafePointer(columns)
          }
          GEMM.multiply(
            .transposed, .none, m: patch, n: outputChannels, k: rows,
            a: a, lda: patch, b: outputGradient, ldb: outputChannels,
            beta: 1, c: filterAccumulator, ldc: outputChannels)
        }
        if let inputGradient {
          // dcols[rows, patch] = G • Wᵀ, then col2im.
          let destination = g.isPointwise ? inputGradient + start * g.imageSize : columns
          GEMM.multiply(
            .none, .transposed, m: rows, n: patch, k: outputChannels,
            a: outputGradient, lda: outputChannels, b: filter, ldb: outputChannels,
            c: destination, ldc: patch)
          if !g.isPointwise {
            for i in 0..<n {
              Im2Col.accumulate(
                g, columns: columns + i * pixels * patch,
                image: inputGradient + (start + i) * g.imageSize)
            }
          }
        }
      }
    }
    if let filterGradient {
      for part in 1..<Swift.max(parts, 1) {
        let partial = partials + (part - 1) * filterSize
        for i in 0..<filterSize { filterGradient[i] += partial[i] }
      }
    }
  }
}
