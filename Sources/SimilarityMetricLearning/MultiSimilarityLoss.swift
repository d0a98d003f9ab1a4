import SimilaritySearch
import SimilarityTensors

/// The multi-similarity loss of Wang et al. 2019, "Multi-Similarity Loss with General Pair
/// Weighting for Deep Metric Learning" (https://arxiv.org/abs/1904.06627), in TF Similarity's
/// distance form.
///
/// For anchor `i` with dissimilarities `d` (see ``Distance/pairwise(_:_:)``):
///
///     mined positives  P = { j positive : d_ij > min_neg(i) − ε }
///     mined negatives  N = { j negative : d_ij < max_pos(i) + ε }
///     s_ij = d_ij + λ − center
///     loss_i = (1/α) log(1 + Σ_P e^(α s_ij)) + (1/β) log(1 + Σ_N e^(−β s_ij))
///
/// and 0 for anchors with an empty `P` or `N`. With the cosine distance (`d = 1 − S`) and
/// `center = 1` this is the paper's similarity form; for `.innerProduct` (`d = −S`) use
/// `center = 0`. Not comparable with PyTorch Metric Learning's values (its β default is 50).
public struct MultiSimilarityLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (TF Similarity: cosine).
  public var distance: Distance
  /// Sharpness of the positive term α (2).
  public var alpha: Float
  /// Sharpness of the negative term β (40).
  public var beta: Float
  /// Mining slack ε (0.1).
  public var epsilon: Float
  /// The similarity threshold λ, as a shift of the distances (0.5).
  public var lambda: Float
  /// The expected distance, subtracted before weighting (1 for cosine distances in [0, 2]).
  public var center: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(
    distance: Distance = .cosine, alpha: Float = 2, beta: Float = 40, epsilon: Float = 0.1,
    lambda: Float = 0.5, center: Float = 1, reduction: Reduction = .mean
  ) {
    precondition(
      alpha > 0 && beta > 0, "MultiSimilarityLoss: alpha \(alpha) and beta \(beta) must be > 0")
    self.distance = distance
    self.alpha = alpha
    self.beta = beta
    self.epsilon = epsilon
    self.lambda = lambda
    self.center = center
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "MultiSimilarityLoss", distance: distance, queries: queries, queryLabels: queryLabels, keys: keys,
      keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)

    // Pair mining (the paper's Similarity-P), on values only.
    let plain = distances.detached
    let nearestNegative = MaskedReductions.min(plain, mask: masks.negative).values
    let farthestPositive = MaskedReductions.max(plain, mask: masks.positive).values
    let minedPositive =
      masks.positive * plain.isGreater(than: (nearestNegative - epsilon).expandingShape(at: 1))
    let minedNegative =
      masks.negative * plain.isLess(than: (farthestPositive + epsilon).expandingShape(at: 1))
    let valid = minedPositive.sum(alongAxes: [1]).isGreater(than: 0)
      * minedNegative.sum(alongAxes: [1]).isGreater(than: 0)

    let shifted = distances + (lambda - center)
    let positiveTerm =
      MaskedReductions.logSumExpPlusOne(alpha * shifted, mask: minedPositive) / alpha
    let negativeTerm =
      MaskedReductions.logSumExpPlusOne(-beta * shifted, mask: minedNegative) / beta
    return (positiveTerm + negativeTerm) * valid
  }
}
