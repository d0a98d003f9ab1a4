import Foundation
import SimilarityLayers
import SimilarityMetricLearning
import Testing

@testable import Similarity

/// A similarity model whose embedding is a ``Functional`` graph (a residual block) trains,
/// saves and loads like one built on a ``Sequential``.
@Suite struct GraphEmbeddingTests {
  /// `[16] → Dense 32 (ReLU) → Dense 32 + shortcut → BatchNormalization → MetricEmbedding 8`.
  static func residualEmbedding(seed: UInt64 = 1) throws -> Functional {
    let inputs = SymbolicTensor.input(shape: [16])
    let hidden = Dense(units: 32, activation: .relu)(inputs)
    let residual = try Add()([Dense(units: 32)(hidden), hidden])
    let outputs = MetricEmbedding(units: 8)(BatchNormalization()(residual))
    return try Functional(inputs: inputs, outputs: outputs, name: "residual_embedding", seed: seed)
  }

  @Test func aGraphEmbeddingTrainsSavesAndLoads() throws {
    let data = ClusteredData()
    let embedding = try Self.residualEmbedding()
    let model = SimilarityModel(embedding: embedding)
    #expect(model.inputShape == [16] && model.dimension == 8)
    let before = embedding.trainableParameters.map(\.value.scalars)
    let sampler = try MultiShotSampler(
      examples: data.train, labels: data.trainLabels, classesPerBatch: 6, examplesPerClass: 5,
      stepsPerEpoch: 3, seed: 2)
    let history = try model.fit(
      sampler: sampler, loss: MultiSimilarityLoss(), optimizer: Adam(learningRate: 0.01),
      epochs: 1)
    #expect(history.epochs.count == 1 && history.epochs[0].loss.isFinite)
    #expect(embedding.trainableParameters.map(\.value.scalars) != before)
    try model.index(data.train, labels: data.trainLabels)
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-graph-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try model.save(to: directory)
    let loaded = try SimilarityModel.load(from: directory)
    let graph = try #require(loaded.embedding as? Functional)
    #expect(graph.name == "residual_embedding")
    let queries = data.test.batch(0..<8)
    #expect(loaded.embedding(queries).scalars == embedding(queries).scalars)
    #expect(try loaded.lookup(queries, k: 3).map { $0.map(\.id) } == model.lookup(queries, k: 3).map { $0.map(\.id) })
  }

  @Test func aSiameseNetworkTakesAGraphTower() throws {
    let tower = try Self.residualEmbedding(seed: 3)
    let network = SiameseNetwork(tower: tower)
    let data = ClusteredData()
    let pairs = try PairSet.randomPairs(labels: data.trainLabels, classCount: 6, seed: 4)
    let distances = network.distances(of: pairs, in: data.train)
    #expect(distances.count == pairs.count && distances.allSatisfy(\.isFinite))
    #expect(network.namedParameters.map(\.name).first == "tower.dense.kernel")
  }
}
