import Testing

@testable import SimilarityTensors

/// `conv2d(filter:bias:relu:)` — bias and ReLU fused into the convolution primitive — against
/// the naive loop and the composite `relu(conv2d + bias)`, on shapes that take the direct
/// kernels (stride 1, valid: column blocks of 16 with ragged tails, several 64-column blocks,
/// ragged row tiles) and shapes that take im2col + GEMM.
@Suite struct ConvolutionFusionTests {
  static let cases: [ConvCase] = [
    ConvCase(input: [2, 7, 9, 5], kernel: (3, 3), outputChannels: 20),
    ConvCase(input: [3, 6, 30, 17], kernel: (3, 3), outputChannels: 70),
    ConvCase(input: [2, 5, 5, 1], kernel: (3, 3), outputChannels: 32),
    ConvCase(input: [1, 4, 19, 33], kernel: (2, 4), outputChannels: 16),
    ConvCase(input: [2, 7, 6, 3], kernel: (3, 3), outputChannels: 5, strides: (2, 2), padding: .same),
    ConvCase(input: [2, 4, 4, 3], kernel: (1, 1), outputChannels: 6),
    // Winograd F(2×2, 3×3) for the forward pass and the input gradient (even sizes, channel
    // counts multiples of 16); the filter gradient stays direct.
    ConvCase(input: [2, 8, 10, 16], kernel: (3, 3), outputChannels: 32),
    ConvCase(input: [1, 4, 6, 64], kernel: (3, 3), outputChannels: 16),
  ]

  static func composite(_ x: Tensor, _ w: Tensor, _ b: Tensor?, relu: Bool, _ c: ConvCase) -> Tensor {
    var y = x.conv2d(filter: w, strides: c.strides, padding: c.padding)
    if let b { y = y.addingBias(b) }
    return relu ? y.relu() : y
  }

