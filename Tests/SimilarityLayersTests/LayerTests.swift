import Testing

@testable import SimilarityLayers

@Suite struct LayerTests {
  @Test func denseComputesTheAffineMapThenTheActivation() throws {
    let dense = Dense(units: 2, activation: .relu)
    dense.build(inputShape: [nil, 3], seed: 1)
    let kernel = try #require(dense.kernel)
    let bias = try #require(dense.bias)
    kernel.value = Tensor(rows: [[1, -1], [2, 0], [0, 1]])
    bias.value = Tensor(shape: [2], scalars: [0.5, -4])
    // [1, 1, 1] → [3 + 0.5, 0 − 4] = [3.5, −4] → relu [3.5, 0].
    let output = dense(Tensor(rows: [[1, 1, 1]]))
    #expect(output.shape == [1, 2])
    #expect(output.scalars == [3.5, 0])
  }

  @Test func denseAppliesAlongTheLastAxisOfHigherRankInputs() {
    let dense = Dense(units: 4)
    dense.build(inputShape: [nil, 5, 3], seed: 2)
    #expect(dense.outputShape(forInputShape: [nil, 5, 3]) == [nil, 5, 4])
    #expect(dense(randomTensor([2, 5, 3], seed: 1)).shape == [2, 5, 4])
  }

  @Test func denseGradientsMatchFiniteDifferences() throws {
    let dense = Dense(units: 3, activation: .tanh)
    dense.build(inputShape: [nil, 4], seed: 3)
    let input = Parameter(randomTensor([2, 4], seed: 4))
    expectGradientsMatchFiniteDifferences(of: dense.parameters + [input]) {
      weightedSum(dense(input.value))
    }
  }

  @Test func glorotUniformUsesKerasLimitAndConvolutionFans() throws {
    // Dense [784, 128]: limit √(6 / (784 + 128)).
    let glorot = try #require(Initializer.glorotUniform.scale(forShape: [784, 128]))
    #expect(abs(glorot - (6 / 912 as Float).squareRoot()) < 1e-7)
    // Conv [3, 3, 32, 64]: fanIn = 9·32 = 288, fanOut = 9·64 = 576.
    let fans = Initializer.fans(of: [3, 3, 32, 64])
    #expect(fans.fanIn == 288 && fans.fanOut == 576)
    let he = try #require(Initializer.heUniform.scale(forShape: [3, 3, 32, 64]))
    #expect(abs(he - (6 / 288 as Float).squareRoot()) < 1e-7)
    let lecun = try #require(Initializer.lecunNormal.scale(forShape: [10, 5]))
    #expect(abs(lecun - (0.1 as Float).squareRoot()) < 1e-7)
    let fanOut = try #require(Initializer.heNormalFanOut.scale(forShape: [3, 3, 32, 1]))
    #expect(abs(fanOut - (2 / 9 as Float).squareRoot()) < 1e-7)
  }

  @Test(arguments: Initializer.allCases)
  func initializersStayInRangeAndRepeatForASeed(initializer: Initializer) throws {
    var first = SplitMix64(seed: 11)
    var second = SplitMix64(seed: 11)
    let a = initializer.tensor(shape: [40, 30], using: &first)
    let b = initializer.tensor(shape: [40, 30], using: &second)
    #expect(a.scalars == b.scalars)
    switch initializer {
    case .zeros: #expect(a.scalars.allSatisfy { $0 == 0 })
    case .ones: #expect(a.scalars.allSatisfy { $0 == 1 })
    case .glorotUniform, .heUniform, .lecunUniform:
      let limit = try #require(initializer.scale(forShape: [40, 30]))
      #expect(a.scalars.allSatisfy { abs($0) <= limit })
      // Uniform on [−a, a] has variance a²/3.
      let variance = a.scalars.reduce(0) { $0 + $1 * $1 } / Float(a.count)
      #expect(abs(variance - limit * limit / 3) < 0.15 * limit * limit / 3)
    case .glorotNormal, .heNormal, .lecunNormal, .heNormalFanOut:
      let sigma = try #require(initializer.scale(forShape: [40, 30]))
      // Truncated at 2σ of the widened normal, and variance σ² by construction.
      #expect(a.scalars.allSatisfy { abs($0) <= 2 * sigma / 0.8796 + 1e-6 })
      let variance = a.scalars.reduce(0) { $0 + $1 * $1 } / Float(a.count)
      #expect(abs(variance - sigma * sigma) < 0.15 * sigma * sigma)
    }
  }

