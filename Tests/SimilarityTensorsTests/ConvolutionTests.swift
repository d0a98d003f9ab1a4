import Testing

@testable import SimilarityTensors

/// The plain 7-loop convolution (NHWC, HWIO, TF padding), accumulating in Double.
func naiveConv2d(
  _ x: Tensor, _ w: Tensor, strides: (Int, Int), padding: Padding, dilations: (Int, Int)
) -> Tensor {
  let g = Conv2DGeometry(
    input: x.shape, kernel: (w.shape[0], w.shape[1]), strides: strides, dilations: dilations,
    padding: padding)
  let cout = w.shape[3]
  var out = [Float](repeating: 0, count: g.batch * g.outputHeight * g.outputWidth * cout)
  for n in 0..<g.batch {
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for o in 0..<cout {
          var sum = 0.0
          for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
              let ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight
              let iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth
              guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
              for c in 0..<g.channels {
                sum += Double(x[n, ih, iw, c]) * Double(w[kh, kw, c, o])
              }
            }
          }
          out[((n * g.outputHeight + oh) * g.outputWidth + ow) * cout + o] = Float(sum)
        }
      }
    }
  }
  return Tensor(shape: [g.batch, g.outputHeight, g.outputWidth, cout], scalars: out)
}

/// Naive pooling over valid window elements.
func naivePool(_ x: Tensor, size: (Int, Int), strides: (Int, Int), padding: Padding, max: Bool) -> Tensor {
  let g = Conv2DGeometry(input: x.shape, kernel: size, strides: strides, padding: padding)
  var out: [Float] = []
  for n in 0..<g.batch {
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for c in 0..<g.channels {
          var values: [Float] = []
          for kh in 0..<size.0 {
            for kw in 0..<size.1 {
              let ih = oh * strides.0 - g.padTop + kh
              let iw = ow * strides.1 - g.padLeft + kw
              if ih >= 0, ih < g.height, iw >= 0, iw < g.width { values.append(x[n, ih, iw, c]) }
            }
          }
          out.append(max ? values.max()! : values.reduce(0, +) / Float(values.count))
        }
      }
    }
  }
  return Tensor(shape: [g.batch, g.outputHeight, g.outputWidth, g.channels], scalars: out)
}

struct ConvCase: Sendable, CustomStringConvertible {
  var input: [Int]
  var kernel: (Int, Int)
  var outputChannels: Int
  var strides: (Int, Int) = (1, 1)
  var padding: Padding = .valid
  var dilations: (Int, Int) = (1, 1)
  var description: String {
    "\(input) k\(kernel) cout \(outputChannels) s\(strides) \(padding) d\(dilations)"
  }
}

@Suite struct ConvolutionTests {
  static let cases: [ConvCase] = [
    ConvCase(input: [2, 5, 6, 3], kernel: (3, 3), outputChannels: 4),
    ConvCase(input: [2, 5, 6, 3], kernel: (3, 3), outputChannels: 4, padding: .same),
    ConvCase(input: [1, 7, 6, 2], kernel: (3, 2), outputChannels: 3, strides: (2, 2), padding: .same),
    ConvCase(input: [2, 7, 7, 2], kernel: (2, 2), outputChannels: 2, strides: (2, 3)),
    ConvCase(input: [1, 7, 8, 2], kernel: (3, 3), outputChannels: 2, dilations: (2, 2)),
    ConvCase(input: [1, 6, 5, 2], kernel: (2, 3), outputChannels: 2, padding: .same, dilations: (2, 1)),
    ConvCase(input: [2, 4, 4, 3], kernel: (1, 1), outputChannels: 5),
    ConvCase(input: [1, 5, 5, 1], kernel: (5, 5), outputChannels: 2),
    ConvCase(input: [3, 4, 3, 2], kernel: (4, 4), outputChannels: 1, strides: (3, 2), padding: .same),
  ]

  @Test(arguments: cases)
  func conv2dMatchesTheNaiveLoopAndItsGradients(_ c: ConvCase) {
    let x = Sample.tensor(c.input, seed: 61)
    let w = Sample.tensor([c.kernel.0, c.kernel.1, c.input[3], c.outputChannels], seed: 62)
    let y = x.conv2d(filter: w, strides: c.strides, padding: c.padding, dilations: c.dilations)
    let expected = naiveConv2d(x, w, strides: c.strides, padding: c.padding, dilations: c.dilations)
    #expect(y.shape == expected.shape)
    #expect(y.isClose(to: expected, tolerance: 1e-5))
    expectGradients([x, w]) {
      $0[0].conv2d(filter: $0[1], strides: c.strides, padding: c.padding, dilations: c.dilations)
    }
  }

