import Foundation
import SimilarityLayers
import Testing

@Suite struct GeneralizedMeanPoolingTests {
  /// TF Similarity's fixture: a (1, 3, 3, 2) image whose rows are [0,5], [5,10], [10,15].
  static let image = Tensor(
    shape: [1, 3, 3, 2],
    scalars: (0..<3).flatMap { _ in [0, 5, 5, 10, 10, 15] as [Float] })
  /// TF Similarity's 1-D fixture: [[1,2,3],[4,5,6],[7,8,9]] as (3, 3, 1).
  static let sequence = Tensor(shape: [3, 3, 1], scalars: (1...9).map(Float.init))

  static let goldenValues: [(p: Float, expected: [Float])] = [
    (1, [5, 10]), (.infinity, [10, 15]), (-.infinity, [0, 5]), (0, [3.0412402, 8.041241]),
  ]

  @Test(arguments: goldenValues)
  func twoDimensionalGoldenValues(p: Float, expected: [Float]) {
    let output = GeneralizedMeanPooling2D(p: p)(Self.image)
    #expect(output.shape == [1, 2])
    #expect(allClose(output.scalars, expected, tolerance: 1e-5), "\(output.scalars)")
  }

  @Test func oneDimensionalGoldenValues() {
    let mean = GeneralizedMeanPooling1D(p: 1)(Self.sequence)
    #expect(mean.shape == [3, 1])
    #expect(allClose(mean.scalars, [2, 5, 8]))
    let geometric = GeneralizedMeanPooling1D(p: 0)(Self.sequence)
    #expect(allClose(geometric.scalars, [1.8171206, 4.8171206, 7.8171206], tolerance: 1e-5))
  }

  @Test func defaultPowerIsThreeWithTheShiftToOne() {
    // Channel 0 holds {0, 5, 10} three times: shifted {1, 6, 11}, cube mean (1+216+1331)/3.
    let output = GeneralizedMeanPooling2D()(Self.image)
    let expected = Float(Foundation.pow(1548.0 / 3.0, 1.0 / 3.0)) - 1
    #expect(abs(output.scalars[0] - expected) < 1e-4)
    #expect(abs(output.scalars[1] - (expected + 5)) < 1e-4)
  }

  @Test func keepsDimensionsWhenAsked() {
    let two = GeneralizedMeanPooling2D(keepsDimensions: true)
    #expect(two(Self.image).shape == [1, 1, 1, 2])
    #expect(two.outputShape(forInputShape: [nil, 3, 3, 2]) == [nil, 1, 1, 2])
    let one = GeneralizedMeanPooling1D(keepsDimensions: true)
    #expect(one(Self.sequence).shape == [3, 1, 1])
    #expect(GeneralizedMeanPooling1D().outputShape(forInputShape: [nil, 7, 4]) == [nil, 4])
  }

  @Test(arguments: [Float(3), 1, 0, -2, .infinity, -.infinity])
  func gradientsMatchFiniteDifferences(p: Float) {
    let image = Parameter(randomTensor([2, 3, 2, 3], seed: 4))
    let layer2D = GeneralizedMeanPooling2D(p: p)
    expectGradientsMatchFiniteDifferences(of: [image], step: 1e-3) {
      weightedSum(layer2D(image.value))
    }
    let steps = Parameter(randomTensor([2, 5, 3], seed: 5))
    let layer1D = GeneralizedMeanPooling1D(p: p, keepsDimensions: true)
    expectGradientsMatchFiniteDifferences(of: [steps], step: 1e-3) {
      weightedSum(layer1D(steps.value))
    }
  }

  @Test(arguments: [Float(3), .infinity, -.infinity])
  func configurationSurvivesJSON(p: Float) throws {
    let layers: [any Layer] = [
      GeneralizedMeanPooling2D(p: p, keepsDimensions: true, name: "gem"),
      GeneralizedMeanPooling1D(p: p, name: "gem1"),
    ]
    for layer in layers {
      let configuration = try #require(layer.configuration)
      let json = try JSONEncoder().encode(configuration)
      let decoded = try JSONDecoder().decode(LayerConfiguration.self, from: json)
      #expect(decoded == configuration)
      let rebuilt = try decoded.makeLayer()
      #expect(rebuilt.typeName == layer.typeName && rebuilt.name == layer.name)
      let input = layer is GeneralizedMeanPooling2D ? Self.image : Self.image.reshaped([1, 9, 2])
      #expect(rebuilt(input).scalars == layer(input).scalars)
    }
    #expect(LayerConfiguration.knownTypeNames.contains("GeneralizedMeanPooling2D"))
  }

  @Test func infinitePowerIsWrittenAsAString() throws {
    let json = try JSONEncoder().encode(GeneralizedMeanPooling2D(p: -.infinity).configuration)
    #expect(String(decoding: json, as: UTF8.self).contains("\"-inf\""))
  }
}
