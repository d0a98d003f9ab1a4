import Testing

@testable import SimilarityTensors

/// The tensor ops behind the convolution layers of issue #15: depthwise and transposed
/// convolution (primitives), slice selection and scattering (primitives), grouped, 1-D and 3-D
/// convolutions and transposed 3-D convolution (composites).
@Suite struct ConvolutionFamilyOpTests {
  /// Σ a·b over all elements, in Double.
  static func inner(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
  }

  @Test func depthwiseWithMultiplierOneIsAGroupedConvolutionPerChannel() {
    let x = Sample.tensor([2, 7, 6, 3], seed: 1)
    let w = Sample.tensor([3, 2, 3, 1], seed: 2)
    for (strides, padding, dilations) in [((1, 1), Padding.same, (1, 1)), ((2, 1), .valid, (1, 2)), ((2, 2), .same, (2, 1))] {
      let depthwise = x.depthwiseConv2d(filter: w, strides: strides, padding: padding, dilations: dilations)
      // Per channel: conv2d of that channel with its own [kh, kw, 1, 1] filter.
      let expected = Tensor.concatenated(
        (0..<3).map { c in
          naiveConv2d(
            x.slicing(c..<(c + 1), alongAxis: 3), w.slicing(c..<(c + 1), alongAxis: 2),
            strides: strides, padding: padding, dilations: dilations)
        }, alongAxis: 3)
      #expect(depthwise.shape == expected.shape)
      #expect(depthwise.isClose(to: expected, tolerance: 1e-5))
    }
  }

  @Test func depthwiseGradientsMatchFiniteDifferences() {
    let x = Sample.tensor([2, 5, 6, 3], seed: 3)
    let w = Sample.tensor([3, 3, 3, 2], seed: 4)
    let b = Sample.tensor([6], seed: 5)
    expectGradients([x, w, b]) {
      $0[0].depthwiseConv2d(filter: $0[1], bias: $0[2], strides: (2, 1), padding: .same)
    }
    expectGradients([x, w]) { $0[0].depthwiseConv2d(filter: $0[1], padding: .valid, dilations: (2, 1)) }
    // Multiplier 1 with strides and odd `same` padding: the image read and written in place.
    expectGradients([Sample.tensor([1, 6, 5, 9], seed: 30), Sample.tensor([3, 2, 9, 1], seed: 31)]) {
      $0[0].depthwiseConv2d(filter: $0[1], strides: (2, 2), padding: .same)
    }
    // 17 channels: the AVX2 / AVX-512 kernels' vectors and their portable tail.
    let wide = Sample.tensor([1, 4, 9, 17], seed: 6)
    expectGradients([wide, Sample.tensor([2, 2, 17, 1], seed: 7)]) {
      $0[0].depthwiseConv2d(filter: $0[1], padding: .same)
    }
  }

  /// ⟨conv2d(x, w), y⟩ = ⟨x, conv2dTranspose(y, w)⟩: the transposed convolution is the adjoint.
  @Test func transposedConvolutionIsTheAdjointOfConvolution() {
    for (size, kernel, strides, padding, dilations) in [
      ((7, 8), (3, 3), (2, 2), Padding.same, (1, 1)), ((9, 6), (4, 2), (2, 3), .valid, (1, 1)),
      ((8, 8), (3, 3), (1, 1), .valid, (2, 2)), ((6, 6), (3, 3), (1, 1), .valid, (1, 1)),
    ] {
      let x = Sample.tensor([2, size.0, size.1, 16], seed: 8)
      let w = Sample.tensor([kernel.0, kernel.1, 16, 3], seed: 9)
      let forward = x.conv2d(filter: w, strides: strides, padding: padding, dilations: dilations)
      let y = Sample.tensor(forward.shape, seed: 10)
      let back = y.conv2dTranspose(filter: w, outputSize: size, strides: strides, padding: padding, dilations: dilations)
      #expect(back.shape == x.shape)
      let (left, right) = (Self.inner(forward, y), Self.inner(x, back))
      #expect(abs(left - right) <= 1e-4 * max(1, abs(left)), "\(size) \(kernel) \(strides): \(left) vs \(right)")
    }
  }

  @Test func transposedConvolutionGradientsMatchFiniteDifferences() {
    let y = Sample.tensor([2, 3, 4, 2], seed: 11)
    let w = Sample.tensor([3, 3, 3, 2], seed: 12)
    expectGradients([y, w]) {
      $0[0].conv2dTranspose(filter: $0[1], outputSize: (6, 8), strides: (2, 2), padding: .same)
    }
    expectGradients([y, w]) {
      $0[0].conv2dTranspose(filter: $0[1], outputSize: (8, 9), strides: (2, 2), padding: .valid)
    }
    // With the bias fused in: the composite's values, and gradients of all three inputs.
    let b = Sample.tensor([3], seed: 14)
    let fused = y.conv2dTranspose(filter: w, outputSize: (6, 8), strides: (2, 2), padding: .same, bias: b)
    let composite = y.conv2dTranspose(filter: w, outputSize: (6, 8), strides: (2, 2), padding: .same).addingBias(b)
    #expect(fused.isClose(to: composite, tolerance: 1e-6))
    expectGradients([y, w, b]) {
      $0[0].conv2dTranspose(filter: $0[1], outputSize: (6, 8), strides: (2, 2), padding: .same, bias: $0[2])
    }
  }