  @Test func sameConvolutionKeepsTheSizeAndPadsBottomRight() {
    // 4×4 input, 2×2 kernel, stride 1, same: total padding 1, all of it at the bottom/right.
    let x = Tensor(shape: [1, 4, 4, 1], scalars: (0..<16).map(Float.init))
    let w = Tensor(shape: [2, 2, 1, 1], scalars: [1, 0, 0, 0])
    let y = x.conv2d(filter: w, padding: .same)
    #expect(y.shape == [1, 4, 4, 1])
    #expect(y.scalars == x.scalars)  // the top-left tap sees the pixel itself
  }


  static let poolCases: [ConvCase] = [
    ConvCase(input: [2, 4, 4, 3], kernel: (2, 2), outputChannels: 0, strides: (2, 2)),
    ConvCase(input: [1, 5, 5, 2], kernel: (2, 2), outputChannels: 0, strides: (2, 2)),
    ConvCase(input: [1, 5, 5, 2], kernel: (2, 2), outputChannels: 0, strides: (2, 2), padding: .same),
    ConvCase(input: [2, 5, 4, 1], kernel: (3, 3), outputChannels: 0, strides: (1, 1), padding: .same),
    ConvCase(input: [1, 6, 7, 2], kernel: (3, 2), outputChannels: 0, strides: (2, 1)),
  ]

  @Test(arguments: poolCases)
  func poolingMatchesTheNaiveLoopAndItsGradients(_ c: ConvCase) {
    let x = Sample.distinct(c.input, seed: 65, spacing: 0.07)  // no ties for max
    let maxPooled = x.maxPool2d(poolSize: c.kernel, strides: c.strides, padding: c.padding)
    #expect(maxPooled.scalars == naivePool(x, size: c.kernel, strides: c.strides, padding: c.padding, max: true).scalars)
    let averaged = x.averagePool2d(poolSize: c.kernel, strides: c.strides, padding: c.padding)
    #expect(averaged.isClose(to: naivePool(x, size: c.kernel, strides: c.strides, padding: c.padding, max: false)))
    expectGradients([x]) { $0[0].maxPool2d(poolSize: c.kernel, strides: c.strides, padding: c.padding) }
    expectGradients([x]) { $0[0].averagePool2d(poolSize: c.kernel, strides: c.strides, padding: c.padding) }
  }
}

/// Tests that change the convolution's global tuning knobs (serialized among themselves; the
/// knobs only change speed for anyone else).
@Suite(.serialized) struct ConvolutionStrategyTests {
  @Test(arguments: [(1, true), (1, false), (1 << 20, false), (1 << 20, true)])
  func everyChunkingAndThreadingStrategyGivesTheSameResult(chunkBytes: Int, splits: Bool) {
    // A tiny chunk size forces one image per chunk (and the accumulation of dW across chunks
    // and parts).
    // (im2col + GEMM: the direct kernels have no chunks.)
    let saved = (Conv2D.chunkBytes, Conv2D.splitsBatchOverThreads, Conv2D.usesDirectKernels)
    (Conv2D.chunkBytes, Conv2D.splitsBatchOverThreads, Conv2D.usesDirectKernels) = (chunkBytes, splits, false)
    defer { (Conv2D.chunkBytes, Conv2D.splitsBatchOverThreads, Conv2D.usesDirectKernels) = saved }
    let x = Sample.tensor([5, 5, 5, 2], seed: 63)
    let w = Sample.tensor([3, 3, 2, 2], seed: 64)
    #expect(x.conv2d(filter: w).isClose(to: naiveConv2d(x, w, strides: (1, 1), padding: .valid, dilations: (1, 1))))
    expectGradients([x, w]) { $0[0].conv2d(filter: $0[1]) }
    expectGradients([x, Sample.tensor([1, 1, 2, 3], seed: 65)]) { $0[0].conv2d(filter: $0[1]) }
    // Only one of the two gradients requested (the other operand is a constant).
    expectGradients([x]) { $0[0].conv2d(filter: w) }
    expectGradients([w]) { x.conv2d(filter: $0[0]) }
  }
}

