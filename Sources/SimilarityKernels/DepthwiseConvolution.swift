import CSimilarityKernels

/// Depthwise 2-D convolution over NHWC images (Keras' `DepthwiseConv2D`): input channel `c` is
/// convolved with its own `multiplier` filters into output channels `c·multiplier ..<
/// (c + 1)·multiplier`. The filter is `[kernelHeight, kernelWidth, channels, multiplier]`.
///
/// The C kernels (`csim_depthwise_*`, family ``KernelFamily/depthwise``: AVX-512, AVX2 + FMA or
/// portable) run valid windows with multiplier 1 over one image buffer; the forward pass and
/// the input gradient read and write the image in place inside its virtual zero padding. For
/// the filter gradient with padding, and for every pass with a multiplier above 1, each image
/// is first copied into a per-thread buffer holding the rows and columns the windows read,
/// zeros in the padding, each channel repeated `multiplier` times (an HWIO `[kh, kw, c, m]`
/// filter is a `[kh, kw, c·m]` one in memory). The
/// batch is cut into several parts per thread as in ``Conv2D``; filter- and bias-gradient
/// partials are summed in part order, so results do not depend on timing.
public enum DepthwiseConvolution {
  /// The C geometry over the padded, expanded buffer, and whether the images can be used as
  /// they are (multiplier 1, no padding read).
  static func plan(_ g: Conv2DGeometry, multiplier: Int) -> (csim_depthwise_geometry, direct: Bool) {
    let height = (g.outputHeight - 1) * g.strideHeight + (g.kernelHeight - 1) * g.dilationHeight + 1
    let width = (g.outputWidth - 1) * g.strideWidth + (g.kernelWidth - 1) * g.dilationWidth + 1
    let direct = multiplier == 1 && g.padTop == 0 && g.padLeft == 0 && height <= g.height
      && width <= g.width
    let geometry = csim_depthwise_geometry(
      height: direct ? g.height : height, width: direct ? g.width : width,
      channels: g.channels * multiplier, kernel_height: g.kernelHeight,
      kernel_width: g.kernelWidth, stride_height: g.strideHeight, stride_width: g.strideWidth,
      dilation_height: g.dilationHeight, dilation_width: g.dilationWidth,
      output_height: g.outputHeight, output_width: g.outputWidth,
      image_height: direct ? g.height : height, image_width: direct ? g.width : width,
      image_top: 0, image_left: 0)
    return (geometry, direct)
  }

  /// Copies one `[height, width, channels]` image into the buffer of `p`: rows and columns
  /// shifted by the padding, zeros outside the image, each channel repeated `multiplier` times.
  static func fill(
    _ g: Conv2DGeometry, _ p: csim_depthwise_geometry, multiplier: Int,
    image: UnsafePointer<Float>, buffer: UnsafeMutablePointer<Float>
  ) {
    let (c, expanded) = (g.channels, p.channels)
    for r in 0..<p.height {
      let row = buffer + r * p.width * expanded
      let ih = r - g.padTop
      guard ih >= 0 && ih < g.height else {
        row.update(repeating: 0, count: p.width * expanded)
        continue
      }
      if multiplier == 1 {
        // The image row's columns are contiguous in the buffer row: one copy between zeros.
        let first = Swift.min(g.padLeft, p.width)
        let end = Swift.min(p.width, g.padLeft + g.width)
        row.update(repeating: 0, count: first * c)
        if end > first {
          (row + first * c).update(from: image + ih * g.width * c, count: (end - first) * c)
        }
        (row + Swift.max(end, first) * c).update(repeating: 0, count: (p.width - Swift.max(end, first)) * c)
        continue
      }
      for column in 0..<p.width {
        let destination = row + column * expanded
        let iw = column - g.padLeft
        guard iw >= 0 && iw < g.width else {
          destination.update(repeating: 0, count: expanded)
          continue
        }
        let source = image + (ih * g.width + iw) * c
        if multiplier == 1 {
          destination.update(from: source, count: c)
        } else {
          for channel in 0..<c {
            (destination + channel * multiplier).update(repeating: source[channel], count: multiplier)
          }
        }
      }
    }
  }

