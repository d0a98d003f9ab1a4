import SimilarityEvaluation
import SimilarityLayers
import SimilarityMetricLearning
import SimilaritySearch

/// An embedding model together with the index of embeddings it looks up in, and the
/// calibrated distance threshold it matches with — TensorFlow Similarity's `SimilarityModel`
/// (https://github.com/tensorflow/similarity) without Keras underneath.
///
/// Workflow: ``fit(sampler:loss:optimizer:epochs:validation:onStep:onEpoch:)`` trains the
/// embedding with a metric loss on class-balanced batches; ``index(_:labels:payloads:)``
/// embeds examples and stores them with their labels and payloads;
/// ``lookup(_:k:)`` returns the nearest stored items; ``calibrate(_:labels:targets:optimizing:strategy:k:)``
/// picks the distance threshold that best separates right from wrong matches;
/// ``match(_:cutpoint:)`` predicts a label or "unknown"; ``save(to:)`` / ``load(from:)`` keep
/// all of it in one directory.
///
/// Examples are ``ExampleMatrix`` rows (or `[n] + inputShape` tensors) of the embedding
/// model's input shape; embeddings are `[n, dimension]`. The labels and payloads of indexed
/// items live in the index itself. Not thread-safe: use one model from one thread at a time.
public final class SimilarityModel {
  /// The network mapping examples to embeddings (`[n] + inputShape → [n, dimension]`): a
  /// ``Sequential`` or a single-input, single-output ``Functional`` graph.
  public let embedding: any NetworkModel
  /// The distance embeddings are compared with, in training metrics, the index and calibration.
  public let distance: Distance
  /// The kind of index embeddings are stored in.
  public let indexKind: IndexKind
  /// The embedding size.
  public let dimension: Int
  /// The current index of embeddings with their labels and payloads.
  public private(set) var index: any VectorIndex
  /// The result of the last ``calibrate(_:labels:targets:optimizing:strategy:k:)``, if any.
  public internal(set) var calibration: Calibration?
  /// How many neighbours the calibration's strategy looked at (and ``match(_:cutpoint:)`` uses).
  public internal(set) var calibrationK = 1
  /// How many indexed items carry each label (the R of MAP and the retrieval metrics clipped at
  /// R).
  public internal(set) var indexedClassSizes: [Int: Int] = [:]
  /// Rows embedded per forward pass at inference.
  public var inferenceBatchSize = 256
  /// The weights file the embedding was loaded from (``load(from:)``), named when its outputs
  /// are not finite; `nil` for a model built in memory.
  public internal(set) var weightsFile: String?

  /// - Parameters:
  ///   - embedding: a model with one input and one output `[batch, dimension]` (a
  ///     ``Sequential`` or a ``Functional`` graph), e.g. `Sequential.tfSimilarityMNISTConv()`
  ///     (ends in `MetricEmbedding`, so its outputs are L2-normalised as the cosine distance
  ///     expects).
  ///   - distance: TF Similarity's default is cosine.
  ///   - indexKind: exact search by default.
  public init(
    embedding: any NetworkModel, distance: Distance = .cosine, indexKind: IndexKind = .exact
  ) {
    precondition(
      embedding.isSingleInputSingleOutput,
      "SimilarityModel: the embedding has \(embedding.inputShapes.count) inputs and "
        + "\(embedding.outputShapes.count) outputs; it needs one of each")
    let output = embedding.outputShapes[0]
    precondition(
      output.count == 2, "SimilarityModel: the embedding's output \(output) must be [batch, d]")
    guard let dimension = output[1] else {
      preconditionFailure("SimilarityModel: the embedding's output size is unknown")
    }
    self.embedding = embedding
    self.distance = distance
    self.indexKind = indexKind
    self.dimension = dimension
    self.index = indexKind.makeIndex(dimension: dimension, distance: distance, seed: embedding.seed)
  }

  init(
    embedding: any NetworkModel, distance: Distance, indexKind: IndexKind, index: any VectorIndex,
    calibration: Calibration?, calibrationK: Int, indexedClassSizes: [Int: Int]
  ) {
    self.indexedClassSizes = indexedClassSizes
    self.embedding = embedding
    self.distance = distance
    self.indexKind = indexKind
    self.dimension = index.dimension
    self.index = index
    self.calibration = calibration
    self.calibrationK = calibrationK
  }

  /// The shape of one example, from the embedding's input.
  public var inputShape: [Int] { embedding.inputShapes[0] }

  // MARK: Embedding

