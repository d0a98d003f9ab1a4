import SimilarityKernels

/// The output extent and leading padding of a window along one axis (``Conv2DGeometry``'s
/// rules: `.same` puts the odd extra position at the end, as TensorFlow).
func windowAxis(
  _ extent: Int, kernel: Int, stride: Int, dilation: Int, padding: Padding
) -> (output: Int, padBefore: Int) {
  let g = Conv2DGeometry(
    input: [1, extent, 1, 1], kernel: (kernel, 1), strides: (stride, 1),
    dilations: (dilation, 1), padding: padding)
  return (g.outputHeight, g.padTop)
}

extension Tensor {
  /// 2-D convolution in `groups` groups (Keras' `groups`): input channels and filters are cut
  /// into `groups` equal consecutive parts, part `k` of the input is convolved with part `k` of
  /// the filters, and the results are concatenated along the channels.
  ///
  /// - Parameter filter: `[kernelHeight, kernelWidth, channels / groups, outputChannels]`;
  ///   `channels` and `outputChannels` divisible by `groups`.
  /// - Returns: `[batch, outputHeight, outputWidth, outputChannels]`.
  ///
  /// A composite of ``slicing(_:alongAxis:)``, ``conv2d(filter:strides:padding:dilations:)``
  /// and ``concatenated(_:alongAxis:)``.
  public func conv2d(
    filter: Tensor, groups: Int, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilations: (Int, Int) = (1, 1)
  ) -> Tensor {
    precondition(
      rank == 4 && filter.rank == 4 && groups > 0 && shape[3] % groups == 0
        && filter.shape[3] % groups == 0 && filter.shape[2] * groups == shape[3],
      "conv2d: input \(shape), filter \(filter.shape) and \(groups) groups do not match")
    if groups == 1 {
      return conv2d(filter: filter, strides: strides, padding: padding, dilations: dilations)
    }
    let (inPart, outPart) = (shape[3] / groups, filter.shape[3] / groups)
    let parts = (0..<groups).map { k in
      slicing(k * inPart..<(k + 1) * inPart, alongAxis: 3).conv2d(
        filter: filter.slicing(k * outPart..<(k + 1) * outPart, alongAxis: 3), strides: strides,
        padding: padding, dilations: dilations)
    }
    return Tensor.concatenated(parts, alongAxis: 3)
  }

  /// 1-D convolution (cross-correlation) of `[batch, steps, channels]` sequences, optionally in
  /// groups: the 2-D convolution of height-1 images.
  ///
  /// - Parameter filter: `[kernelSize, channels / groups, outputChannels]`.
  /// - Returns: `[batch, outputSteps, outputChannels]`.
  public func conv1d(
    filter: Tensor, stride: Int = 1, padding: Padding = .valid, dilation: Int = 1,
    groups: Int = 1
  ) -> Tensor {
    precondition(
      rank == 3 && filter.rank == 3,
      "conv1d: input \(shape) (need [batch, steps, channels]) and filter \(filter.shape) (need [k, cin, cout])")
    let images = reshaped([shape[0], 1, shape[1], shape[2]])
    let kernel = filter.reshaped([1] + filter.shape)
    let output = images.conv2d(
      filter: kernel, groups: groups, strides: (1, stride), padding: padding,
      dilations: (1, dilation))
    return output.reshaped([output.shape[0], output.shape[2], output.shape[3]])
  }

  /// `relu(conv1d(filter) + bias)` (or without ReLU / bias) as the fused 2-D primitive
  /// ``conv2d(filter:bias:relu:strides:padding:dilations:)`` of height-1 images: the bias and
  /// ReLU ride along in the convolution's output tiles and its backward pass.
  ///
  /// - Parameters:
  ///   - filter: `[kernelSize, channels, outputChannels]`.
  ///   - bias: `[outputChannels]`, or nil.
  /// - Returns: `[batch, outputSteps, outputChannels]`.
  public func conv1d(
    filter: Tensor, bias: Tensor?, relu: Bool, stride: Int = 1, padding: Padding = .valid,
    dilation: Int = 1
  ) -> Tensor {
    precondition(
      rank == 3 && filter.rank == 3,
      "conv1d: input \(shape) (need [batch, steps, channels]) and filter \(filter.shape) (need [k, cin, cout])")
    let images = reshaped([shape[0], 1, shape[1], shape[2]])
    let kernel = filter.reshaped([1] + filter.shape)
    let output = images.conv2d(
      filter: kernel, bias: bias, relu: relu, strides: (1, stride), padding: padding,
      dilations: (1, dilation))
    return output.reshaped([output.shape[0], output.shape[2], output.shape[3]])
  }

