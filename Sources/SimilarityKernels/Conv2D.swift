import CSimilarityKernels

/// 2-D convolution over NHWC images with HWIO filters, optionally with a bias and ReLU fused
/// in: direct AVX-512 or AVX2 kernels for stride-1, undilated, unpadded windows (``usesDirectKernels``),
/// im2col + GEMM otherwise.
///
/// The batch is split into several contiguous parts per ``ThreadPool`` thread, handed out
/// dynamically. With the direct kernels a thread convolves its images one at a time straight
/// from the NHWC arrays (bias and ReLU applied to each register tile before it is stored; in
/// the backward pass the ReLU mask and the bias gradient are taken while the output gradient
/// is copied into its zero-padded scratch). With im2col, a thread runs im2col and a
/// single-threaded GEMM on chunks of its part's images whose column matrix fits in its core's
/// L2 cache, so only one thread pool is active (two BLAS threads on the tall, skinny im2col
/// GEMMs scale poorly on this kind of machine, numeric-facts §1).
public enum Conv2D {
  /// Whether stride-1, undilated, unpadded convolutions use the direct kernels
  /// (`csim_conv2d_direct_*`: register tiles read straight from the images, no column
  /// matrices) where the active instruction set has them (AVX-512, AVX2), rather than
  /// im2col + GEMM.
  public nonisolated(unsafe) static var usesDirectKernels = true

  /// Whether `g` runs on the direct kernels.
  static func isDirect(_ g: Conv2DGeometry) -> Bool {
    usesDirectKernels && csim_conv2d_direct_available() != 0 && !g.isPointwise
      && g.strideHeight == 1 && g.strideWidth == 1 && g.dilationHeight == 1 && g.dilationWidth == 1
      && g.outputHeight == g.height - g.kernelHeight + 1 && g.outputWidth == g.width - g.kernelWidth + 1
  }

  /// Whether stride-1, undilated convolutions with padding (`.same`) run the direct kernels
  /// over a zero-padded copy of each image (one image per thread at a time) instead of im2col.
  public nonisolated(unsafe) static var padsForDirectKernels = true

  /// The valid geometry of the zero-padded images when `g` is a padded stride-1, undilated
  /// convolution the direct kernels can run on a padded copy of each image; nil otherwise
  /// (unpadded ones are ``isDirect(_:)`` as they are).
  static func paddedDirectGeometry(_ g: Conv2DGeometry) -> Conv2DGeometry? {
    guard usesDirectKernels && padsForDirectKernels && csim_conv2d_direct_available() != 0
      && !g.isPointwise && g.strideHeight == 1 && g.strideWidth == 1 && g.dilationHeight == 1
      && g.dilationWidth == 1 && g.outputHeight > 0 && g.outputWidth > 0
    else { return nil }
    let height = g.outputHeight + g.kernelHeight - 1
    let width = g.outputWidth + g.kernelWidth - 1
    guard height != g.height || width != g.width else { return nil }
    return Conv2DGeometry(
      input: [g.batch, height, width, g.channels], kernel: (g.kernelHeight, g.kernelWidth),
      strides: (1, 1), padding: .valid)
  }

  /// Copies one `g` image into `padded` (a `p` image: `g`'s padding made explicit zeros).
  static func pad(
    _ g: Conv2DGeometry, _ p: Conv2DGeometry, image: UnsafePointer<Float>,
    into padded: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    let row = p.width * c
    let left = g.padLeft * c
    let copied = Swift.min(g.width, p.width - g.padLeft) * c
    for r in 0..<p.height {
      let destination = padded + r * row
      let source = r - g.padTop
      if source < 0 || source >= g.height {
        destination.update(repeating: 0, count: row)
        continue
      }
      destination.update(repeating: 0, count: left)
      (destination + left).update(from: image + source * g.width * c, count: copied)
      (destination + left + copied).update(repeating: 0, count: row - left - copied)
    }
  }

  /// Copies the `g` image inside one `p` image (the gradient of a padded copy) to `image`.
  static func crop(
    _ g: Conv2DGeometry, _ p: Conv2DGeometry, padded: UnsafePointer<Float>,
    into image: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    let copied = Swift.min(g.width, p.width - g.padLeft) * c
    for r in 0..<g.height {
      let destination = image + r * g.width * c
      let source = r + g.padTop
      if source >= p.height {
        destination.update(repeating: 0, count: g.width * c)
        continue
      }
      destination.update(from: padded + (source * p.width + g.padLeft) * c, count: copied)
      (destination + copied).update(repeating: 0, count: g.width * c - copied)
    }
  }

