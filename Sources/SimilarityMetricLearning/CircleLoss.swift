import SimilaritySearch
import SimilarityTensors

/// The circle loss of Sun et al. 2020, "Circle Loss: A Unified Perspective of Pair Similarity
/// Optimization" (https://arxiv.org/abs/2002.10857), in TF Similarity's distance form (the
/// paper's similarity `s` replaced by `1 − d`, so it expects distances in `[0, 2]`).
///
/// With margin `m` and scale `γ`, for anchor `i` over all its positives `P` and negatives `N`:
///
///     w_p = max(m + d, 0)          w_n = max(1 + m − d, 0)
///     loss_i = log(1 + Σ_P e^(−γ w_p (m − d))) + log(1 + Σ_N e^(γ w_n (1 − m − d)))
///
/// and 0 for anchors without a positive or a negative. As in TF Similarity the weights `w`
/// are differentiated through (the paper's code treats them as constants).
public struct CircleLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (cosine).
  public var distance: Distance
  /// The scale γ (80; large values make the log-sum-exp a hard maximum).
  public var gamma: Float
  /// The relaxation margin m (0.4).
  public var margin: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(
    distance: Distance = .cosine, gamma: Float = 80, margin: Float = 0.4,
    reduction: Reduction = .mean
  ) {
    precondition(gamma > 0, "CircleLoss: gamma \(gamma) must be positive")
    self.distance = distance
    self.gamma = gamma
    self.margin = margin
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "CircleLoss", distance: distance, queries: queries, queryLabels: queryLabels, keys: keys,
      keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)
    // O_p = m, O_n = 1 + m, Δ_p = m, Δ_n = 1 − m in the distance form.
    let positiveWeights = (margin + distances).maximum(0)
    let negativeWeights = ((1 + margin) - distances).maximum(0)
    let positiveLogits = -gamma * positiveWeights * (margin - distances)
    let negativeLogits = gamma * negativeWeights * ((1 - margin) - distances)
    let positiveTerm = MaskedReductions.logSumExpPlusOne(positiveLogits, mask: masks.positive)
    let negativeTerm = MaskedReductions.logSumExpPlusOne(negativeLogits, mask: masks.negative)
    return (positiveTerm + negativeTerm) * masks.validAnchors
  }
}