  @Test(arguments: cases)
  func fusedBiasAndReluGiveTheCompositesValuesAndGradients(_ c: ConvCase) {
    let x = Sample.tensor(c.input, seed: 71).variable()
    let w = Sample.tensor([c.kernel.0, c.kernel.1, c.input[3], c.outputChannels], seed: 72).variable()
    let b = Sample.tensor([c.outputChannels], seed: 73).variable()
    for (bias, relu) in [(b, true), (b, false), (nil, true)] as [(Tensor?, Bool)] {
      let y = x.conv2d(filter: w, bias: bias, relu: relu, strides: c.strides, padding: c.padding)
      // Against the naive Double loop, then bias and ReLU by hand.
      let naive = naiveConv2d(x, w, strides: c.strides, padding: c.padding, dilations: (1, 1))
      let expected = naive.scalars.enumerated().map { i, v in
        let z = v + (bias?.scalars[i % c.outputChannels] ?? 0)
        return relu ? Swift.max(z, 0) : z
      }
      #expect(y.shape == naive.shape)
      #expect(y.isClose(to: Tensor(shape: naive.shape, scalars: expected), tolerance: 1e-5), "\(c) bias \(bias != nil) relu \(relu)")
      if relu { #expect(y.scalars.allSatisfy { $0 >= 0 }) }
      // Gradients against the composite's, for a random output gradient.
      let reference = Self.composite(x, w, bias, relu: relu, c)
      let seed = Sample.tensor(y.shape, seed: 74)
      let variables = bias.map { [x, w, $0] } ?? [x, w]
      let grads = y.gradients(of: variables, seed: seed)
      let expectedGrads = reference.gradients(of: variables, seed: seed)
      for (got, want) in zip(grads, expectedGrads) {
        #expect(got.isClose(to: want, tolerance: 1e-4), "\(c) bias \(bias != nil) relu \(relu)")
      }
    }
  }

  @Test func fusedGradientsMatchFiniteDifferences() {
    let w = Sample.tensor([3, 3, 3, 18], seed: 76)
    // Without ReLU (no kinks for the finite differences to straddle).
    expectGradients([Sample.tensor([2, 5, 6, 3], seed: 75), w, Sample.tensor([18], seed: 77)]) {
      $0[0].conv2d(filter: $0[1], bias: $0[2], relu: false)
    }
    // With ReLU, after shifting the bias so no output lies near the kink.
    let x = Sample.tensor([1, 4, 5, 3], seed: 78)
    let pre = x.conv2d(filter: w)
    var shift = [Float](repeating: 0, count: 18)
    for (i, v) in pre.scalars.enumerated() where abs(v) < 0.05 { shift[i % 18] += 0.2 }
    expectGradients([x, w, Tensor(shape: [18], scalars: shift)]) {
      $0[0].conv2d(filter: $0[1], bias: $0[2], relu: true)
    }
  }

  @Test func emptyWindowsGiveTheBiasThroughTheActivation() {
    // Zero input channels: every output pixel is relu(bias); its gradient is the pixel sum.
    let x = Tensor.zeros([2, 3, 3, 0]).variable()
    let w = Tensor.zeros([2, 2, 0, 2]).variable()
    let b = Tensor(shape: [2], scalars: [1.5, -1]).variable()
    let y = x.conv2d(filter: w, bias: b, relu: true)
    #expect(y.shape == [2, 2, 2, 2])
    #expect(y.scalars == [Float](repeating: 0, count: 8).flatMap { _ in [1.5, 0] as [Float] })
    let grads = y.gradients(of: [b], seed: Tensor.ones(y.shape))
    #expect(grads[0].scalars == [8, 0])
  }
}

/// The direct kernels and im2col + GEMM (the global switch; in the serialized suite of the other
/// tests that turn the convolution's knobs) give the same values and gradients.
extension ConvolutionStrategyTests {
  @Test(arguments: [true, false])
  func directKernelsAndIm2colAgree(splits: Bool) {
    let saved = (Conv2D.usesDirectKernels, Conv2D.splitsBatchOverThreads)
    defer { (Conv2D.usesDirectKernels, Conv2D.splitsBatchOverThreads) = saved }
    Conv2D.splitsBatchOverThreads = splits
    let x = Sample.tensor([5, 9, 11, 20], seed: 81).variable()
    let w = Sample.tensor([3, 3, 20, 70], seed: 82).variable()
    let b = Sample.tensor([70], seed: 83).variable()
    let seed = Sample.tensor([5, 7, 9, 70], seed: 84)
    var results: [[Tensor]] = []
    for direct in [true, false] {
      Conv2D.usesDirectKernels = direct
      let y = x.conv2d(filter: w, bias: b, relu: true)
      results.append([y] + y.gradients(of: [x, w, b], seed: seed))
    }
    for (direct, im2col) in zip(results[0], results[1]) {
      #expect(direct.isClose(to: im2col, tolerance: 1e-4))
    }
  }
}

/// Winograd F(2×2, 3×3) against the direct kernels and im2col + GEMM (the global switches, in
/// the serialized suite), on shapes where it applies (to the forward pass and the input
/// gradient alike) and where it does not.
extension ConvolutionStrategyTests {
  @Test(arguments: [
    ConvCase(input: [3, 12, 14, 32], kernel: (3, 3), outputChannels: 64),
    ConvCase(input: [2, 10, 10, 64], kernel: (3, 3), outputChannels: 32),
    // Neither: an odd height, an odd width, channels that are not a multiple of 16.
    ConvCase(input: [2, 7, 8, 16], kernel: (3, 3), outputChannels: 16),
    ConvCase(input: [2, 6, 9, 16], kernel: (3, 3), outputChannels: 16),
    ConvCase(input: [2, 6, 8, 20], kernel: (3, 3), outputChannels: 16),
  ])
  func winogradAgreesWithTheDirectKernelsAndIm2col(_ c: ConvCase) {
    let saved = (Conv2D.usesDirectKernels, Conv2D.usesWinograd)
    defer { (Conv2D.usesDirectKernels, Conv2D.usesWinograd) = saved }
    let x = Sample.tensor(c.input, seed: 91).variable()
    let w = Sample.tensor([3, 3, c.input[3], c.outputChannels], seed: 92).variable()
    let b = Sample.tensor([c.outputChannels], seed: 93).variable()
    let seed = Sample.tensor([c.input[0], c.input[1] - 2, c.input[2] - 2, c.outputChannels], seed: 94)
    Conv2D.usesDirectKernels = true
    Conv2D.usesWinograd = true
    let applies = c.input[1] % 2 == 0 && c.input[2] % 2 == 0 && c.input[3] % 16 == 0
      && c.outputChannels % 16 == 0 && Conv2D.winogradKernelsAvailable
    #expect(Conv2D.isWinograd(
      height: c.input[1], width: c.input[2], channels: c.input[3], kernelHeight: 3, kernelWidth: 3,
      outputChannels: c.outputChannels) == applies, "\(c)")
    var results: [[Tensor]] = []
    for (direct, winograd) in [(true, true), (true, false), (false, false)] {
      (Conv2D.usesDirectKernels, Conv2D.usesWinograd) = (direct, winograd)
      for relu in [true, false] {
        let y = x.conv2d(filter: w, bias: b, relu: relu)
        results.append([y] + y.gradients(of: [x, w, b], seed: seed))
      }
    }
    for strategy in 1..<3 {
      for (got, want) in zip(results[0] + results[1], results[2 * strategy] + results[2 * strategy + 1]) {
        #expect(got.isClose(to: want, tolerance: 1e-4), "\(c) strategy \(strategy)")
      }
    }
    let naive = naiveConv2d(x, w, strides: (1, 1), padding: .valid, dilations: (1, 1))
    (Conv2D.usesDirectKernels, Conv2D.usesWinograd) = (true, true)
    #expect(x.conv2d(filter: w).isClose(to: naive, tolerance: 1e-4), "\(c)")
  }

  @Test func winogradGradientsMatchFiniteDifferences() {
    let saved = Conv2D.usesWinograd
    defer { Conv2D.usesWinograd = saved }
    Conv2D.usesWinograd = true
    expectGradients([Sample.tensor([1, 4, 6, 16], seed: 95), Sample.tensor([3, 3, 16, 16], seed: 96)]) {
      $0[0].conv2d(filter: $0[1])
    }
  }
}


