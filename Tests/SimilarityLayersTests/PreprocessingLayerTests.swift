import Foundation
import Testing

@testable import SimilarityLayers

/// Keras' `Normalization` layer and `Dropout`'s `noise_shape`, against hand-computed values.
@Suite struct PreprocessingLayerTests {
  @Test func normalizationSubtractsMeanAndDividesByStandardDeviation() {
    let layer = Normalization(mean: [1, 2], variance: [4, 0])
    var generator = SplitMix64(seed: 0)
    layer.build(inputShape: [nil, 2], using: &generator)
    #expect(layer.parameters.map(\.shape) == [[2], [2], []])
    #expect(layer.parameters.allSatisfy { !$0.isTrainable })
    let output = layer(Tensor(shape: [2, 2], scalars: [3, 2, -1, 2.5]))
    // (3 − 1) / 2, (2 − 2) / 1e-7, (−1 − 1) / 2, (2.5 − 2) / 1e-7 (variance 0: Keras' floor).
    #expect(output.scalars == [1, 0, -1, 0.5 / 1e-7])
  }

  @Test func normalizationDefaultsAreIdentityAndRoundTrip() throws {
    let layer = Normalization(name: "norm")
    var generator = SplitMix64(seed: 0)
    layer.build(inputShape: [nil, 4, 4, 3], using: &generator)
    let input = randomTensor([1, 4, 4, 3], seed: 1)
    #expect(layer(input).scalars == input.scalars)
    let configuration = try #require(layer.configuration)
    let json = try JSONEncoder().encode(configuration)
    let decoded = try JSONDecoder().decode(LayerConfiguration.self, from: json)
    #expect(decoded == configuration)
    #expect(decoded.typeName == "Normalization")
  }

  @Test func normalizationStatisticsOfTheWrongLengthAreRefused() throws {
    let json = #"{"type": "Normalization", "config": {"name": "n", "mean": [0, 1], "variance": [1]}}"#
    let configuration = try JSONDecoder().decode(LayerConfiguration.self, from: Data(json.utf8))
    #expect(throws: ArchitectureError.self) { try configuration.makeLayer() }
  }

  /// `noiseShape: [nil, 1, 1]` keeps or drops each example whole, scaled by 1 / (1 − rate).
  @Test func dropoutNoiseShapeDropsWholeExamples() {
    let layer = Dropout(rate: 0.5, noiseShape: [nil, 1, 1], seed: 7)
    layer.isTraining = true
    let output = layer(Tensor.ones([64, 3, 4]))
    var kept = 0
    for example in 0..<64 {
      let values = Set(output.scalars[example * 12..<(example + 1) * 12])
      #expect(values == [0] || values == [2], "example \(example): \(values)")
      if values == [2] { kept += 1 }
    }
    #expect(kept > 10 && kept < 54)
    layer.isTraining = false
    #expect(layer(Tensor.ones([2, 3, 4])).scalars.allSatisfy { $0 == 1 })
  }

  @Test func dropoutNoiseShapeThatCannotBroadcastIsRefused() throws {
    let json = #"{"type": "Sequential", "config": {"name": "s", "seed": 0, "layers": [{"type": "InputLayer", "config": {"name": "i", "shape": [4, 3]}}, {"type": "Dropout", "config": {"name": "d", "rate": 0.1, "seed": 0, "noiseShape": [null, 2, 1]}}]}}"#
    let configuration = try JSONDecoder().decode(LayerConfiguration.self, from: Data(json.utf8))
    #expect(throws: ArchitectureError.self) { try configuration.makeLayer() }
  }
}
