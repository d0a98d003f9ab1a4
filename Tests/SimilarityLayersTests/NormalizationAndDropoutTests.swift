import SimilarityLayers
import Testing

@Suite struct BatchNormalizationTests {
  /// Channel 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25); channel 1 holds 0, 0, 2, 2
  /// (mean 1, variance 1).
  private let input = Tensor(rows: [[1, 0], [2, 0], [3, 2], [4, 2]])

  @Test func trainingUsesBatchStatisticsAndUpdatesTheMovingAverages() throws {
    let layer = BatchNormalization()
    layer.build(inputShape: [nil, 2], seed: 0)
    layer.isTraining = true
    let output = layer(input)
    let scale0 = 1 / (1.25 + 1e-3 as Float).squareRoot()
    let scale1 = 1 / (1 + 1e-3 as Float).squareRoot()
    let expected: [Float] = [
      -1.5 * scale0, -scale1, -0.5 * scale0, -scale1, 0.5 * scale0, scale1, 1.5 * scale0, scale1,
    ]
    #expect(allClose(output.scalars, expected))
    // moving = 0.99 · moving + 0.01 · batch: mean 0 → 0.025 and 0.01, variance 1 → 1.0025 and 1.
    #expect(allClose(try #require(layer.movingMean).value.scalars, [0.025, 0.01]))
    #expect(allClose(try #require(layer.movingVariance).value.scalars, [1.0025, 1]))
    #expect(
      layer.namedParameters.map(\.name) == ["gamma", "beta", "moving_mean", "moving_variance"])
    #expect(layer.trainableParameters.count == 2)
  }

  @Test func inferenceUsesTheMovingStatistics() throws {
    let layer = BatchNormalization(momentum: 0.5, epsilon: 0.01)
    layer.build(inputShape: [nil, 2], seed: 0)
    layer.isTraining = true
    _ = layer(input)
    // moving mean 0.5·0 + 0.5·[2.5, 1] = [1.25, 0.5]; variance 0.5·1 + 0.5·[1.25, 1] = [1.125, 1].
    layer.isTraining = false
    try #require(layer.gamma).value = Tensor(shape: [2], scalars: [2, 1])
    try #require(layer.beta).value = Tensor(shape: [2], scalars: [0, 3])
    let output = layer(Tensor(rows: [[1.25, 1.5]]))
    #expect(allClose(output.scalars, [0, 1 / (1.01 as Float).squareRoot() + 3]))
    // Inference leaves the moving statistics alone.
    #expect(allClose(try #require(layer.movingMean).value.scalars, [1.25, 0.5]))
  }

  @Test func trainingGradientsMatchFiniteDifferences() {
    let layer = BatchNormalization()
    layer.build(inputShape: [nil, 3, 2], seed: 0)
    layer.isTraining = true
    let x = Parameter(randomTensor([4, 3, 2], seed: 8))
    expectGradientsMatchFiniteDifferences(of: layer.trainableParameters + [x]) {
      weightedSum(layer(x.value))
    }
  }
}

@Suite struct DropoutTests {
  @Test func dropoutIsTheIdentityAtInference() {
    let layer = Dropout(rate: 0.5)
    let input = randomTensor([10, 10], seed: 1)
    #expect(layer(input).scalars == input.scalars)
  }

  @Test func trainingZeroesAboutRateAndScalesTheRest() {
    let layer = Dropout(rate: 0.25, seed: 3)
    layer.isTraining = true
    let input = Tensor.ones([100, 100])
    let output = layer(input).scalars
    let dropped = output.filter { $0 == 0 }.count
    #expect(abs(Float(dropped) / 10_000 - 0.25) < 0.02)
    #expect(output.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
    // A fresh layer with the same seed draws the same mask.
    let again = Dropout(rate: 0.25, seed: 3)
    again.isTraining = true
    #expect(again(input).scalars == output)
  }

  @Test func gradientsFlowOnlyThroughKeptElements() {
    let layer = Dropout(rate: 0.5, seed: 4)
    layer.isTraining = true
    let x = Tensor.ones([1, 64]).variable()
    let y = layer(x)
    let gradient = y.sum().gradients(of: [x])[0]
    #expect(gradient.scalars == y.scalars)
  }
}
