import Foundation
import Similarity
import Testing

/// The library example of README.md, compiled: the code between the markers below is the
/// README's `swift` block (after its import line), and a test keeps the two identical, so an
/// API change that breaks the README breaks the build.
enum ReadmeExample {
  static func run(
    images: ExampleMatrix, labels: [Int], targets: ExampleMatrix, targetLabels: [Int],
    queries: ExampleMatrix, calibrationImages: ExampleMatrix, calibrationLabels: [Int],
    embeddings: [Float], query: [Float]
  ) throws {
    // README begin
    // Train an embedding on class-balanced batches with a metric loss (TF Similarity's hello world).
    let model = SimilarityModel(embedding: .tfSimilarityMNISTConv(), distance: .cosine)
    let sampler = try MultiShotSampler(
      examples: images, labels: labels, classesPerBatch: 6, examplesPerClass: 10, stepsPerEpoch: 1000)
    try model.fit(sampler: sampler, loss: MultiSimilarityLoss(distance: .cosine),
                  optimizer: Adam(learningRate: .constant(5e-6)), epochs: 10)

    // Index, look up, calibrate a distance threshold, match with "unknown".
    try model.index(targets, labels: targetLabels)
    let neighbours = try model.lookup(queries, k: 5)      // rank, distance, id, label, payload
    try model.calibrate(calibrationImages, labels: calibrationLabels)
    let predicted = try model.match(queries)              // a label, or nil for "unknown"

    // A siamese network on pairs with the contrastive loss (Keras' mnist_siamese).
    let network = SiameseNetwork(tower: .kerasSiameseTower(seed: 1))
    let pairs = try PairSet.alternatingPairs(labels: labels, classCount: 10, seed: 1)
    let history = SiameseTrainer(batchSize: 128, seed: 1).fit(
      network, optimizer: RMSprop(), examples: images, pairs: pairs, epochs: 20)

    // A graph embedding (Keras' functional API): a residual block, shared or nested layers alike.
    let inputs = SymbolicTensor.input(shape: [28, 28, 1])
    let features = Conv2D(filters: 32, kernelSize: (3, 3), padding: .same, activation: .relu)(inputs)
    let shortcut = try Add()([Conv2D(filters: 32, kernelSize: (3, 3), padding: .same)(features), features])
    let graph = try Functional(
      inputs: inputs, outputs: MetricEmbedding(units: 64)(Flatten()(ActivationLayer(.relu)(shortcut))))
    let table = graph.summary()                          // Keras' table with "Connected to"
    let graphModel = SimilarityModel(embedding: graph)   // trains, indexes, saves like any model

    // Search embeddings from anywhere: SimilaritySearch alone, no training stack needed.
    let index = HNSWIndex(dimension: 64, distance: .euclidean)
    index.traversalBasis = .principalComponents         // optional: faster walks for wide vectors
    let ids = try index.add(vectors: embeddings)         // [rows × 64], row-major
    let nearest = try index.search(query, k: 10)
    // README end
    _ = (neighbours, predicted, history, ids, nearest, table, graphModel)
  }
}

@Suite struct ReadmeExampleTests {
  /// Lines of the README's library example, without its import line, leading indentation
  /// removed.
  static func readmeBlock() throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.range(of: "## Using the library"))
    let rest = readme[section.upperBound...]
    let start = try #require(rest.range(of: "```swift\n"))
    let end = try #require(rest[start.upperBound...].range(of: "```"))
    return trimBlankEdges(
      rest[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.hasPrefix("import ") })
  }

  static func trimBlankEdges(_ lines: [String]) -> [String] {
    var lines = lines
    while lines.first?.isEmpty == true { lines.removeFirst() }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  static func compiledBlock() throws -> [String] {
    let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let begin = try #require(source.range(of: "// README begin\n"))
    let end = try #require(source.range(of: "    // README end"))
    return trimBlankEdges(
      source[begin.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) })
  }

  @Test func theReadmeLibraryExampleIsTheCompiledOne() throws {
    let readme = try Self.readmeBlock()
    let compiled = try Self.compiledBlock()
    #expect(readme.count > 10)
    #expect(readme == compiled)
  }
}
