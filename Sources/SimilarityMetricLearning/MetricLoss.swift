import SimilaritySearch
import SimilarityTensors

/// How per-example losses `[batch]` become the returned value.
public enum Reduction: String, CaseIterable, Codable, Sendable {
  /// The sum divided by the batch size, anchors that contribute zero included (Keras'
  /// `SUM_OVER_BATCH_SIZE`, TF Similarity's default).
  case mean
  /// The sum.
  case sum
  /// No reduction: the per-example losses, `[batch]`.
  case none

  /// Applies the reduction to `perExample` (`[batch]`).
  public func reduce(_ perExample: Tensor) -> Tensor {
    switch self {
    case .mean: perExample.mean()
    case .sum: perExample.sum()
    case .none: perExample
    }
  }
}

/// A loss on a batch of labelled embeddings, the interface shared by every metric loss.
///
/// Call it as `loss(embeddings: e, labels: y)`: `e` is `[batch, dimension]` (L2-normalised
/// for `.cosine`), `y` has `batch` integer class labels; the result is a scalar, or `[batch]`
/// with ``Reduction/none``. Anchors without a positive or without a negative in the batch
/// contribute exactly zero (never NaN).
public protocol MetricLoss {
  /// The distance the loss compares embeddings with.
  var distance: Distance { get }
  /// How per-example losses are combined.
  var reduction: Reduction { get }
  /// The loss of every example, `[batch]`.
  func perExampleLoss(embeddings: Tensor, labels: [Int]) -> Tensor
}

extension MetricLoss {
  /// The reduced loss of `embeddings` (`[batch, dimension]`) with `labels` (`batch`).
  public func callAsFunction(embeddings: Tensor, labels: [Int]) -> Tensor {
    reduction.reduce(perExampleLoss(embeddings: embeddings, labels: labels))
  }
}

/// A metric loss defined on a query × key distance matrix, so its keys can come from
/// elsewhere than the batch (``CrossBatchMemory`` pairs the batch with past embeddings).
public protocol PairwiseMetricLoss: MetricLoss {
  /// The loss of every query, `[Q]`.
  ///
  /// - Parameters:
  ///   - queries: `[Q, dimension]`.
  ///   - queryLabels: `Q` labels.
  ///   - keys: `[K, dimension]`.
  ///   - keyLabels: `K` labels.
  ///   - removesDiagonal: whether key `i` is query `i` (then `(i, i)` is not a positive).
  func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor
}

extension PairwiseMetricLoss {
  /// The batch against itself, without self-pairs.
  public func perExampleLoss(embeddings: Tensor, labels: [Int]) -> Tensor {
    perExampleLoss(
      queries: embeddings, queryLabels: labels, keys: embeddings, keyLabels: labels,
      removesDiagonal: true)
  }
}

/// The dissimilarity matrix and label masks of a query/key call, after checking its shapes.
struct PairwiseLossInputs {
  /// `[Q, K]` dissimilarities (see ``Distance/dissimilarities(_:_:)``).
  let distances: Tensor
  let masks: PairMasks

  /// `loss` names the caller in precondition messages.
  init(
    _ loss: String, distance: Distance, queries: Tensor, queryLabels: [Int], keys: Tensor,
    keyLabels: [Int], removesDiagonal: Bool
  ) {
    precondition(
      queries.rank == 2 && queries.shape[0] == queryLabels.count,
      "\(loss): embeddings \(queries.shape) need [batch, dimension] with \(queryLabels.count) rows")
    precondition(
      keys.rank == 2 && keys.shape[0] == keyLabels.count && keys.shape[1] == queries.shape[1],
      "\(loss): keys \(keys.shape) need [\(keyLabels.count), \(queries.shape[1])]")
    distances = distance.dissimilarities(queries, keys)
    masks = PairMasks(
      queryLabels: queryLabels, keyLabels: keyLabels, removesDiagonal: removesDiagonal)
  }
}
