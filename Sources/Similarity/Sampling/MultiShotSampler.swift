import SimilarityLayers
import SimilarityMetricLearning

/// Class-balanced batches from examples held in memory: every batch has `classesPerBatch`
/// classes × `examplesPerClass` examples (TensorFlow Similarity's `MultiShotMemorySampler`).
///
/// Classes are drawn without replacement for each batch; the examples of a class without
/// replacement, unless the class has fewer than `examplesPerClass` (see
/// ``ExampleReplacement``). Rows are grouped by class. Plans depend only on the seed and the
/// epoch, so runs are reproducible.
public struct MultiShotSampler: Sampler, Sendable {
  /// The examples batches are gathered from.
  public let examples: ExampleMatrix
  /// The label of every example.
  public let labels: [Int]
  /// Classes per batch.
  public var classesPerBatch: Int { planner.classesPerBatch }
  /// Examples of each class per batch.
  public var examplesPerClass: Int { planner.examplesPerClass }
  /// Batches per epoch.
  public var stepsPerEpoch: Int { planner.stepsPerEpoch }
  /// The classes drawn from, ascending.
  public var classes: [Int] { planner.classes }
  /// The number of examples that can be drawn (after the class filter and per-class limit).
  public var sampledExampleCount: Int { planner.exampleCount }
  /// The shape of one example.
  public var exampleShape: [Int] { examples.exampleShape }

  let planner: ClassBalancedPlanner

  /// - Parameters:
  ///   - examples: the examples, e.g. `[28, 28, 1]` images.
  ///   - labels: one class label per example.
  ///   - classesPerBatch: distinct classes in each batch (≥ 1).
  ///   - examplesPerClass: examples of each class in each batch (≥ 1).
  ///   - stepsPerEpoch: batches per epoch (≥ 1).
  ///   - classList: sample only these classes (TF Similarity's `class_list`).
  ///   - totalExamplesPerClass: keep at most this many examples of each class.
  ///   - replacement: when an example may repeat within a class of a batch.
  ///   - seed: seeds every choice.
  /// - Throws: ``SamplerError`` when labels and examples differ in count, there are no
  ///   examples, a listed class is empty, there are fewer classes than `classesPerBatch`, or
  ///   a class is too small and `replacement` is `.never`.
  public init(
    examples: ExampleMatrix, labels: [Int], classesPerBatch: Int, examplesPerClass: Int,
    stepsPerEpoch: Int = 1000, classList: [Int]? = nil, totalExamplesPerClass: Int? = nil,
    replacement: ExampleReplacement = .whenClassTooSmall, seed: UInt64 = 0
  ) throws(SamplerError) {
    guard examples.count == labels.count else {
      throw .countMismatch(examples: examples.count, labels: labels.count)
    }
    self.examples = examples
    self.labels = labels
    self.planner = try ClassBalancedPlanner(
      labels: labels, classesPerBatch: classesPerBatch, examplesPerClass: examplesPerClass,
      stepsPerEpoch: stepsPerEpoch, classList: classList,
      totalExamplesPerClass: totalExamplesPerClass, replacement: replacement, seed: seed)
  }

  public func plan(epoch: Int) -> [IndexBatch] { planner.plan(epoch: epoch) }

  public func examples(for batch: IndexBatch) throws -> Tensor { examples.batch(batch.indices) }
}