@Suite struct NeuralNetworkOpTests {
  @Test func dropoutZeroesAboutRateAndScalesTheRest() {
    var generator = SplitMix64(seed: 71)
    let x = Tensor.ones([10_000])
    let y = x.dropout(rate: 0.25, using: &generator)
    let kept = y.scalars.filter { $0 != 0 }
    #expect(Swift.abs(Float(kept.count) / 10_000 - 0.75) < 0.02)
    #expect(kept.allSatisfy { Swift.abs($0 - 4.0 / 3.0) < 1e-6 })
    #expect(x.dropout(rate: 0, using: &generator).scalars == x.scalars)
    // The same seed gives the same mask, so the gradient check sees a fixed function.
    let z = Sample.tensor([3, 4], seed: 72)
    expectGradients([z]) {
      var g = SplitMix64(seed: 73)
      return $0[0].dropout(rate: 0.5, using: &g)
    }
  }

  @Test func batchNormalization() {
    let x = Tensor(rows: [[1, 10], [3, 30]])
    let y = x.batchNormalized(
      mean: Tensor(shape: [2], scalars: [2, 20]), variance: Tensor(shape: [2], scalars: [1, 100]),
      scale: Tensor(shape: [2], scalars: [1, 2]), offset: Tensor(shape: [2], scalars: [0, 1]),
      epsilon: 0)
    #expect(y.scalars == [-1, -1, 1, 3])
    let input = Sample.tensor([4, 3], seed: 74)
    let mean = Sample.tensor([3], seed: 75)
    let variance = Sample.tensor([3], seed: 76, range: 0.5...2)
    let scale = Sample.tensor([3], seed: 77)
    let offset = Sample.tensor([3], seed: 78)
    expectGradients([input, mean, variance, scale, offset]) {
      $0[0].batchNormalized(mean: $0[1], variance: $0[2], scale: $0[3], offset: $0[4])
    }
  }

  @Test func losses() {
    let logits = Tensor(rows: [[1, 2, 3], [0, 0, 0]])
    // -log softmax: row 0 label 2 → 0.40760596; row 1 label 0 → ln 3.
    let loss = softmaxCrossEntropy(logits: logits, labels: [2, 0])
    #expect(Swift.abs(loss.item - (0.40760596 + 1.0986123) / 2) < 1e-6)
    let stable = softmaxCrossEntropy(logits: Tensor(rows: [[1000, 0]]), labels: [1])
    #expect(Swift.abs(stable.item - 1000) < 1e-3)
    let x = Sample.tensor([4, 5], seed: 79)
    expectGradients([x]) { softmaxCrossEntropy(logits: $0[0], labels: [0, 4, 2, 2]) }
    let target = Sample.tensor([4, 5], seed: 80)
    #expect(Swift.abs(x.meanSquaredError(target).item - ((x - target).squared().sum().item / 20)) < 1e-6)
    expectGradients([x, target]) { $0[0].meanSquaredError($0[1]) }
  }
}

@Suite struct MaxPoolingKernelTests {
  /// 20 channels (one full and one partial 16-lane block), ties and a NaN: the first element
  /// of the window wins a tie, NaN never displaces a number after the first element, and the
  /// gradient goes to the winner only — against a naive loop.
  @Test func tiesNaNAndPartialChannelBlocksMatchTheNaiveLoop() {
    let (h, w, c) = (4, 4, 20)
    var values = (0..<(h * w * c)).map { Float(($0 * 7919) % 5) }  // many ties
    values[c + 3] = .nan  // second pixel of the first window, channel 3
    let x = Tensor(shape: [1, h, w, c], scalars: values)
    let y = x.maxPool2d(poolSize: (2, 2), strides: (2, 2))
    for oh in 0..<2 {
      for ow in 0..<2 {
        for ch in 0..<c {
          var best = -Float.infinity
          var winner = -1
          for dh in 0..<2 {
            for dw in 0..<2 {
              let index = ((oh * 2 + dh) * w + ow * 2 + dw) * c + ch
              if winner < 0 || values[index] > best { (best, winner) = (values[index], index) }
            }
          }
          #expect(y[0, oh, ow, ch] == best, "(\(oh), \(ow), \(ch))")
        }
      }
    }
    let variable = x.variable()
    let gradient = variable.maxPool2d(poolSize: (2, 2), strides: (2, 2)).sum().gradients(of: [variable])[0]
    #expect(gradient.scalars.reduce(0, +) == Float(2 * 2 * c))
    #expect(gradient.scalars[c + 3] == 0)
  }
}
