import SimilaritySearch
import SimilarityTensors

/// The soft nearest neighbour loss of Frosst, Papernot & Hinton 2019, "Analyzing and
/// Improving Representations with the Soft Nearest Neighbor Loss"
/// (https://arxiv.org/abs/1902.01889), as in TF Similarity.
///
/// With temperature `T`, for anchor `i` over the other keys `j`:
///
///     loss_i = −log(ε + Σ_{j positive} e^(−d_ij / T) / Σ_{j ≠ i} e^(−d_ij / T)),  ε = 1e-9
///
/// and 0 for anchors without a positive (they are excluded but still count in the mean, as
/// in TF Similarity). Both sums are shifted by the row's smallest distance (the ratio does
/// not change), so small temperatures do not underflow every term to 0 (TF Similarity then
/// divides 0 by 0).
public struct SoftNearestNeighborLoss: PairwiseMetricLoss, Sendable {
  /// The distance between embeddings (TF Similarity: squared Euclidean).
  public var distance: Distance
  /// The temperature `T` (1).
  public var temperature: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with TF Similarity's defaults.
  public init(
    distance: Distance = .squaredEuclidean, temperature: Float = 1, reduction: Reduction = .mean
  ) {
    precondition(
      temperature > 0 && temperature.isFinite,
      "SoftNearestNeighborLoss: temperature \(temperature) must be positive")
    self.distance = distance
    self.temperature = temperature
    self.reduction = reduction
  }

  /// The loss of every query, `[Q]` (see ``PairwiseMetricLoss``).
  public func perExampleLoss(
    queries: Tensor, queryLabels: [Int], keys: Tensor, keyLabels: [Int], removesDiagonal: Bool
  ) -> Tensor {
    let inputs = PairwiseLossInputs(
      "SoftNearestNeighborLoss", distance: distance, queries: queries, queryLabels: queryLabels,
      keys: keys, keyLabels: keyLabels, removesDiagonal: removesDiagonal)
    let (rows, columns) = (queryLabels.count, keyLabels.count)
    let logits = -inputs.distances / temperature
    let masks = inputs.masks
    var others = [Float](repeating: 1, count: rows * columns)
    if removesDiagonal {
      for i in 0..<Swift.min(rows, columns) { others[i * columns + i] = 0 }
    }
    let neighbourhood = Tensor(shape: [rows, columns], scalars: others)
    // Shift every row by its largest valid logit (a constant): the ratio is unchanged.
    let columnsOfMaximum = MaskedReductions.argExtreme(logits, mask: neighbourhood, isMax: true)
    let shift = Tensor(
      shape: [rows, 1],
      scalars: columnsOfMaximum.enumerated().map { i, j in
        j.map { logits.scalars[i * columns + $0] } ?? 0
      })
    let terms = Tensor.where(neighbourhood, logits - shift, Tensor(-Float.infinity)).exp()
    let all = terms.sum(alongAxes: [1])
    let same = (terms * masks.positive).sum(alongAxes: [1])
    let hasPositive = Tensor(shape: [rows], scalars: masks.hasPositive.map { $0 ? 1 : 0 })
    // Rows without positives (or without any neighbour) divide 0 by 1 instead of by 0.
    let ratio = same / Tensor.where(hasPositive, all, Tensor(1))
    return -(ratio + 1e-9).log() * hasPositive
  }
}