  @Test func sliceSelectionAndScatteringAreAdjoint() {
    let x = Sample.tensor([2, 4, 3], seed: 13)
    let indices = [3, -1, 0, 3, 5, 1]
    let selected = x.selectingSlices(indices, alongAxis: 1)
    #expect(selected.shape == [2, 6, 3])
    #expect(selected[1, 0, 2] == x[1, 3, 2] && selected[0, 1, 1] == 0 && selected[0, 4, 0] == 0)
    let y = Sample.tensor([2, 6, 3], seed: 14)
    let scattered = y.scatteringSlices(indices, alongAxis: 1, count: 4)
    #expect(abs(Self.inner(selected, y) - Self.inner(x, scattered)) <= 1e-4)
    expectGradients([x]) { $0[0].selectingSlices(indices, alongAxis: 1) }
    expectGradients([y]) { $0[0].scatteringSlices(indices, alongAxis: 1, count: 4) }
  }

  @Test func tapsIntoChannelsAreSelectionsConcatenated() {
    let x = Sample.tensor([2, 4, 3, 2, 3], seed: 26)
    let taps = [[0, 2, -1], [1, 3, 5], [2, 4, 0]]
    let joined = x.selectingSlicesIntoChannels(taps, alongAxis: 1)
    let expected = Tensor.concatenated(taps.map { x.selectingSlices($0, alongAxis: 1) }, alongAxis: 4)
    #expect(joined.shape == [2, 3, 3, 2, 9])
    #expect(joined.scalars == expected.scalars)
    expectGradients([Sample.tensor([2, 4, 2, 3], seed: 27)]) {
      $0[0].selectingSlicesIntoChannels(taps, alongAxis: 1)
    }
    // Its adjoint: ⟨select(x), y⟩ = ⟨x, scatter(y)⟩.
    let y = Sample.tensor(joined.shape, seed: 28)
    let scattered = y.scatteringChannelsIntoSlices(taps, alongAxis: 1, count: 4)
    #expect(scattered.shape == x.shape)
    #expect(abs(Self.inner(joined, y) - Self.inner(x, scattered)) <= 1e-3)
    expectGradients([Sample.tensor([2, 3, 2, 6], seed: 29)]) {
      $0[0].scatteringChannelsIntoSlices([[0, 2, -1], [1, 3, 5]], alongAxis: 1, count: 4)
    }
  }

  @Test func composedConvolutionGradientsMatchFiniteDifferences() {
    let sequence = Sample.tensor([2, 7, 4], seed: 15)
    expectGradients([sequence, Sample.tensor([3, 2, 4], seed: 16)]) {
      $0[0].conv1d(filter: $0[1], stride: 2, padding: .same, groups: 2)
    }
    let volume = Sample.tensor([1, 4, 4, 3, 2], seed: 17)
    expectGradients([volume, Sample.tensor([2, 3, 2, 2, 3], seed: 18)]) {
      $0[0].conv3d(filter: $0[1], strides: (2, 1, 1), padding: .same)
    }
    let small = Sample.tensor([1, 2, 2, 3, 2], seed: 19)
    expectGradients([small, Sample.tensor([3, 2, 2, 2, 2], seed: 20)]) {
      $0[0].conv3dTranspose(filter: $0[1], outputSize: (4, 4, 3), strides: (2, 2, 1), padding: .same)
    }
  }

  /// conv3d with a depth-1 kernel over depth-1 volumes is conv2d; conv3dTranspose is the
  /// adjoint of conv3d.
  @Test func threeDimensionalOpsReduceAndTranspose() {
    let x = Sample.tensor([2, 5, 6, 4, 3], seed: 21)
    let w = Sample.tensor([3, 2, 2, 3, 2], seed: 22)
    let forward = x.conv3d(filter: w, strides: (2, 2, 1), padding: .same)
    let y = Sample.tensor(forward.shape, seed: 23)
    let back = y.conv3dTranspose(filter: w, outputSize: (5, 6, 4), strides: (2, 2, 1), padding: .same)
    #expect(abs(Self.inner(forward, y) - Self.inner(x, back)) <= 1e-3)
    let flat = Sample.tensor([2, 1, 5, 4, 3], seed: 24)
    let kernel = Sample.tensor([1, 3, 3, 3, 2], seed: 25)
    let asConv2D = flat.reshaped([2, 5, 4, 3]).conv2d(filter: kernel.reshaped([3, 3, 3, 2]), padding: .same)
    #expect(flat.conv3d(filter: kernel, padding: .same).reshaped(asConv2D.shape).isClose(to: asConv2D, tolerance: 1e-5))
  }
}
