import SimilarityTensors

extension ArchitecturePlan {
  /// The example shape after a Conv1D, Conv3D, Conv2DTranspose, Conv3DTranspose,
  /// DepthwiseConv2D or SeparableConv2D receiving `shape`, recording its parameters; throws
  /// (through `fail`, which names the layer) for a wrong rank, channels not divisible by the
  /// groups, a window larger than its (padded) input, or a transposed size whose convolution
  /// does not give back the input.
  mutating func planConvolution(
    _ layer: LayerConfiguration, shape: [Int], name: String, prefix: String,
    fail: (String) -> ArchitectureError
  ) throws(ArchitectureError) -> [Int] {
    func needRank(_ rank: Int, _ what: String) throws(ArchitectureError) {
      guard shape.count == rank else { throw fail("needs \(what) inputs, found \(shape)") }
    }
    func parameter(_ weight: String, _ parameterShape: [Int]) throws(ArchitectureError) {
      try addParameter(prefix + name + "." + weight, parameterShape, layer: layer, name: name)
    }
    func windows(
      _ kernel: [Int], _ strides: [Int], _ dilations: [Int], _ padding: Padding, _ axes: [String]
    ) throws(ArchitectureError) -> [Int] {
      var extents: [Int] = []
      for axis in axes.indices {
        extents.append(
          try Self.windowExtent(
            shape[axis], window: kernel[axis], stride: strides[axis], dilation: dilations[axis],
            padding: padding, axis: axes[axis], fail: fail))
      }
      return extents
    }
    func transposed(
      _ kernel: [Int], _ strides: [Int], _ dilations: [Int], _ padding: Padding,
      _ outputPadding: [Int]?, _ axes: [String]
    ) throws(ArchitectureError) -> [Int] {
      var extents: [Int] = []
      for axis in axes.indices {
        // Every factor is at most 2²⁰ (validated) and an extent at most 2²⁴, so no overflow.
        let extent = transposedOutputExtent(
          shape[axis], window: kernel[axis], stride: strides[axis], dilation: dilations[axis],
          padding: padding, outputPadding: outputPadding?[axis])
        let span = dilations[axis] * (kernel[axis] - 1) + 1
        guard extent > 0, padding == .same || span <= extent,
          convolutionOutputExtent(
            extent, window: kernel[axis], stride: strides[axis], dilation: dilations[axis],
            padding: padding) == shape[axis]
        else {
          throw fail(
            "an output \(axes[axis]) of \(extent) (kernel \(kernel[axis]), stride \(strides[axis]), "
              + "outputPadding \(outputPadding.map { String($0[axis]) } ?? "None"), \(padding)) does "
              + "not convolve back to the input \(axes[axis]) \(shape[axis])")
        }
        extents.append(extent)
      }
      return extents
    }
    func product(_ a: Int, _ b: Int) throws(ArchitectureError) -> Int {
      let (value, overflow) = a.multipliedReportingOverflow(by: b)
      guard !overflow else { throw fail("\(a) channels × \(b) overflows") }
      return value
    }

    switch layer {
    case .conv1D(let c):
      try needRank(2, "[steps, channels]")
      try Self.checkGroups(c.groups, channels: shape[1], fail: fail)
      let steps = try windows(c.kernelSize, c.strides, c.dilationRate, c.padding, ["steps"])
      try parameter("kernel", [c.kernelSize[0], shape[1] / c.groups, c.filters])
      if c.useBias { try parameter("bias", [c.filters]) }
      return steps + [c.filters]
    case .conv3D(let c):
      try needRank(4, "[depth, height, width, channels]")
      let extents = try windows(
        c.kernelSize, c.strides, c.dilationRate, c.padding, ["depth", "height", "width"])
      try parameter("kernel", c.kernelSize + [shape[3], c.filters])
      if c.useBias { try parameter("bias", [c.filters]) }
      return extents + [c.filters]
    case .conv2DTranspose(let c):
      try needRank(3, "[height, width, channels]")
      let extents = try transposed(
        c.kernelSize, c.strides, c.dilationRate, c.padding, c.outputPadding, ["height", "width"])
      try parameter("kernel", c.kernelSize + [c.filters, shape[2]])
      if c.useBias { try parameter("bias", [c.filters]) }
      return extents + [c.filters]
    case .conv3DTranspose(let c):
      try needRank(4, "[depth, height, width, channels]")
      let extents = try transposed(
        c.kernelSize, c.strides, [1, 1, 1], c.padding, c.outputPadding,
        ["depth", "height", "width"])
      try parameter("kernel", c.kernelSize + [c.filters, shape[3]])
      if c.useBias { try parameter("bias", [c.filters]) }
      return extents + [c.filters]
    case .depthwiseConv2D(let c):
      try needRank(3, "[height, width, channels]")
      let extents = try windows(
        c.kernelSize, c.strides, c.dilationRate, c.padding, ["height", "width"])
      let channels = try product(shape[2], c.depthMultiplier)
      try parameter("depthwise_kernel", c.kernelSize + [shape[2], c.depthMultiplier])
      if c.useBias { try parameter("bias", [channels]) }
      return extents + [channels]
    case .separableConv2D(let c):
      try needRank(3, "[height, width, channels]")
      let extents = try windows(
        c.kernelSize, c.strides, c.dilationRate, c.padding, ["height", "width"])
      let channels = try product(shape[2], c.depthMultiplier)
      try parameter("depthwise_kernel", c.kernelSize + [shape[2], c.depthMultiplier])
      try parameter("pointwise_kernel", [1, 1, channels, c.filters])
      if c.useBias { try parameter("bias", [c.filters]) }
      return extents + [c.filters]
    default:
      return shape
    }
  }

  /// Throws unless `channels` is divisible by `groups`.
  static func checkGroups(_ groups: Int, channels: Int, fail: (String) -> ArchitectureError)
    throws(ArchitectureError)
  {
    guard channels % groups == 0 else {
      throw fail("input channels \(channels) are not divisible by groups \(groups)")
    }
  }
}