  /// The `[n, dimension]` embeddings of `examples`, in inference mode, `inferenceBatchSize`
  /// rows at a time.
  /// - Throws: ``SimilarityModelError/exampleShapeMismatch(expected:found:)``;
  ///   ``SimilarityModelError/nonFiniteEmbedding(example:component:value:weightsFile:)`` when
  ///   the network produces NaN or infinity (damaged or diverged weights).
  public func embed(_ examples: ExampleMatrix) throws(SimilarityModelError) -> Tensor {
    try checkShape(examples)
    let wasTraining = embedding.isTraining
    embedding.isTraining = false
    defer { embedding.isTraining = wasTraining }
    var scalars: [Float] = []
    scalars.reserveCapacity(examples.count * dimension)
    var start = 0
    while start < examples.count {
      let end = min(start + inferenceBatchSize, examples.count)
      scalars.append(contentsOf: embedding(examples.batch(start..<end)).scalars)
      start = end
    }
    if let bad = scalars.firstIndex(where: { !$0.isFinite }) {
      throw .nonFiniteEmbedding(
        example: bad / dimension, component: bad % dimension, value: scalars[bad],
        weightsFile: weightsFile)
    }
    return Tensor(shape: [examples.count, dimension], scalars: scalars)
  }

  func checkShape(_ examples: ExampleMatrix) throws(SimilarityModelError) {
    let expected = inputShape
    if examples.exampleShape != expected {
      // Accept a missing trailing channel axis of 1 ([28, 28] for [28, 28, 1]) as the same data.
      if examples.exampleShape + [1] == expected || examples.exampleShape == expected + [1] {
        return
      }
      throw .exampleShapeMismatch(expected: expected, found: examples.exampleShape)
    }
  }

  // MARK: Index

  /// Embeds `examples` and adds them to the index with their labels and payloads (TF
  /// Similarity's `index`). Ids continue from the largest id so far.
  /// - Throws: ``SimilarityModelError/countMismatch(what:expected:found:)`` when labels or
  ///   payloads are not one per example; `SearchError` for non-finite embeddings.
  public func index(
    _ examples: ExampleMatrix, labels: [Int]? = nil, payloads: [[UInt8]]? = nil
  ) throws {
    if let labels, labels.count != examples.count {
      throw SimilarityModelError.countMismatch(
        what: "labels", expected: examples.count, found: labels.count)
    }
    if let payloads, payloads.count != examples.count {
      throw SimilarityModelError.countMismatch(
        what: "payloads", expected: examples.count, found: payloads.count)
    }
    guard examples.count > 0 else { return }
    let vectors = try embed(examples)
    try index.add(
      vectors: vectors.scalars, ids: nil, labels: labels?.map { Optional($0) },
      payloads: payloads?.map { Optional($0) })
    for label in labels ?? [] { indexedClassSizes[label, default: 0] += 1 }
  }

  /// Removes every indexed item (TF Similarity's `reset_index`); the calibration is kept.
  public func resetIndex() {
    index = indexKind.makeIndex(dimension: dimension, distance: distance, seed: embedding.seed)
    indexedClassSizes = [:]
  }

  /// The `k` nearest indexed items of each example, nearest first (`k` is clipped to the
  /// index size).
  /// - Throws: ``SimilarityModelError/emptyIndex(operation:)`` when nothing is indexed.
  public func lookup(_ examples: ExampleMatrix, k: Int = 5) throws -> [[Neighbor]] {
    precondition(k >= 1, "lookup: k \(k) must be at least 1")
    return try lookup(embeddings: embed(examples), k: k, operation: "lookup")
  }

  /// Lookups for precomputed `[n, dimension]` embeddings.
  public func lookup(embeddings: Tensor, k: Int = 5) throws -> [[Neighbor]] {
    try lookup(embeddings: embeddings, k: k, operation: "lookup")
  }

  func lookup(embeddings: Tensor, k: Int, operation: String) throws -> [[Neighbor]] {
    guard index.count > 0 else { throw SimilarityModelError.emptyIndex(operation: operation) }
    guard embeddings.shape.first ?? 0 > 0 else { return [] }
    return try index.search(queries: embeddings.scalars, k: min(k, index.count))
  }

  /// What the index holds, for display (TF Similarity's `index_summary`).
  public var indexSummary: IndexSummary {
    IndexSummary(
      distance: distance, indexKind: indexKind, dimension: dimension, count: index.count,
      classSizes: indexedClassSizes,
      unlabelledCount: index.count
        - indexedClassSizes.values
        .reduce(0, +), calibrationMetric: calibration?.metric,
      optimalCutpoint: calibration?.optimal, calibrationStrategy: calibration?.strategy)
  }
}
