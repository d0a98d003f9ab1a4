import SimilaritySearch
import SimilarityTensors

/// The lifted structured loss of Oh Song, Xiang, Jegelka & Savarese 2016, "Deep Metric
/// Learning via Lifted Structured Feature Embedding" (https://arxiv.org/abs/1511.06452), in
/// TF Similarity's per-anchor form.
///
/// For anchor `i` with mined positive `p(i)` (``PositiveMining``, hard by default):
///
///     J_i = pos_i + log(1 + Σ_{k negative of i} e^(m − d_ik)
///                         + Σ_j [p(j) negative of i] e^(m − d_{i, p(j)}))
///     loss_i = J_i / 2
///
/// The second sum is TF Similarity's: it gathers the **columns** `p(j)` of anchor `i`'s row
/// (distances from `i` to every anchor's positive), not the paper's "negatives of the
/// positive" term; we copy it so the golden values agree. Anchors without a positive or a
/// negative contribute 0.
public struct LiftedStructureLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (cosine).
  public var distance: Distance
  /// Which positive each anchor uses (hard).
  public var positiveMining: PositiveMining
  /// The margin `m` (1).
  public var margin: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(
    distance: Distance = .cosine, positiveMining: PositiveMining = .hard, margin: Float = 1,
    reduction: Reduction = .mean
  ) {
    precondition(margin.isFinite, "LiftedStructureLoss: margin \(margin) must be finite")
    self.distance = distance
    self.positiveMining = positiveMining
    self.margin = margin
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "LiftedStructureLoss", distance: distance, queries: queries, queryLabels: queryLabels,
      keys: keys, keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)
    let (positive, positiveColumns) = positiveMining.mine(distances, masks: masks)
    // Column j of the gathered block is each anchor's distance to query j's positive.
    let gatherColumns = positiveColumns.map { $0 ?? 0 }
    let gathered = distances.gathering(indices: gatherColumns, alongAxis: 1)
    let hasPositive = Tensor(
      shape: [1, positiveColumns.count], scalars: positiveColumns.map { $0 == nil ? 0 : 1 })
    let gatheredMask = masks.negative.gathering(indices: gatherColumns, alongAxis: 1) * hasPositive
    let logits = margin - Tensor.concatenated([distances, gathered], alongAxis: 1)
    let mask = Tensor.concatenated([masks.negative, gatheredMask], alongAxis: 1)
    let j = MaskedReductions.logSumExpPlusOne(logits, mask: mask) + positive
    return j * 0.5 * masks.validAnchors
  }
}
