import Foundation
import Testing

@testable import SimilarityLayers

/// The single-input layers of issue 15 against tf-keras 2.21 (`scripts/golden/shape_layers.py`,
/// fixture `Fixtures/shape_layers.json`): each case is one of our layer configurations, an
/// input, weights and TensorFlow's output. Every case is also planned (`ArchitecturePlan`:
/// output shape and parameter shapes equal the built model's) and saved and loaded again
/// (same outputs).
@Suite struct ShapeLayerGoldenTests {
  struct Values: Decodable {
    let shape: [Int]
    let values: [Float]
    var tensor: Tensor { Tensor(shape: shape, scalars: values) }
  }

  struct Case: Decodable {
    let name: String
    let layer: LayerConfiguration
    let input: Values
    let output: Values
    let weights: [String: Values]?
    let training: Bool
  }

  struct Fixture: Decodable {
    let generator: String
    let cases: [Case]
  }

  static let fixture = Result { try LayerFixtures.decode(Fixture.self, from: "shape_layers.json") }

  /// A model of one layer after an input of the case's example shape, with its weights.
  static func model(_ c: Case) throws -> Sequential {
    let configuration = Sequential.Configuration(
      name: "golden", seed: 1,
      layers: [.input(Input.Configuration(name: "input", shape: Array(c.input.shape.dropFirst()))), c.layer])
    let model = try Sequential(configuration: configuration)
    for (name, parameter) in model.namedParameters {
      let weight = try #require(c.weights?[String(name.split(separator: ".").last!)], "\(c.name): no weight for \(name)")
      #expect(parameter.value.shape == weight.shape, "\(c.name) \(name)")
      parameter.value = weight.tensor
    }
    #expect(model.namedParameters.count == (c.weights?.count ?? 0), "\(c.name): parameter count")
    return model
  }

  @Test func fixtureCoversEveryNewLayerType() throws {
    let types = Set(try Self.fixture.get().cases.map(\.layer.typeName))
    for type in [
      "MaxPooling1D", "AveragePooling1D", "MaxPooling3D", "AveragePooling3D",
      "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
      "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "ZeroPadding1D",
      "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "UpSampling1D",
      "UpSampling2D", "Reshape", "Permute", "LayerNormalization", "Embedding",
      "BatchNormalization", "Activation",
    ] {
      #expect(types.contains(type), "\(type) has no golden case")
    }
  }

  @Test func outputsEqualTensorFlow() throws {
    for c in try Self.fixture.get().cases {
      let model = try Self.model(c)
      model.isTraining = c.training
      let output = model(c.input.tensor)
      #expect(output.shape == c.output.shape, "\(c.name): shape \(output.shape), TF \(c.output.shape)")
      #expect(allClose(output.scalars, c.output.values, tolerance: 2e-5), "\(c.name)")
    }
  }

  @Test func plansMatchTheBuiltModels() throws {
    for c in try Self.fixture.get().cases {
      let model = try Self.model(c)
      let plan = try ArchitecturePlan(try model.sequentialConfiguration())
      #expect(plan.outputShape == Array(c.output.shape.dropFirst()), "\(c.name)")
      #expect(plan.parameters.map(\.name) == model.namedParameters.map(\.name), "\(c.name)")
      #expect(plan.parameters.map(\.shape) == model.namedParameters.map(\.parameter.shape), "\(c.name)")
      #expect(model.outputShape == [nil] + c.output.shape.dropFirst().map { $0 }, "\(c.name)")
    }
  }

  @Test func saveThenLoadGivesIdenticalOutputs() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("shape-layers-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    for c in try Self.fixture.get().cases {
      let model = try Self.model(c)
      let folder = directory.appendingPathComponent(c.name)
      try Checkpoint.save(model, to: folder)
      let loaded = try Checkpoint.loadSequential(from: folder)
      #expect(try loaded.sequentialConfiguration() == model.sequentialConfiguration(), "\(c.name)")
      #expect(loaded(c.input.tensor).scalars == model(c.input.tensor).scalars, "\(c.name)")
    }
  }
}
