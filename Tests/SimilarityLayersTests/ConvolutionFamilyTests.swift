import SimilarityLayers
import Testing

/// Conv1D, Conv3D, Conv2DTranspose, Conv3DTranspose, DepthwiseConv2D, SeparableConv2D and
/// grouped Conv2D: forward passes against the plain loops of ``NaiveConvolution``, gradients
/// against finite differences.
@Suite struct ConvolutionFamilyTests {
  /// Builds `layer` for `inputShape` and gives its bias (if any) random values.
  static func built<L: Layer>(_ layer: L, _ inputShape: [Int], seed: UInt64 = 3) -> L {
    layer.build(inputShape: [nil] + inputShape.dropFirst().map { Optional($0) }, seed: seed)
    for (name, parameter) in layer.namedParameters where name == "bias" {
      parameter.value = randomTensor(parameter.value.shape, seed: seed + 100)
    }
    return layer
  }

  static func expectClose(_ a: Tensor, _ b: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.shape == b.shape, sourceLocation: sourceLocation)
    #expect(allClose(a.scalars, b.scalars, tolerance: 1e-4), sourceLocation: sourceLocation)
  }

  static func expectGradients(_ layer: any Layer, input: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    let x = Parameter(input)
    expectGradientsMatchFiniteDifferences(of: layer.parameters + [x], sourceLocation: sourceLocation) {
      weightedSum(layer(x.value))
    }
  }

  @Test(arguments: [(3, 2, Padding.same, 1, 1), (3, 1, .valid, 2, 2), (2, 3, .same, 1, 4)])
  func conv1DMatchesTheLoop(kernel: Int, stride: Int, padding: Padding, dilation: Int, groups: Int) throws {
    let layer = Self.built(
      Conv1D(filters: 8, kernelSize: kernel, strides: stride, padding: padding, dilationRate: dilation, groups: groups),
      [2, 9, 4])
    let x = randomTensor([2, 9, 4], seed: 5)
    let w = try #require(layer.kernel).value
    let expected = NaiveConvolution.conv3d(
      x.reshaped([2, 1, 1, 9, 4]), w.reshaped([1, 1] + w.shape), strides: [1, 1, stride],
      padding: padding, dilations: [1, 1, dilation], groups: groups)
    let output = layer(x)
    Self.expectClose(output, NaiveConvolution.plusBias(expected.reshaped(output.shape), layer.bias?.value))
    Self.expectGradients(layer, input: x)
  }

  @Test(arguments: [((3, 3), (1, 1), Padding.same, 2), ((2, 3), (2, 2), .valid, 4), ((3, 2), (2, 1), .same, 1)])
  func groupedConv2DMatchesTheLoop(kernel: (Int, Int), strides: (Int, Int), padding: Padding, groups: Int) throws {
    let layer = Self.built(
      Conv2D(filters: 8, kernelSize: kernel, strides: strides, padding: padding, groups: groups, activation: .tanh),
      [2, 6, 7, 4])
    let x = randomTensor([2, 6, 7, 4], seed: 6)
    let w = try #require(layer.kernel).value
    #expect(w.shape == [kernel.0, kernel.1, 4 / groups, 8])
    let expected = NaiveConvolution.conv3d(
      x.reshaped([2, 1, 6, 7, 4]), w.reshaped([1] + w.shape), strides: [1, strides.0, strides.1],
      padding: padding, dilations: [1, 1, 1], groups: groups)
    let output = layer(x)
    Self.expectClose(output, NaiveConvolution.plusBias(expected.reshaped(output.shape), layer.bias?.value).tanh())
    Self.expectGradients(layer, input: x)
  }

  @Test(arguments: [
    ([2, 3, 3], [1, 2, 1], Padding.same, [1, 1, 1]), ([3, 2, 2], [1, 1, 1], .valid, [1, 2, 1]),
    ([1, 1, 1], [2, 1, 2], .valid, [1, 1, 1]),
  ])
  func conv3DMatchesTheLoop(kernel: [Int], strides: [Int], padding: Padding, dilations: [Int]) throws {
    let layer = Self.built(
      Conv3D(
        filters: 4, kernelSize: (kernel[0], kernel[1], kernel[2]), strides: (strides[0], strides[1], strides[2]),
        padding: padding, dilationRate: (dilations[0], dilations[1], dilations[2])),
      [2, 5, 6, 5, 3])
    let x = randomTensor([2, 5, 6, 5, 3], seed: 7)
    let expected = NaiveConvolution.conv3d(
      x, try #require(layer.kernel).value, strides: strides, padding: padding, dilations: dilations)
    Self.expectClose(layer(x), NaiveConvolution.plusBias(expected, layer.bias?.value))
    Self.expectGradients(layer, input: x)
  }

  @Test(arguments: [
    ((3, 3), (2, 2), Padding.same, [Int]?.none, (1, 1)), ((4, 4), (2, 2), .same, [1, 1], (1, 1)),
    ((3, 2), (2, 3), .valid, [1, 2], (1, 1)), ((2, 2), (1, 1), .valid, nil, (2, 2)),
  ])
  func conv2DTransposeMatchesTheLoop(
    kernel: (Int, Int), strides: (Int, Int), padding: Padding, outputPadding: [Int]?, dilations: (Int, Int)
  ) throws {
    let layer = Self.built(
      Conv2DTranspose(
        filters: 2, kernelSize: kernel, strides: strides, padding: padding,
        outputPadding: outputPadding.map { ($0[0], $0[1]) }, dilationRate: dilations),
      [2, 3, 4, 3])
    let x = randomTensor([2, 3, 4, 3], seed: 8)
    let output = layer(x)
    let w = try #require(layer.kernel).value
    let expected = NaiveConvolution.conv3dTranspose(
      x.reshaped([2, 1, 3, 4, 3]), w.reshaped([1] + w.shape), outSize: [1, output.shape[1], output.shape[2]],
      strides: [1, strides.0, strides.1], padding: padding, dilations: [1, dilations.0, dilations.1])
    Self.expectClose(output, NaiveConvolution.plusBias(expected.reshaped(output.shape), layer.bias?.value))
    Self.expectGradients(layer, input: x)
  }

  @Test(arguments: [([2, 3, 3], [2, 2, 1], Padding.same, [Int]?.none), ([3, 2, 2], [2, 2, 2], .valid, [1, 1, 0])])
  func conv3DTransposeMatchesTheLoop(kernel: [Int], strides: [Int], padding: Padding, outputPadding: [Int]?) throws {
    let layer = Self.built(
      Conv3DTranspose(
        filters: 3, kernelSize: (kernel[0], kernel[1], kernel[2]), strides: (strides[0], strides[1], strides[2]),
        padding: padding, outputPadding: outputPadding.map { ($0[0], $0[1], $0[2]) }),
      [1, 2, 3, 3, 2])
    let x = randomTensor([1, 2, 3, 3, 2], seed: 9)
    let output = layer(x)
    let expected = NaiveConvolution.conv3dTranspose(
      x, try #require(layer.kernel).value, outSize: Array(output.shape[1...3]), strides: strides, padding: padding)
    Self.expectClose(output, NaiveConvolution.plusBias(expected, layer.bias?.value))
    Self.expectGradients(layer, input: x)
  }

  @Test(arguments: [
    ([3, 3], [2, 2], Padding.same, 2, [1, 1], [2, 5, 6, 3]), ([3, 3], [1, 1], .valid, 1, [2, 2], [1, 7, 7, 4]),
    ([2, 4], [1, 1], .same, 3, [1, 1], [1, 5, 5, 2]), ([5, 5], [1, 1], .same, 1, [1, 1], [1, 6, 13, 20]),
    ([3, 3], [1, 2], .valid, 1, [1, 1], [2, 9, 19, 24]),
  ])
  func depthwiseConv2DMatchesTheLoop(
    kernel: [Int], strides: [Int], padding: Padding, multiplier: Int, dilations: [Int], shape: [Int]
  ) throws {
    let layer = Self.built(
      DepthwiseConv2D(
        kernelSize: (kernel[0], kernel[1]), strides: (strides[0], strides[1]), padding: padding,
        depthMultiplier: multiplier, dilationRate: (dilations[0], dilations[1])),
      shape)
    let x = randomTensor(shape, seed: 10)
    let w = try #require(layer.depthwiseKernel).value
    #expect(w.shape == kernel + [shape[3], multiplier])
    #expect(layer.namedParameters.map(\.name) == ["depthwise_kernel", "bias"])
    let expected = NaiveConvolution.depthwise(x, w, strides: strides, padding: padding, dilations: dilations)
    Self.expectClose(layer(x), NaiveConvolution.plusBias(expected, layer.bias?.value))
    if shape.reduce(1, *) <= 300 { Self.expectGradients(layer, input: x) }
  }

  @Test(arguments: [((3, 3), (1, 1), Padding.same, 2, 5), ((3, 2), (2, 2), .valid, 1, 3)])
  func separableConv2DMatchesTheLoop(
    kernel: (Int, Int), strides: (Int, Int), padding: Padding, multiplier: Int, filters: Int
  ) throws {
    let layer = Self.built(
      SeparableConv2D(
        filters: filters, kernelSize: kernel, strides: strides, padding: padding,
        depthMultiplier: multiplier, activation: .relu),
      [2, 6, 5, 3])
    let x = randomTensor([2, 6, 5, 3], seed: 11)
    #expect(layer.namedParameters.map(\.name) == ["depthwise_kernel", "pointwise_kernel", "bias"])
    let depthwise = NaiveConvolution.depthwise(
      x, try #require(layer.depthwiseKernel).value, strides: [strides.0, strides.1], padding: padding,
      dilations: [1, 1])
    let pointwise = try #require(layer.pointwiseKernel).value
    #expect(pointwise.shape == [1, 1, 3 * multiplier, filters])
    let expected = NaiveConvolution.conv3d(
      depthwise.reshaped([1] + depthwise.shape), pointwise.reshaped([1] + pointwise.shape),
      strides: [1, 1, 1], padding: .valid, dilations: [1, 1, 1])
    let output = layer(x)
    Self.expectClose(output, NaiveConvolution.plusBias(expected.reshaped(output.shape), layer.bias?.value).relu())
    Self.expectGradients(layer, input: x)
  }

  /// Keras' parameter counts for the benchmark shapes (printed by `model.summary()`).
  @Test func parameterCountsMatchKeras() {
    func count(_ layer: any Layer, _ shape: LayerShape) -> Int {
      layer.build(inputShape: shape, seed: 1)
      return layer.parameterCount
    }
    #expect(count(DepthwiseConv2D(kernelSize: (3, 3)), [nil, 112, 112, 32]) == 320)
    #expect(count(SeparableConv2D(filters: 128, kernelSize: (3, 3)), [nil, 56, 56, 64]) == 8_896)
    #expect(count(Conv1D(filters: 64, kernelSize: 5), [nil, 1024, 64]) == 20_544)
    #expect(count(Conv1D(filters: 64, kernelSize: 5, groups: 4), [nil, 1024, 64]) == 5_184)
    #expect(count(Conv3D(filters: 16, kernelSize: (3, 3, 3)), [nil, 16, 32, 32, 16]) == 6_928)
    #expect(count(Conv2DTranspose(filters: 64, kernelSize: (4, 4), strides: (2, 2)), [nil, 16, 16, 128]) == 131_136)
    #expect(count(Conv3DTranspose(filters: 8, kernelSize: (3, 3, 3)), [nil, 4, 4, 4, 16]) == 3_464)
    #expect(count(DepthwiseConv2D(kernelSize: (3, 3), depthMultiplier: 2, useBias: false), [nil, 8, 8, 5]) == 90)
  }
}