  /// Whether direct 3 × 3 convolutions whose sizes allow it (even image height and width,
  /// channel counts that are multiples of 16) run their forward pass, input gradient and
  /// filter gradient by Winograd F(2×2, 3×3) (`csim_conv2d_winograd_*`; Lavin & Gray 2016,
  /// <https://arxiv.org/abs/1509.09308>): 16 instead of 36 multiply-adds per 2 × 2 block of
  /// outputs and channel pair, equal to the direct kernels up to float rounding.
  public nonisolated(unsafe) static var usesWinograd = true

  /// Whether the direct kernels run at the active instruction set (AVX-512 or AVX2).
  public static var directKernelsAvailable: Bool { csim_conv2d_direct_available() != 0 }

  /// Whether the Winograd kernels run at the active instruction set (AVX-512 or AVX2).
  public static var winogradKernelsAvailable: Bool { KernelFamily.winograd.variant() != "none" }

  /// Whether a stride-1 valid convolution of `[height, width, channels]` images to
  /// `outputChannels` runs by Winograd (forward pass and both gradients), given the switches.
  public static func isWinograd(
    height: Int, width: Int, channels: Int, kernelHeight: Int, kernelWidth: Int,
    outputChannels: Int
  ) -> Bool {
    usesDirectKernels && usesWinograd && csim_conv2d_winograd_applicable(
      height, width, channels, kernelHeight, kernelWidth, outputChannels) != 0
  }

  /// The filter in the Winograd domain, `[16, channels, outputChannels]`, for `body`.
  static func withWinogradFilter<T>(
    _ filter: UnsafePointer<Float>, channels: Int, outputChannels: Int,
    _ body: (UnsafePointer<Float>) -> T
  ) -> T {
    let u = alignedFloats(16 * channels * outputChannels)
    defer { u.deallocate() }
    csim_conv2d_winograd_filter(filter, channels, outputChannels, u)
    return body(u)
  }

