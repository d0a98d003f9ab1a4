import SimilaritySearch
import SimilarityTensors

/// The positive–negative (PN) loss of Ivis: Szubert, Cole, Monaco & Drozdov 2019,
/// "Structure-preserving visualisation of high dimensional single-cell datasets", Sci Rep 9,
/// 8914 (https://doi.org/10.1038/s41598-019-45301-0).
///
/// A triplet loss whose negative term is the smaller of the anchor–negative and the
/// positive–negative dissimilarities, so both the anchor and its positive are pushed away:
///
///     neg_i = min(d(a_i, n_i), d(p_i, n_i))
///     loss_i = max(pos_i − neg_i + margin, 0), or log(1 + e^(pos_i − neg_i)) (margin nil)
///
/// with `p_i`, `n_i` mined as in ``TripletLoss``. Anchors without a positive or a negative
/// contribute 0.
public struct PNLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (cosine).
  public var distance: Distance
  /// Which positive each anchor uses (hard).
  public var positiveMining: PositiveMining
  /// Which negative each anchor uses (semi-hard).
  public var negativeMining: NegativeMining
  /// The hinge margin, or `nil` for the soft margin (the default).
  public var margin: Float?
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(
    distance: Distance = .cosine, positiveMining: PositiveMining = .hard,
    negativeMining: NegativeMining = .semiHard, margin: Float? = nil,
    reduction: Reduction = .mean
  ) {
    if let margin {
      precondition(margin.isFinite, "PNLoss: margin \(margin) must be finite")
    }
    self.distance = distance
    self.positiveMining = positiveMining
    self.negativeMining = negativeMining
    self.margin = margin
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "PNLoss", distance: distance, queries: queries, queryLabels: queryLabels, keys: keys,
      keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)
    let (positive, positiveColumns) = positiveMining.mine(distances, masks: masks)
    let (negative, negativeColumns) = negativeMining.mine(distances, masks: masks)
    // d(p_i, n_i) between the two mined keys (rows without both use key 0, masked below).
    let positiveKeys = keys.gathering(indices: positiveColumns.map { $0 ?? 0 })
    let negativeKeys = keys.gathering(indices: negativeColumns.map { $0 ?? 0 })
    let positiveToNegative = distance.pairedDissimilarities(positiveKeys, negativeKeys)
    let hardest = negative.minimum(positiveToNegative)
    return tripletHinge(positive: positive, negative: hardest, margin: margin)
      * masks.validAnchors
  }
}
