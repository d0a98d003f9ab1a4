import SimilaritySearch
import SimilarityTensors

/// Cross-batch memory (XBM) of Wang, Zhang, Huang & Scott 2020, "Cross-Batch Memory for
/// Embedding Learning" (https://arxiv.org/abs/1912.06798), as TF Similarity's `XBM` wrapper.
///
/// Each call pairs the batch (the queries) with the keys `[batch; memory]` truncated to
/// `memorySize` rows, computes the wrapped loss on them (the batch part of the keys carries
/// gradients, the memory does not), and then, once more than `warmupSteps` calls have been
/// made, keeps those keys (detached) as the new memory: a FIFO queue, newest first. During
/// warm-up the memory stays empty, so the loss is the wrapped loss on the batch alone.
///
/// A class because it has state; calling it mutates the memory. Not thread-safe.
public final class CrossBatchMemory<Loss: PairwiseMetricLoss>: MetricLoss {
  /// The wrapped loss.
  public let loss: Loss
  /// The most rows kept (batch included).
  public let memorySize: Int
  /// Calls made before the memory starts filling.
  public let warmupSteps: Int
  /// `[rows, dimension]` embeddings of past batches, newest first; `nil` before the first call.
  public private(set) var memoryEmbeddings: Tensor?
  /// The labels of ``memoryEmbeddings``.
  public private(set) var memoryLabels: [Int] = []
  /// Calls made so far.
  public private(set) var steps = 0

  /// Wraps `loss` with a memory of `memorySize` rows filled after `warmupSteps` calls.
  public init(_ loss: Loss, memorySize: Int, warmupSteps: Int = 0) {
    precondition(memorySize > 0, "CrossBatchMemory: memorySize \(memorySize) must be positive")
    precondition(warmupSteps >= 0, "CrossBatchMemory: warmupSteps \(warmupSteps) is negative")
    self.loss = loss
    self.memorySize = memorySize
    self.warmupSteps = warmupSteps
  }

  /// The wrapped loss's distance.
  public var distance: Distance { loss.distance }
  /// The wrapped loss's reduction.
  public var reduction: Reduction { loss.reduction }

  /// The batch against `[batch; memory]`, `[batch]`; updates the memory after warm-up.
  public func perExampleLoss(embeddings: Tensor, labels: [Int]) -> Tensor {
    precondition(
      embeddings.rank == 2 && embeddings.shape[0] == labels.count,
      "CrossBatchMemory: embeddings \(embeddings.shape) need [batch, dimension] with \(labels.count) rows")
    let dimension = embeddings.shape[1]
    let memory = memoryEmbeddings ?? Tensor.zeros([0, dimension])
    precondition(
      memory.shape[1] == dimension,
      "CrossBatchMemory: embeddings of dimension \(dimension) but memory \(memory.shape)")
    let rows = Swift.min(memorySize, labels.count + memoryLabels.count)
    var keys = memory.count == 0 ? embeddings : Tensor.concatenated([embeddings, memory])
    keys = keys.slicing(0..<rows)
    let keyLabels = Array((labels + memoryLabels).prefix(rows))
    steps += 1
    if steps > warmupSteps {
      memoryEmbeddings = keys.detached
      memoryLabels = keyLabels
    } else if memoryEmbeddings == nil {
      memoryEmbeddings = Tensor.zeros([0, dimension])
    }
    // The batch is the start of the keys, so (i, i) is an example with itself.
    return loss.perExampleLoss(
      queries: embeddings, queryLabels: labels, keys: keys, keyLabels: keyLabels,
      removesDiagonal: true)
  }

  /// Empties the memory and the step count.
  public func reset() {
    memoryEmbeddings = nil
    memoryLabels = []
    steps = 0
  }
}