  /// `count` uninitialised floats on a 64-byte boundary (whole cache lines for the AVX-512
  /// loads and stores of the kernels' scratch); release with `deallocate()`.
  static func alignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
      .bindMemory(to: Float.self, capacity: Swift.max(count, 1))
  }

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

  /// `output[batch, outH, outW, cout] = act(input ⋆ filter + bias)`, act = ReLU when `relu`.
  ///
  /// - Parameters:
  ///   - input: `[batch, height, width, channels]`.
  ///   - filter: `[kernelHeight, kernelWidth, channels, outputChannels]`.
  ///   - bias: `[outputChannels]`, or nil.
  ///   - output: room for `batch · outputPixels · outputChannels` scalars.
  public static func forward(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, bias: UnsafePointer<Float>? = nil, relu: Bool = false,
    output: UnsafeMutablePointer<Float>
  ) {
    let patch = g.patchSize
    let pixels = g.outputPixels
    if let p = paddedDirectGeometry(g) {
      let winograd = isWinograd(
        height: p.height, width: p.width, channels: p.channels, kernelHeight: p.kernelHeight,
        kernelWidth: p.kernelWidth, outputChannels: outputChannels)
      let scratchCount = winograd ? csim_conv2d_winograd_scratch_floats(p.width, p.channels, outputChannels) : 0
      let run = { (u: UnsafePointer<Float>?) in
        _ = forEachPart(g) { images, _ in
          let padded = alignedFloats(p.imageSize + scratchCount)
          defer { padded.deallocate() }
          for i in images {
            pad(g, p, image: input + i * g.imageSize, into: padded)
            if let u {
              csim_conv2d_winograd_forward(
                padded, p.height, p.width, p.channels, u, outputChannels, bias, relu ? 1 : 0,
                output + i * pixels * outputChannels, padded + p.imageSize)
            } else {
              csim_conv2d_direct_forward(
                padded, p.height, p.width, p.channels, filter, p.kernelHeight, p.kernelWidth,
                outputChannels, bias, relu ? 1 : 0, output + i * pixels * outputChannels)
            }
          }
        }
      }
      if winograd {
        withWinogradFilter(filter, channels: g.channels, outputChannels: outputChannels) { run($0) }
      } else {
        run(nil)
      }
      return
    }
    if isDirect(g) && isWinograd(
      height: g.height, width: g.width, channels: g.channels, kernelHeight: g.kernelHeight,
      kernelWidth: g.kernelWidth, outputChannels: outputChannels)
    {
      let scratchCount = csim_conv2d_winograd_scratch_floats(g.width, g.channels, outputChannels)
      withWinogradFilter(filter, channels: g.channels, outputChannels: outputChannels) { u in
        _ = forEachPart(g) { images, _ in
          let scratch = alignedFloats(scratchCount)
          defer { scratch.deallocate() }
          for i in images {
            csim_conv2d_winograd_forward(
              input + i * g.imageSize, g.height, g.width, g.channels, u, outputChannels, bias,
              relu ? 1 : 0, output + i * pixels * outputChannels, scratch)
          }
        }
      }
      return
    }
    if isDirect(g) {
      _ = forEachPart(g) { images, _ in
        for i in images {
          csim_conv2d_direct_forward(
            input + i * g.imageSize, g.height, g.width, g.channels, filter, g.kernelHeight,
            g.kernelWidth, outputChannels, bias, relu ? 1 : 0, output + i * pixels * outputChannels)
        }
      }
      return
    }
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
        let destination = output + start * pixels * outputChannels
        GEMM.multiply(
          .none, .none, m: n * pixels, n: outputChannels, k: patch,
          a: a, lda: patch, b: filter, ldb: outputChannels, c: destination, ldc: outputChannels)
        if bias != nil || relu {
          csim_bias_activation_rows(destination, n * pixels, outputChannels, bias, relu ? 1 : 0)
        }
      }
    }
  }

  /// ``forward(_:input:filter:outputChannels:bias:relu:output:)`` of `input` (no bias, no
  /// ReLU) into `output`, and the filter gradient `filterGradient` (overwritten) of the same
  /// convolution of `input` for the output gradient `gradient`: what the backward pass of a
  /// transposed convolution needs. Where im2col applies, each chunk's column matrix is built
  /// once and feeds both products; otherwise the two passes run one after the other.
  public static func forwardAndFilterGradient(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, output: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
    filterGradient: UnsafeMutablePointer<Float>
  ) {
    if isDirect(g) || paddedDirectGeometry(g) != nil || g.isPointwise {
      forward(g, input: input, filter: filter, outputChannels: outputChannels, output: output)
      backward(
        g, input: input, filter: filter, outputChannels: outputChannels, gradient: gradient,
        inputGradient: nil, filterGradient: filterGradient)
      return
    }
    let patch = g.patchSize
    let pixels = g.outputPixels
    let chunk = imagesPerChunk(g)
    let filterSize = patch * outputChannels
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: partCount(g) * filterSize)
    defer { partials.deallocate() }
    partials.initialize(repeating: 0, count: partCount(g) * filterSize)
    let parts = forEachPart(g) { images, part in
      let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * pixels * patch)
      defer { columns.deallocate() }
      for start in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
        let n = Swift.min(chunk, images.upperBound - start)
        for i in 0..<n {
          Im2Col.expand(g, image: input + (start + i) * g.imageSize, columns: columns + i * pixels * patch)
        }
        GEMM.multiply(
          .none, .none, m: n * pixels, n: outputChannels, k: patch,
          a: columns, lda: patch, b: filter, ldb: outputChannels,
          c: output + start * pixels * outputChannels, ldc: outputChannels)
        GEMM.multiply(
          .transposed, .none, m: patch, n: outputChannels, k: n * pixels,
          a: columns, lda: patch, b: gradient + start * pixels * outputChannels, ldb: outputChannels,
          beta: 1, c: partials + part * filterSize, ldc: outputChannels)
      }
    }
    filterGradient.update(from: partials, count: filterSize)
    for part in 1..<Swift.max(parts, 1) {
      let partial = partials + part * filterSize
      for i in 0..<filterSize { filterGradient[i] += partial[i] }
    }
  }

  /// The gradients of ``forward(_:input:filter:outputChannels:bias:relu:output:)`` with
  /// respect to the input (`inputGradient`), the filter (`filterGradient`) and the bias
  /// (`biasGradient`), all overwritten; each may be nil when not needed.
  ///
  /// - Parameters:
  ///   - output: the forward pass's output when it applied ReLU (the gradient flows where it
  ///     is positive), else nil.
  ///   - gradient: `[batch, outH, outW, outputChannels]`, the gradient of `output`.
  public static func backward(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, output: UnsafePointer<Float>? = nil, gradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>? = nil
  ) {
    let filterSize = g.patchSize * outputChannels
    // The direct input gradient has the input channels as its columns: with fewer than one
    // vector of them (a first layer's 1 or 3) most lanes would idle, so im2col does it.
    let padded = paddedDirectGeometry(g)
    let direct = (isDirect(g) || padded != nil) && (inputGradient == nil || g.channels >= 16)
    // Each part accumulates its filter and bias gradients into its own block of scratch; the
    // blocks are summed in part order at the end, so the result does not depend on timing.
    let block = filterSize + outputChannels
    let maxParts = partCount(g)
    let wanted = filterGradient != nil || biasGradient != nil
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: wanted ? maxParts * block : 0)
    defer { partials.deallocate() }
    partials.initialize(repeating: 0, count: wanted ? maxParts * block : 0)
    let parts: Int
    if direct {
      parts = directBackward(
        g, padded: padded, input: input, filter: filter, outputChannels: outputChannels, output: output,
        gradient: gradient, inputGradient: inputGradient, partials: partials,
        wantsFilter: filterGradient != nil, wantsBias: biasGradient != nil)
    } else {
      parts = im2colBackward(
        g, input: input, filter: filter, outputChannels: outputChannels, output: output,
        gradient: gradient, inputGradient: inputGradient, accumulators: wanted ? partials : nil,
        wantsFilter: filterGradient != nil, wantsBias: biasGradient != nil)
    }
    if let filterGradient {
      filterGradient.update(from: partials, count: filterSize)
      for part in 1..<Swift.max(parts, 1) {
        let partial = partials + part * block
        for i in 0..<filterSize { filterGradient[i] += partial[i] }
      }
    }
    if let biasGradient {
      biasGradient.update(from: partials + filterSize, count: outputChannels)
      for part in 1..<Swift.max(parts, 1) {
        let partial = partials + part * block + filterSize
        for i in 0..<outputChannels { biasGradient[i] += partial[i] }
      }
    }
  }

  /// The direct kernels' backward pass; part p accumulates into `partials + p · (filter +
  /// bias)`. Returns the number of parts.
  ///
  /// Per image, `csim_conv2d_direct_backward` masks and pads the output gradient (taking the
  /// bias gradient) in its scratch. The input gradient is the valid convolution of that padded
  /// gradient with the flipped filter; the filter gradient correlates the input with it. Where
  /// Winograd applies (the same test covers all three forms: the padded sizes have the input's
  /// parity and the channel counts swap), both run by Winograd; the filter gradient's blocks
  /// are then gathered across the part's images, multiplied in the transformed domain, and the
  /// sum is mapped back once per part.
  ///
  /// With `padded` (the geometry of ``paddedDirectGeometry(_:)``), each image is first copied
  /// into its zero padding and the kernels run on that valid geometry; the input gradient of
  /// the padded copy is then cropped to the image's.
  static func directBackward(
    _ original: Conv2DGeometry, padded paddedGeometry: Conv2DGeometry? = nil,
    input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, output: UnsafePointer<Float>?, gradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, partials: UnsafeMutablePointer<Float>,
    wantsFilter: Bool, wantsBias: Bool
  ) -> Int {
    let g = paddedGeometry ?? original
    let isPadded = paddedGeometry != nil
    let filterSize = g.patchSize * outputChannels
    let block = filterSize + outputChannels
    let perImage = g.outputPixels * outputChannels
    let paddedHeight = g.outputHeight + 2 * g.kernelHeight - 2
    let paddedWidth = g.outputWidth + 2 * g.kernelWidth - 2
    let padded = paddedHeight * paddedWidth * outputChannels
    let winograd = isWinograd(
      height: g.height, width: g.width, channels: g.channels, kernelHeight: g.kernelHeight,
      kernelWidth: g.kernelWidth, outputChannels: outputChannels)
    let winogradInput = winograd && inputGradient != nil
    let winogradFilter = winograd && wantsFilter
    let flipped = UnsafeMutablePointer<Float>.allocate(capacity: inputGradient != nil ? filterSize : 0)
    defer { flipped.deallocate() }
    if inputGradient != nil {
      csim_conv2d_flip_filter(filter, g.kernelHeight, g.kernelWidth, g.channels, outputChannels, flipped)
    }
    let domain = 16 * g.channels * outputChannels  // a filter in the Winograd domain
    let transformed = alignedFloats(winogradInput ? domain : 0)
    defer { transformed.deallocate() }
    if winogradInput { csim_conv2d_winograd_filter(flipped, outputChannels, g.channels, transformed) }
    let work = winogradInput ? csim_conv2d_winograd_scratch_floats(paddedWidth, outputChannels, g.channels) : 0
    let capacity = csim_conv2d_winograd_gradient_capacity(g.width)
    let gathered = winogradFilter
      ? csim_conv2d_winograd_gradient_buffer_floats(g.width, g.channels, outputChannels) : 0
    let sums = winogradFilter ? domain : 0
    // A padded copy of the image and the input gradient of that copy, when padded.
    let copies = isPadded ? g.imageSize * (inputGradient != nil ? 2 : 1) : 0
    return forEachPart(g) { images, part in
      // [padded gradient | input-gradient work area | gathered blocks | filter gradient sums
      //  | padded image | its input gradient]
      let scratch = alignedFloats(padded + work + gathered + sums + copies)
      defer { scratch.deallocate() }
      let buffer = scratch + padded + work
      let sum = buffer + gathered
      let paddedImage = sum + sums
      sum.initialize(repeating: 0, count: sums)
      var filled = 0
      let accumulator = partials + part * block
      for i in images {
        let image: UnsafePointer<Float>
        let dx: UnsafeMutablePointer<Float>?
        if isPadded {
          pad(original, g, image: input + i * original.imageSize, into: paddedImage)
          image = UnsafePointer(paddedImage)
          dx = inputGradient == nil ? nil : paddedImage + g.imageSize
        } else {
          image = input + i * g.imageSize
          dx = inputGradient.map { $0 + i * g.imageSize }
        }
        csim_conv2d_direct_backward(
          image, g.height, g.width, g.channels, flipped, g.kernelHeight, g.kernelWidth,
          outputChannels, output.map { $0 + i * perImage }, gradient + i * perImage,
          winogradInput ? nil : dx, wantsFilter && !winogradFilter ? accumulator : nil,
          wantsBias ? accumulator + filterSize : nil, scratch)
        if winogradInput, let dx {
          csim_conv2d_winograd_forward(
            scratch, paddedHeight, paddedWidth, outputChannels, transformed, g.channels, nil, 0,
            dx, scratch + padded)
        }
        if winogradFilter {
          let unpadded = scratch + ((g.kernelHeight - 1) * paddedWidth + g.kernelWidth - 1) * outputChannels
          csim_conv2d_winograd_filter_gradient(
            image, g.height, g.width, g.channels, unpadded, paddedWidth * outputChannels,
            outputChannels, sum, buffer, &filled)
        }
        if isPadded, let inputGradient, let dx {
          crop(original, g, padded: dx, into: inputGradient + i * original.imageSize)
        }
      }
      if winogradFilter {
        csim_conv2d_winograd_gradient_flush(buffer, capacity, &filled, g.channels, outputChannels, sum)
        csim_conv2d_winograd_filter_gradient_finish(sum, g.channels, outputChannels, accumulator)
      }
    }
  }

  /// im2col + GEMM backward pass; part p accumulates into `accumulators + p · (filter + bias)`.
  /// Returns the number of parts.
  static func im2colBackward(
    _ g: Conv2DGeometry, input: UnsafePointer<Float>, filter: UnsafePointer<Float>,
    outputChannels: Int, output: UnsafePointer<Float>?, gradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, accumulators: UnsafeMutablePointer<Float>?,
    wantsFilter: Bool, wantsBias: Bool
  ) -> Int {
    let patch = g.patchSize
    let pixels = g.outputPixels
    let chunk = imagesPerChunk(g)
    let filterSize = patch * outputChannels
    let block = filterSize + outputChannels
    return forEachPart(g) { images, part in
      let columns = UnsafeMutablePointer<Float>.allocate(capacity: chunk * pixels * patch)
      defer { columns.deallocate() }
      let masked = UnsafeMutablePointer<Float>.allocate(capacity: output == nil ? 0 : chunk * pixels * outputChannels)
      defer { masked.deallocate() }
      let filterAccumulator = wantsFilter ? accumulators.map { $0 + part * block } : nil
      let biasAccumulator = wantsBias ? accumulators.map { $0 + part * block + filterSize } : nil
      if let inputGradient, !g.isPointwise {
        (inputGradient + images.lowerBound * g.imageSize).update(repeating: 0, count: images.count * g.imageSize)
      }
      for start in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
        let n = Swift.min(chunk, images.upperBound - start)
        let rows = n * pixels
        var outputGradient = gradient + start * pixels * outputChannels
        if let output {
          // The gradient where the ReLU output is positive, zero elsewhere.
          let y = output + start * pixels * outputChannels
          for j in 0..<rows * outputChannels { masked[j] = y[j] > 0 ? outputGradient[j] : 0 }
          outputGradient = UnsafePointer(masked)
        }
        if let biasAccumulator {
          ColumnSums.accumulate(outputGradient, rows: rows, columns: outputChannels, into: biasAccumulator)
        }
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
  }
}
