import Foundation
import Testing

@testable import SimilarityLayers

/// Graph models saved with ``Checkpoint`` load back as the same computation: architecture
/// (references, shared layers, nested models, frozen layers) and weights.
@Suite struct FunctionalPersistenceTests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-graph-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Gives every parameter (moving statistics included) random values, so a load that
  /// kept the initial values would show.
  private func randomize(_ model: any Model, seed: UInt64) {
    for (index, parameter) in model.parameters.enumerated() {
      let values = randomTensor(parameter.shape, seed: seed + UInt64(index))
      parameter.value = parameter.isTrainableWeight ? values : values.abs() + 0.5
    }
  }

  private func roundTrip(_ model: Functional, seed: UInt64) throws -> Functional {
    randomize(model, seed: seed)
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadModel(from: directory)
    return try #require(loaded as? Functional)
  }

  @Test func residualBlockLoadsWithIdenticalOutputs() throws {
    let model = try GraphModels.residualBlock(seed: 1)
    let loaded = try roundTrip(model, seed: 10)
    let x = randomTensor([2, 8, 8, 16], seed: 3)
    #expect(loaded(x).scalars == model(x).scalars)
    #expect(loaded.summary() == model.summary())
  }

  @Test func sharedLayersAndSeveralOutputsLoad() throws {
    for model in [
      try GraphModels.sharedLayer(seed: 2), try GraphModels.twoInputsTwoOutputs(seed: 3),
      try GraphModels.multipleOutputs(seed: 4),
    ] {
      let loaded = try roundTrip(model, seed: 20)
      let inputs = model.inputShapes.enumerated().map { randomTensor([4] + $1, seed: UInt64($0)) }
      #expect(loaded(inputs).map(\.scalars) == model(inputs).map(\.scalars))
      #expect(loaded.namedParameters.map(\.name) == model.namedParameters.map(\.name))
      #expect(try loaded.functionalConfiguration() == model.functionalConfiguration())
    }
  }

  @Test func nestedModelsLoadFrozen() throws {
    let model = try GraphModels.nestedModel(seed: 4)
    let loaded = try roundTrip(model, seed: 30)
    let x = randomTensor([3, 6], seed: 5)
    #expect(loaded(x).scalars == model(x).scalars)
    let inner = try #require(loaded.layer(named: "model") as? Functional)
    #expect(!inner.trainable)
    #expect(loaded.trainableParameterCount == 38)
    #expect(loaded.summary() == model.summary())
  }

  @Test func theArchitectureNamesCallsByLayerNodeAndTensor() throws {
    let configuration = try GraphModels.sharedLayer().functionalConfiguration()
    let dense = try #require(configuration.layers.first { $0.layer.layerName == "dense" })
    #expect(dense.inboundNodes == [
      [.init(layer: "input_1", node: 0, tensor: 0)], [.init(layer: "input_2", node: 0, tensor: 0)],
    ])
    let subtract = try #require(configuration.layers.first { $0.layer.layerName == "subtract" })
    #expect(subtract.inboundNodes == [[.init(layer: "dense", node: 0), .init(layer: "dense", node: 1)]])
    #expect(configuration.inputLayers.map(\.layer) == ["input_1", "input_2"])
    let json = try JSONEncoder().encode(LayerConfiguration.functional(configuration))
    let decoded = try JSONDecoder().decode(LayerConfiguration.self, from: json)
    #expect(decoded == .functional(configuration))
    #expect(String(decoding: json, as: UTF8.self).contains("\"type\":\"Functional\""))
  }

  @Test func aGraphNestsInASequential() throws {
    let inputs = SymbolicTensor.input(shape: [6])
    let block = try Functional(
      inputs: inputs, outputs: try Add()([Dense(units: 6)(inputs), inputs]), name: "block")
    let model = Sequential(seed: 3) {
      Input(shape: [6])
      block
      Dense(units: 2)
    }
    randomize(model, seed: 40)
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadSequential(from: directory)
    let x = randomTensor([2, 6], seed: 1)
    #expect(loaded(x).scalars == model(x).scalars)
    #expect(loaded.namedParameters.map(\.name).first == "block.dense.kernel")
  }

  @Test func lambdasInsideNestedModelsLoadByName() throws {
    let double: Lambda.Function = { $0 * 2 }
    let head = Sequential(seed: 1) {
      Input(shape: [4])
      Lambda(function: "double", double)
      Dense(units: 3)
    }
    let inputs = SymbolicTensor.input(shape: [4], name: "input")
    let outputs = try Add()([head(inputs), Lambda(function: "double", name: "twice", double)(Dense(units: 3)(inputs))])
    let model = try Functional(inputs: inputs, outputs: outputs, seed: 2)
    #expect(model.layers.first?.name == "input_1")
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    #expect(throws: CheckpointError.self) { try Checkpoint.loadModel(from: directory) }
    let loaded = try Checkpoint.loadModel(from: directory, lambdas: ["double": double])
    let x = randomTensor([2, 4], seed: 3)
    #expect(loaded(x).scalars == model(x).scalars)
  }

  @Test func frozenLayersOfASequentialStayFrozen() throws {
    let model = Sequential.kerasSiameseTower(seed: 2)
    model.layers[1].trainable = false
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try Checkpoint.loadSequential(from: directory)
    #expect(!loaded.layers[1].trainable && loaded.layers[3].trainable)
    #expect(loaded.trainableParameterCount == model.trainableParameterCount)
    #expect(try loaded.sequentialConfiguration().nonTrainableLayers == [model.layers[1].name])
    // Every-layer-trainable models write no such field: older files read the same.
    #expect(try Sequential.kerasSiameseTower().sequentialConfiguration().nonTrainableLayers == nil)
  }

  @Test func sequentialFoldersStillLoadAsModels() throws {
    let model = Sequential.kerasSiameseTower(seed: 2)
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let loaded = try #require(try Checkpoint.loadModel(from: directory) as? Sequential)
    let x = randomTensor([2, 28, 28], seed: 3)
    #expect(loaded(x).scalars == model(x).scalars)
    let functional = try GraphModels.chain()
    try Checkpoint.save(functional, to: directory)
    #expect(throws: CheckpointError.self) { try Checkpoint.loadSequential(from: directory) }
  }

  @Test func aDamagedGraphFileIsRefusedBeforeAnyLayerIsBuilt() throws {
    let model = try GraphModels.residualBlock()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Checkpoint.save(model, to: directory)
    let url = directory.appendingPathComponent(Checkpoint.architectureFileName)
    var file = try JSONDecoder().decode(ArchitectureFile.self, from: Data(contentsOf: url))
    guard case .functional(var configuration) = file.model else {
      Issue.record("not a Functional architecture")
      return
    }
    // Make `conv2d` read from `add`, which is downstream of it: a cycle.
    let conv = try #require(configuration.layers.firstIndex { $0.layer.layerName == "conv2d" })
    configuration.layers[conv].inboundNodes = [[.init(layer: "add")]]
    file.model = .functional(configuration)
    try JSONEncoder().encode(file).write(to: url)
    let error = try #require(throws: CheckpointError.self) {
      try Checkpoint.loadModel(from: directory)
    }
    guard case .architecture(_, let architecture) = error,
      case .cycle(let name, let layers) = architecture
    else {
      Issue.record("expected a cycle, got \(error)")
      return
    }
    #expect(name == "model")
    #expect(layers.contains("conv2d") && layers.contains("add"))
  }
}
