import SimilarityLayers
import SimilarityMetricLearning

/// Visits every example exactly once per epoch in batches of `batchSize` (the last batch may
/// be smaller), in a fresh seeded order each epoch when `shuffles` is true — the classic
/// epoch loop, with real class labels.
public struct EpochSampler: Sampler, Sendable {
  /// The examples.
  public let examples: ExampleMatrix
  /// The label of every example.
  public let labels: [Int]
  /// Rows per batch.
  public let batchSize: Int
  /// Whether each epoch uses a new random order (else dataset order).
  public let shuffles: Bool
  /// Seeds the order.
  public let seed: UInt64
  /// `⌈count / batchSize⌉`.
  public var stepsPerEpoch: Int { (examples.count + batchSize - 1) / batchSize }
  /// The shape of one example.
  public var exampleShape: [Int] { examples.exampleShape }

  /// - Throws: ``SamplerError/countMismatch(examples:labels:)`` or ``SamplerError/noExamples``.
  public init(
    examples: ExampleMatrix, labels: [Int], batchSize: Int, shuffles: Bool = true,
    seed: UInt64 = 0
  ) throws(SamplerError) {
    precondition(batchSize >= 1, "EpochSampler: batchSize \(batchSize) < 1")
    guard examples.count == labels.count else {
      throw .countMismatch(examples: examples.count, labels: labels.count)
    }
    guard examples.count > 0 else { throw .noExamples }
    self.examples = examples
    self.labels = labels
    self.batchSize = batchSize
    self.shuffles = shuffles
    self.seed = seed
  }

  public func plan(epoch: Int) -> [IndexBatch] {
    var order = Array(0..<examples.count)
    if shuffles {
      var generator = SplitMix64.sampling(seed: seed, epoch: epoch, stream: 4)
      order.shuffle(using: &generator)
    }
    return (0..<stepsPerEpoch).map { step in
      let rows = Array(order[(step * batchSize)..<min((step + 1) * batchSize, order.count)])
      return IndexBatch(epoch: epoch, step: step, indices: rows, labels: rows.map { labels[$0] })
    }
  }

  public func examples(for batch: IndexBatch) throws -> Tensor { examples.batch(batch.indices) }
}