  /// `output[batch, outH, outW, channels·multiplier] = input ⋆ filter + bias`.
  ///
  /// - Parameters:
  ///   - g: the geometry over the input `[batch, height, width, channels]`.
  ///   - filter: `[kernelHeight, kernelWidth, channels, multiplier]`.
  ///   - bias: `[channels · multiplier]`, or nil.
  ///   - output: room for `batch · outputPixels · channels · multiplier` scalars.
  public static func forward(
    _ g: Conv2DGeometry, multiplier: Int, input: UnsafePointer<Float>,
    filter: UnsafePointer<Float>, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>
  ) {
    let (p, _) = plan(g, multiplier: multiplier)
    let perImage = g.outputPixels * p.channels
    let parts = Conv2D.partCount(g)
    // Multiplier 1: the kernels read the image inside its (virtual) padded buffer directly.
    let copies = multiplier > 1
    ThreadPool.shared.parallelFor(parts) { part in
      var geometry = p  // a copy per thread: the C kernels take its address
      if !copies {
        (geometry.image_height, geometry.image_width) = (g.height, g.width)
        (geometry.image_top, geometry.image_left) = (g.padTop, g.padLeft)
      }
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: copies ? p.height * p.width * p.channels : 0)
      defer { buffer.deallocate() }
      for i in ThreadPool.chunk(part, of: g.batch, parts: parts) {
        var image = input + i * g.imageSize
        if copies {
          fill(g, p, multiplier: multiplier, image: image, buffer: buffer)
          image = UnsafePointer(buffer)
        }
        csim_depthwise_forward(&geometry, image, filter, bias, output + i * perImage)
      }
    }
  }

  /// The gradients of ``forward(_:multiplier:input:filter:bias:output:)`` with respect to the
  /// input, the filter and the bias, each overwritten, each nil when not needed.
  ///
  /// - Parameter gradient: `[batch, outH, outW, channels · multiplier]`.
  public static func backward(
    _ g: Conv2DGeometry, multiplier: Int, input: UnsafePointer<Float>,
    filter: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
    inputGradient: UnsafeMutablePointer<Float>?, filterGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?
  ) {
    let (p, direct) = plan(g, multiplier: multiplier)
    let expanded = p.channels
    let perImage = g.outputPixels * expanded
    let filterSize = g.kernelHeight * g.kernelWidth * expanded
    let block = filterSize + expanded
    let parts = Conv2D.partCount(g)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: parts * block)
    defer { partials.deallocate() }
    partials.initialize(repeating: 0, count: parts * block)
    let bufferSize = direct ? 0 : p.height * p.width * expanded
    let gradientBuffer = multiplier == 1 ? 0 : bufferSize  // the padded input gradient
    ThreadPool.shared.parallelFor(parts) { part in
      var geometry = p
      let scratch = UnsafeMutablePointer<Float>.allocate(capacity: bufferSize + gradientBuffer)
      defer { scratch.deallocate() }
      let accumulator = partials + part * block
      for i in ThreadPool.chunk(part, of: g.batch, parts: parts) {
        let dy = gradient + i * perImage
        if biasGradient != nil {
          ColumnSums.accumulate(dy, rows: g.outputPixels, columns: expanded, into: accumulator + filterSize)
        }
        if filterGradient != nil {
          var image = input + i * g.imageSize
          if !direct {
            fill(g, p, multiplier: multiplier, image: image, buffer: scratch)
            image = UnsafePointer(scratch)
          }
          csim_depthwise_backward_filter(&geometry, image, dy, accumulator)
        }
        if let inputGradient {
          let dx = inputGradient + i * g.imageSize
          if multiplier == 1 {
            // The image's own rows and columns of the (padded) buffer, gathered straight into dx.
            var region = geometry
            (region.image_height, region.image_width) = (g.height, g.width)
            (region.image_top, region.image_left) = (g.padTop, g.padLeft)
            csim_depthwise_backward_input(&region, dy, filter, dx)
          } else {
            let padded = scratch + bufferSize
            csim_depthwise_backward_input(&geometry, dy, filter, padded)
            fold(g, p, multiplier: multiplier, buffer: padded, imageGradient: dx)
          }
        }
      }
    }
    if let filterGradient {
      filterGradient.update(from: partials, count: filterSize)
      for part in 1..<parts {
        let partial = partials + part * block
        for k in 0..<filterSize { filterGradient[k] += partial[k] }
      }
    }
    if let biasGradient {
      biasGradient.update(from: partials + filterSize, count: expanded)
      for part in 1..<parts {
        let partial = partials + part * block + filterSize
        for k in 0..<expanded { biasGradient[k] += partial[k] }
      }
    }
  }

  /// The adjoint of ``fill(_:_:multiplier:image:buffer:)``: the image gradient (overwritten) is
  /// the buffer gradient at each element's position, summed over its `multiplier` copies.
  static func fold(
    _ g: Conv2DGeometry, _ p: csim_depthwise_geometry, multiplier: Int,
    buffer: UnsafePointer<Float>, imageGradient: UnsafeMutablePointer<Float>
  ) {
    let (c, expanded) = (g.channels, p.channels)
    for ih in 0..<g.height {
      let r = ih + g.padTop
      for iw in 0..<g.width {
        let destination = imageGradient + (ih * g.width + iw) * c
        let column = iw + g.padLeft
        guard r < p.height && column < p.width else {
          destination.update(repeating: 0, count: c)
          continue
        }
        let source = buffer + (r * p.width + column) * expanded
        if multiplier == 1 {
          destination.update(from: source, count: c)
        } else {
          for channel in 0..<c {
            var sum: Float = 0
            for m in 0..<multiplier { sum += source[channel * multiplier + m] }
            destination[channel] = sum
          }
        }
      }
    }
  }
}
