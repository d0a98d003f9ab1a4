import SimilarityLayers
import Testing

@Suite struct ConvolutionLayerTests {
  @Test func conv2DComputesAValidCrossCorrelationPlusBias() throws {
    let conv = Conv2D(filters: 1, kernelSize: (2, 2), activation: .linear)
    conv.build(inputShape: [nil, 3, 3, 1], seed: 1)
    try #require(conv.kernel).value = Tensor.ones([2, 2, 1, 1])
    try #require(conv.bias).value = Tensor(shape: [1], scalars: [0.5])
    // Input 1…9 in a 3×3 grid; each 2×2 window sums e.g. 1 + 2 + 4 + 5 = 12.
    let input = Tensor(shape: [1, 3, 3, 1], scalars: (1...9).map(Float.init))
    let output = conv(input)
    #expect(output.shape == [1, 2, 2, 1])
    #expect(output.scalars == [12.5, 16.5, 24.5, 28.5])
  }

  @Test func conv2DOutputShapesFollowKeras() {
    let same = Conv2D(filters: 4, kernelSize: (3, 3), strides: (2, 2), padding: .same)
    #expect(same.outputShape(forInputShape: [nil, 9, 9, 2]) == [nil, 5, 5, 4])
    let dilated = Conv2D(filters: 4, kernelSize: (3, 3), dilationRate: (2, 2))
    // Effective window 5: 9 − 5 + 1 = 5.
    #expect(dilated.outputShape(forInputShape: [nil, 9, 9, 2]) == [nil, 5, 5, 4])
    dilated.build(inputShape: [nil, 9, 9, 2], seed: 2)
    #expect(dilated(randomTensor([2, 9, 9, 2], seed: 3)).shape == [2, 5, 5, 4])
    #expect(dilated.kernel?.shape == [3, 3, 2, 4])
    #expect(dilated.parameterCount == 3 * 3 * 2 * 4 + 4)
  }

  @Test func conv2DKernelUsesGlorotLimitWithConvolutionFans() throws {
    let conv = Conv2D(filters: 64, kernelSize: (3, 3))
    conv.build(inputShape: [nil, 8, 8, 32], seed: 4)
    // fanIn = 9·32 = 288, fanOut = 9·64 = 576: limit √(6/864).
    let limit = (6 / 864 as Float).squareRoot()
    let kernel = try #require(conv.kernel).value.scalars
    #expect(kernel.allSatisfy { abs($0) <= limit })
    #expect(kernel.map(abs).max() ?? 0 > 0.95 * limit)
    #expect(try #require(conv.bias).value.scalars.allSatisfy { $0 == 0 })
  }

  @Test(arguments: [Padding.valid, .same])
  func conv2DGradientsMatchFiniteDifferences(padding: Padding) {
    let conv = Conv2D(
      filters: 2, kernelSize: (2, 3), strides: (2, 1), padding: padding, activation: .tanh)
    conv.build(inputShape: [nil, 5, 4, 2], seed: 5)
    let input = Parameter(randomTensor([2, 5, 4, 2], seed: 6))
    expectGradientsMatchFiniteDifferences(of: conv.parameters + [input]) {
      weightedSum(conv(input.value))
    }
  }

  @Test func poolingLayersDefaultToStridesEqualToThePoolSize() {
    let input = Tensor(shape: [1, 4, 4, 1], scalars: (0..<16).map(Float.init))
    let maxPool = MaxPooling2D()
    #expect(maxPool.outputShape(forInputShape: [nil, 4, 4, 1]) == [nil, 2, 2, 1])
    #expect(maxPool(input).scalars == [5, 7, 13, 15])
    let averagePool = AveragePooling2D()
    #expect(averagePool(input).scalars == [2.5, 4.5, 10.5, 12.5])
    let overlapping = MaxPooling2D(poolSize: (3, 3), strides: (1, 1), padding: .same)
    #expect(overlapping.outputShape(forInputShape: [nil, 5, 7, 3]) == [nil, 5, 7, 3])
    #expect(
      MaxPooling2D(poolSize: (2, 2)).outputShape(forInputShape: [nil, 5, 5, 3]) == [nil, 2, 2, 3])
  }

  @Test func poolingGradientsMatchFiniteDifferences() {
    // Distinct values keep each window's maximum away from ties.
    let scalars = (0..<48).map { Float(($0 * 37) % 48) / 10 }
    let input = Parameter(Tensor(shape: [1, 4, 4, 3], scalars: scalars))
    let maxPool = MaxPooling2D(poolSize: (2, 2), strides: (1, 1))
    expectGradientsMatchFiniteDifferences(of: [input], step: 1e-3) {
      weightedSum(maxPool(input.value))
    }
    let averagePool = AveragePooling2D(poolSize: (3, 3), strides: (2, 2), padding: .same)
    expectGradientsMatchFiniteDifferences(of: [input]) { weightedSum(averagePool(input.value)) }
  }
}
