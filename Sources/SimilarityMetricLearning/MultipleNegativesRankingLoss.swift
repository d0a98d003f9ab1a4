import SimilaritySearch
import SimilarityTensors

/// The multiple negatives ranking loss of Henderson et al. 2017, "Efficient Natural Language
/// Response Suggestion for Smart Reply" (https://arxiv.org/abs/1705.00652), as TF
/// Similarity's `MultiNegativesRankLoss`: row `i` of the keys is the positive of query `i`,
/// and every other key of the batch is one of its negatives.
///
///     s_ij = scale · q_i·k_j
///     loss_i = −s_ii + log Σ_j e^(s_ij)        (softmax cross-entropy, target i)
///
/// It takes a query batch and a key batch rather than labels, so it is not a ``MetricLoss``;
/// its distance is always the inner product (the cosine similarity when both batches are
/// L2-normalised, as in CLIP fine-tuning).
public struct MultipleNegativesRankingLoss: Sendable {
  /// The similarity scale (20).
  public var scale: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(scale: Float = 20, reduction: Reduction = .mean) {
    precondition(
      scale > 0 && scale.isFinite, "MultipleNegativesRankingLoss: scale \(scale) must be positive")
    self.scale = scale
    self.reduction = reduction
  }

  /// The distance the scores use: `.innerProduct`.
  public var distance: Distance { .innerProduct }

  /// The reduced loss of `queries` against `keys`.
  ///
  /// - Parameters:
  ///   - queries: `[batch, dimension]`.
  ///   - keys: `[batch, dimension]`; row `i` is the positive of query `i`.
  /// - Returns: a scalar, or `[batch]` with ``Reduction/none``.
  public func callAsFunction(queries: Tensor, keys: Tensor) -> Tensor {
    precondition(
      queries.rank == 2 && queries.shape == keys.shape,
      "MultipleNegativesRankingLoss: queries \(queries.shape) and keys \(keys.shape) need equal [batch, dimension]")
    let scores = scale * Distance.innerProduct.pairwise(queries, keys)
    let matching = scale * Distance.innerProduct.paired(queries, keys)
    return reduction.reduce(scores.logSumExp(alongAxis: 1) - matching)
  }
}
