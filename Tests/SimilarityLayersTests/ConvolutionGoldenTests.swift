import Foundation
@testable import SimilarityLayers
import Testing

/// The convolution layers of issue #15 against TensorFlow: `Fixtures/conv_layers.json`, written
/// by `scripts/golden/conv_layers.py` with tf-keras on the same weights and inputs.
@Suite struct ConvolutionGoldenTests {
  struct Weight: Decodable, Sendable {
    var name: String
    var shape: [Int]
    var values: [Float]
  }

  struct Case: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var layer: LayerConfiguration
    var inputShape: [Int]
    var input: [Float]
    var weights: [Weight]
    var outputShape: [Int]
    var output: [Float]
    var testDescription: String { name }
  }

  struct Document: Decodable {
    var cases: [Case]
  }

  static let cases: [Case] = {
    (try? LayerFixtures.decode(Document.self, from: "conv_layers.json").cases) ?? []
  }()

  /// The fixture's layer, built for its input and holding its weights.
  static func layer(_ c: Case) throws -> any Layer {
    let layer = try c.layer.makeLayer()
    layer.build(inputShape: [nil] + c.inputShape.dropFirst().map { Optional($0) }, seed: 1)
    let parameters = Dictionary(uniqueKeysWithValues: layer.namedParameters.map { ($0.name, $0.parameter) })
    #expect(parameters.count == c.weights.count, "\(c.name): \(parameters.keys.sorted())")
    for weight in c.weights {
      let parameter = try #require(parameters[weight.name], "\(c.name): no parameter \(weight.name)")
      #expect(parameter.value.shape == weight.shape, "\(c.name): \(weight.name)")
      parameter.value = Tensor(shape: weight.shape, scalars: weight.values)
    }
    return layer
  }

  @Test func theFixtureHasEveryCase() throws {
    let document = try LayerFixtures.decode(Document.self, from: "conv_layers.json")
    #expect(document.cases.count >= 18)
    let types = Set(document.cases.map(\.layer.typeName))
    #expect(
      types == [
        "Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv2D",
        "SeparableConv2D",
      ])
  }

  @Test(arguments: cases)
  func outputsMatchTensorFlow(_ c: Case) throws {
    let layer = try Self.layer(c)
    let output = layer(Tensor(shape: c.inputShape, scalars: c.input))
    #expect(output.shape == c.outputShape)
    let inputShape: LayerShape = [nil] + c.inputShape.dropFirst().map { Optional($0) }
    #expect(layer.outputShape(forInputShape: inputShape) == [nil] + c.outputShape.dropFirst().map { Optional($0) })
    let worst = zip(output.scalars, c.output).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= 1e-4, "\(c.name): worst relative difference \(worst)")
  }

  /// Keras' parameter counts (the fixture's weights) from the layer and from the plan alone.
  @Test(arguments: cases)
  func parameterCountsAreKeras(_ c: Case) throws {
    let layer = try Self.layer(c)
    let keras = c.weights.reduce(0) { $0 + $1.shape.reduce(1, *) }
    #expect(layer.parameterCount == keras)
    let configuration = Sequential.Configuration(
      name: "model", seed: 1,
      layers: [.input(Input.Configuration(name: "input", shape: Array(c.inputShape.dropFirst()))), c.layer])
    let plan = try ArchitecturePlan(configuration)
    #expect(plan.parameterCount == keras)
    #expect(plan.parameters.map(\.name) == c.weights.map { "\(c.name).\($0.name)" })
    #expect(plan.outputShape == Array(c.outputShape.dropFirst()))
  }

  /// Architecture JSON save → load (configuration, then the weights by name) gives the same
  /// outputs, and the configuration survives JSON exactly.
  @Test(arguments: cases)
  func architectureJSONRoundTrips(_ c: Case) throws {
    let layer = try Self.layer(c)
    let configuration = try #require(layer.configuration)
    #expect(configuration == c.layer)
    let json = try JSONEncoder().encode(configuration)
    let decoded = try JSONDecoder().decode(LayerConfiguration.self, from: json)
    #expect(decoded == configuration)
    let reloaded = try decoded.makeLayer()
    reloaded.build(inputShape: [nil] + c.inputShape.dropFirst().map { Optional($0) }, seed: 9)
    for ((name, parameter), (otherName, other)) in zip(layer.namedParameters, reloaded.namedParameters) {
      #expect(name == otherName)
      other.value = parameter.value
    }
    let input = Tensor(shape: c.inputShape, scalars: c.input)
    #expect(reloaded(input).scalars == layer(input).scalars)
  }
}