  /// 3-D convolution (cross-correlation) of NDHWC volumes with a `[kd, kh, kw, cin, cout]`
  /// filter.
  ///
  /// A composite: for each filter depth `i` the depth slices it meets are selected and
  /// concatenated along the channels (``selectingSlicesIntoChannels(_:alongAxis:)``, zeros in
  /// the depth padding), so one 2-D convolution of the `[batch · outDepth, height, width, kd · cin]`
  /// images with the filter rearranged to `[kh, kw, kd · cin, cout]` sums all taps.
  ///
  /// - Returns: `[batch, outDepth, outHeight, outWidth, cout]`.
  public func conv3d(
    filter: Tensor, strides: (Int, Int, Int) = (1, 1, 1), padding: Padding = .valid,
    dilations: (Int, Int, Int) = (1, 1, 1)
  ) -> Tensor {
    precondition(
      rank == 5 && filter.rank == 5 && filter.shape[3] == shape[4],
      "conv3d: input \(shape) (need [batch, depth, height, width, channels]) and filter \(filter.shape) (need [kd, kh, kw, \(rank == 5 ? shape[4] : -1), cout])")
    let (kd, kh, kw, cin, cout) = (
      filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3], filter.shape[4]
    )
    let depth = windowAxis(
      shape[1], kernel: kd, stride: strides.0, dilation: dilations.0, padding: padding)
    let taps = (0..<kd).map { i in
      (0..<depth.output).map { $0 * strides.0 + i * dilations.0 - depth.padBefore }
    }
    let stacked = selectingSlicesIntoChannels(taps, alongAxis: 1)
    let images = stacked.reshaped([shape[0] * depth.output, shape[2], shape[3], kd * cin])
    let kernel = filter.transposed(permutation: [1, 2, 0, 3, 4]).reshaped([kh, kw, kd * cin, cout])
    let output = images.conv2d(
      filter: kernel, strides: (strides.1, strides.2), padding: padding,
      dilations: (dilations.1, dilations.2))
    return output.reshaped([shape[0], depth.output, output.shape[1], output.shape[2], cout])
  }

  /// Transposed 3-D convolution (TensorFlow's `conv3d_transpose`, the input gradient of
  /// ``conv3d(filter:strides:padding:dilations:)``) of NDHWC volumes.
  ///
  /// - Parameters:
  ///   - filter: `[kd, kh, kw, outChannels, inChannels]`.
  ///   - outputSize: `(depth, height, width)` of the result; the forward convolution of that
  ///     size must give this tensor's depth, height and width.
  /// - Returns: `[batch, outputSize.0, outputSize.1, outputSize.2, outChannels]`.
  ///
  /// A composite: one ``conv2dTranspose(filter:outputSize:strides:padding:dilations:)`` of the
  /// depth slices with the filter rearranged to `[kh, kw, kd · outChannels, inChannels]`, then
  /// each filter depth's channels added onto the output depths it reaches
  /// (``scatteringChannelsIntoSlices(_:alongAxis:count:)``).
  public func conv3dTranspose(
    filter: Tensor, outputSize: (Int, Int, Int), strides: (Int, Int, Int) = (1, 1, 1),
    padding: Padding = .valid
  ) -> Tensor {
    precondition(
      rank == 5 && filter.rank == 5 && filter.shape[4] == shape[4],
      "conv3dTranspose: input \(shape) and filter \(filter.shape) (need [kd, kh, kw, cout, \(rank == 5 ? shape[4] : -1)])")
    let (kd, kh, kw, cout, cin) = (
      filter.shape[0], filter.shape[1], filter.shape[2], filter.shape[3], filter.shape[4]
    )
    let (batch, inDepth) = (shape[0], shape[1])
    let depth = windowAxis(outputSize.0, kernel: kd, stride: strides.0, dilation: 1, padding: padding)
    precondition(
      depth.output == inDepth,
      "conv3dTranspose: a \(padding) convolution of depth \(outputSize.0) gives \(depth.output), not \(inDepth)")
    let images = reshaped([batch * inDepth, shape[2], shape[3], cin])
    let kernel = filter.transposed(permutation: [1, 2, 0, 3, 4]).reshaped([kh, kw, kd * cout, cin])
    let planes = images.conv2dTranspose(
      filter: kernel, outputSize: (outputSize.1, outputSize.2), strides: (strides.1, strides.2),
      padding: padding
    ).reshaped([batch, inDepth, outputSize.1, outputSize.2, kd * cout])
    let taps = (0..<kd).map { i in (0..<inDepth).map { $0 * strides.0 + i - depth.padBefore } }
    return planes.scatteringChannelsIntoSlices(taps, alongAxis: 1, count: outputSize.0)
  }
}
