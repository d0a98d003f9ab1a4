import SimilaritySearch
import SimilarityTensors

/// The triplet loss of Schroff, Kalenichenko & Philbin 2015, "FaceNet: A Unified Embedding
/// for Face Recognition and Clustering" (https://arxiv.org/abs/1503.03832), with online
/// (batch) mining as in TF Similarity.
///
/// For each anchor `i`, one positive and one negative dissimilarity are mined from the batch
/// (``PositiveMining``, ``NegativeMining``), then
///
///     loss_i = max(pos_i − neg_i + margin, 0)      with a margin
///     loss_i = log(1 + e^(pos_i − neg_i))          soft margin (margin nil, the default)
///
/// Anchors without a positive or a negative contribute 0 (TF Similarity mines a meaningless
/// value for them). For `.innerProduct` the dissimilarity is `−a·b` (see
/// ``Distance/pairwise(_:_:)``).
public struct TripletLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (cosine).
  public var distance: Distance
  /// Which positive each anchor uses (hard).
  public var positiveMining: PositiveMining
  /// Which negative each anchor uses (semi-hard).
  public var negativeMining: NegativeMining
  /// The hinge margin, or `nil` for the soft margin `log(1 + eˣ)` (the default).
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
      precondition(margin.isFinite, "TripletLoss: margin \(margin) must be finite")
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
      "TripletLoss", distance: distance, queries: queries, queryLabels: queryLabels, keys: keys,
      keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (distances, masks) = (inputs.distances, inputs.masks)
    let positive = positiveMining.mine(distances, masks: masks).values
    let negative = negativeMining.mine(distances, masks: masks).values
    return tripletHinge(positive: positive, negative: negative, margin: margin)
      * masks.validAnchors
  }
}