/// 'same' stride-1 convolutions on the direct (and Winograd) kernels over zero-padded copies of
/// the images against im2col + GEMM (the global switches, in the serialized suite): values
/// and every gradient, with and without ReLU, for 1 × k windows (Conv1D), odd and even
/// kernels and sizes, and channel counts below one vector (the input gradient then goes to
/// im2col).
extension ConvolutionStrategyTests {
  @Test(arguments: [
    ConvCase(input: [3, 1, 37, 20], kernel: (1, 5), outputChannels: 24, padding: .same),
    ConvCase(input: [2, 1, 300, 16], kernel: (1, 5), outputChannels: 16, padding: .same),
    ConvCase(input: [2, 8, 10, 32], kernel: (3, 3), outputChannels: 16, padding: .same),
    ConvCase(input: [2, 7, 9, 17], kernel: (3, 3), outputChannels: 9, padding: .same),
    ConvCase(input: [2, 6, 5, 16], kernel: (4, 2), outputChannels: 8, padding: .same),
    ConvCase(input: [2, 5, 6, 3], kernel: (3, 3), outputChannels: 4, padding: .same),
  ])
  func paddedDirectKernelsAgreeWithIm2col(_ c: ConvCase) {
    let saved = (Conv2D.usesDirectKernels, Conv2D.padsForDirectKernels)
    defer { (Conv2D.usesDirectKernels, Conv2D.padsForDirectKernels) = saved }
    let x = Sample.tensor(c.input, seed: 95).variable()
    let w = Sample.tensor([c.kernel.0, c.kernel.1, c.input[3], c.outputChannels], seed: 96).variable()
    let b = Sample.tensor([c.outputChannels], seed: 97).variable()
    let seed = Sample.tensor([c.input[0], c.input[1], c.input[2], c.outputChannels], seed: 98)
    var results: [[Tensor]] = []
    for (direct, pads) in [(true, true), (false, false)] {
      (Conv2D.usesDirectKernels, Conv2D.padsForDirectKernels) = (direct, pads)
      for relu in [true, false] {
        let y = x.conv2d(filter: w, bias: b, relu: relu, padding: .same)
        results.append([y] + y.gradients(of: [x, w, b], seed: seed))
      }
    }
    for (got, want) in zip(results[0] + results[1], results[2] + results[3]) {
      #expect(got.shape == want.shape)
      #expect(got.isClose(to: want, tolerance: 1e-4), "\(c)")
    }
    Conv2D.usesDirectKernels = true
    let naive = naiveConv2d(x, w, strides: (1, 1), padding: .same, dilations: (1, 1))
    #expect(x.conv2d(filter: w, padding: .same).isClose(to: naive, tolerance: 1e-4), "\(c)")
  }
}
