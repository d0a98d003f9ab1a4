import SimilaritySearch
import SimilarityTensors

/// The contrastive loss of Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning
/// an Invariant Mapping" (http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf)
/// over every pair of a labelled batch (``ContrastiveLoss`` takes ready-made pairs instead).
///
/// For anchor `i` over the other keys `j` (`P` positives, `N` negatives):
///
///     loss_i = (Σ_P d_ij² + Σ_N max(margin − d_ij, 0)²) / (|P| + |N|)
///
/// so the mean over the batch is the mean over all ordered pairs when every anchor has the
/// same number of them. Anchors without a positive or a negative contribute 0. Not in TF
/// Similarity (PyTorch Metric Learning's `ContrastiveLoss` with `pos_margin = 0` and squared
/// terms is the closest).
public struct PairwiseContrastiveLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (Euclidean, as in the paper).
  public var distance: Distance
  /// How far apart negatives must be before they stop contributing (1).
  public var margin: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss; `margin` must be positive.
  public init(distance: Distance = .euclidean, margin: Float = 1, reduction: Reduction = .mean) {
    precondition(
      margin > 0 && margin.isFinite, "PairwiseContrastiveLoss: margin \(margin) must be positive")
    self.distance = distance
    self.margin = margin
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "PairwiseContrastiveLoss", distance: distance, queries: queries, queryLabels: queryLabels,
      keys: keys, keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)
    let pull = masks.positive * distances.squared()
    let push = masks.negative * (margin - distances).maximum(0).squared()
    let pairs = (masks.positive + masks.negative).sum(alongAxes: [1]).maximum(1)
    return (pull + push).sum(alongAxes: [1]) / pairs * masks.validAnchors
  }
}