  @Test func flattenKeepsRowMajorOrder() {
    let input = Tensor(shape: [2, 2, 3], scalars: (0..<12).map(Float.init))
    let output = Flatten()(input)
    #expect(output.shape == [2, 6])
    #expect(output.scalars == input.scalars)
    #expect(Flatten().outputShape(forInputShape: [nil, 7, 7, 64]) == [nil, 3136])
  }

  @Test func shapeAndScalingLayerGradientsMatchFiniteDifferences() {
    let input = Parameter(randomTensor([2, 3, 2], seed: 12))
    let layers: [any Layer] = [
      Flatten(), Rescaling(scale: 1.5, offset: -0.5), Lambda(function: "cube") { $0 * $0 * $0 },
    ]
    for layer in layers {
      expectGradientsMatchFiniteDifferences(of: [input]) { weightedSum(layer(input.value)) }
    }
  }

  @Test func rescalingScalesThenOffsets() {
    let layer = Rescaling(scale: 0.5, offset: 1)
    #expect(layer(Tensor(shape: [1, 3], scalars: [0, 2, -4])).scalars == [1, 2, -1])
  }

  @Test(arguments: [
    Activation.linear, .relu, .sigmoid, .tanh, .softmax, .gelu(), .gelu(approximate: true),
    .leakyRelu(alpha: 0.1),
  ])
  func activationGradientsMatchFiniteDifferences(activation: Activation) {
    let layer = ActivationLayer(activation)
    // Values away from 0 so relu's kink is not straddled by the finite difference.
    let input = Parameter(Tensor(shape: [2, 3], scalars: [-1.3, 0.4, 2.1, 0.7, -0.2, -2.5]))
    expectGradientsMatchFiniteDifferences(of: [input], step: 1e-2) {
      weightedSum(layer(input.value))
    }
  }

  @Test func activationsMatchTheirDefinitions() {
    let x = Tensor(shape: [1, 3], scalars: [-2, 0, 1])
    #expect(
      allClose(Activation.sigmoid(x).scalars, [1 / (1 + 7.389056), 0.5, 1 / (1 + 0.36787944)]))
    #expect(Activation.leakyRelu(alpha: 0.1)(x).scalars == [-0.2, 0, 1])
    let softmax = Activation.softmax(x).scalars
    #expect(abs(softmax.reduce(0, +) - 1) < 1e-6)
    // Exact GELU(1) = Φ(1) = 0.8413447.
    #expect(abs(Activation.gelu()(x).scalars[2] - 0.8413447) < 1e-5)
  }

  @Test func l2NormalizationGivesUnitRowsAndCorrectGradients() {
    let layer = L2Normalization()
    let output = layer(Tensor(rows: [[3, 4], [0, 2]]))
    #expect(allClose(output.scalars, [0.6, 0.8, 0, 1]))
    let input = Parameter(randomTensor([3, 4], seed: 5))
    expectGradientsMatchFiniteDifferences(of: [input]) { weightedSum(layer(input.value)) }
  }

  @Test func metricEmbeddingIsDenseThenL2Normalization() {
    let embedding = MetricEmbedding(units: 3)
    embedding.build(inputShape: [nil, 5], seed: 6)
    let input = randomTensor([4, 5], seed: 7)
    let expected = embedding.dense(input).l2Normalized(alongAxis: 1)
    #expect(embedding(input).isClose(to: expected))
    #expect(embedding.namedParameters.map(\.name) == ["kernel", "bias"])
    let parameter = Parameter(input)
    expectGradientsMatchFiniteDifferences(of: embedding.parameters + [parameter]) {
      weightedSum(embedding(parameter.value))
    }
  }

  @Test func lambdaInfersItsOutputShapeByRunningTheClosure() {
    let layer = Lambda(function: "firstTwo") { $0.slicing(0..<2, alongAxis: 1) }
    #expect(layer.outputShape(forInputShape: [nil, 5]) == [nil, 2])
    #expect(layer(Tensor(rows: [[1, 2, 3]])).scalars == [1, 2])
  }

  @Test func inputChecksTheExampleShape() {
    let input = Input(shape: [28, 28, 1])
    #expect(input.batchShape == [nil, 28, 28, 1])
    #expect(input(Tensor.zeros([2, 28, 28, 1])).shape == [2, 28, 28, 1])
  }
}
