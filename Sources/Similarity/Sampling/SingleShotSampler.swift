import SimilarityLayers
import SimilarityMetricLearning

/// Batches for self-supervised or single-shot training: `examplesPerBatch` distinct examples,
/// each seen as `viewsPerExample` augmented views labelled with the example's index, so the
/// views of one example are the positives (TensorFlow Similarity's `SingleShotMemorySampler`).
public struct SingleShotSampler: Sampler, @unchecked Sendable {
  /// Makes one view of one example (`exampleShape` in and out) from a seeded generator.
  public typealias Augmenter = (_ example: Tensor, _ generator: inout SplitMix64) -> Tensor

  /// The examples views are made from.
  public let examples: ExampleMatrix
  /// Distinct examples per batch.
  public let examplesPerBatch: Int
  /// Views of each example per batch (≥ 2 for a positive pair).
  public let viewsPerExample: Int
  /// Batches per epoch.
  public let stepsPerEpoch: Int
  /// Seeds the choice of examples and the augmenter's generators.
  public let seed: UInt64
  /// The shape of one example.
  public var exampleShape: [Int] { examples.exampleShape }

  let augmenter: Augmenter

  /// - Parameters:
  ///   - examples: the unlabelled examples.
  ///   - examplesPerBatch: distinct examples in a batch (≥ 1, at most `examples.count`).
  ///   - viewsPerExample: views of each (≥ 1).
  ///   - stepsPerEpoch: batches per epoch (≥ 1).
  ///   - seed: seeds every choice.
  ///   - augmenter: makes a view; its generator is seeded from the seed, epoch, step and row.
  /// - Throws: ``SamplerError/noExamples`` for an empty matrix,
  ///   ``SamplerError/tooManyClasses(requested:available:)`` when a batch needs more distinct
  ///   examples (each its own class) than there are.
  public init(
    examples: ExampleMatrix, examplesPerBatch: Int, viewsPerExample: Int = 2,
    stepsPerEpoch: Int = 1000, seed: UInt64 = 0, augmenter: @escaping Augmenter
  ) throws(SamplerError) {
    precondition(examplesPerBatch >= 1, "SingleShotSampler: examplesPerBatch < 1")
    precondition(viewsPerExample >= 1, "SingleShotSampler: viewsPerExample < 1")
    precondition(stepsPerEpoch >= 1, "SingleShotSampler: stepsPerEpoch < 1")
    guard examples.count > 0 else { throw .noExamples }
    guard examplesPerBatch <= examples.count else {
      throw .tooManyClasses(requested: examplesPerBatch, available: examples.count)
    }
    self.examples = examples
    self.examplesPerBatch = examplesPerBatch
    self.viewsPerExample = viewsPerExample
    self.stepsPerEpoch = stepsPerEpoch
    self.seed = seed
    self.augmenter = augmenter
  }

  /// Rows are `views` consecutive copies of each chosen example; labels are example indices.
  public func plan(epoch: Int) -> [IndexBatch] {
    var generator = SplitMix64.sampling(seed: seed, epoch: epoch, stream: 2)
    return (0..<stepsPerEpoch).map { step in
      let chosen = distinctPositions(examplesPerBatch, of: examples.count, using: &generator)
      let rows = chosen.flatMap { repeatElement($0, count: viewsPerExample) }
      return IndexBatch(epoch: epoch, step: step, indices: rows, labels: rows)
    }
  }

  /// The augmented views of a planned batch.
  public func examples(for batch: IndexBatch) throws -> Tensor {
    var base = SplitMix64.sampling(
      seed: seed ^ mix64(UInt64(truncatingIfNeeded: batch.step)), epoch: batch.epoch, stream: 3)
    var scalars: [Float] = []
    scalars.reserveCapacity(batch.count * examples.exampleSize)
    for index in batch.indices {
      var generator = base.split()
      let view = augmenter(examples.batch([index]).reshaped(examples.exampleShape), &generator)
      precondition(
        view.shape == examples.exampleShape,
        "SingleShotSampler: augmenter returned shape \(view.shape), expected "
          + "\(examples.exampleShape)"
      )
      scalars.append(contentsOf: view.scalars)
    }
    return Tensor(shape: [batch.count] + examples.exampleShape, scalars: scalars)
  }
}
