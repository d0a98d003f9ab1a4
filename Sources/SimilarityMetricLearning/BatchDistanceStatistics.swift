import SimilaritySearch
import SimilarityTensors

/// Distance statistics of one batch for monitoring training, TF Similarity's training metrics
/// (`min_pos`, `max_pos`, `avg_pos`, `min_neg`, `max_neg`, `avg_neg`, `dist_gap`).
///
/// Taken over all positive pairs (same label, `i ≠ j`) and all negative pairs of the
/// `[Q, K]` matrix. TF Similarity's `avg_pos` averages each anchor's hardest positive; here the
/// mean is over pairs. A statistic is `nil` when the batch has no pair of that kind. For
/// `.innerProduct` the values are similarities.
public struct BatchDistanceStatistics: Equatable, Sendable {
  /// The smallest positive-pair distance.
  public let minPositive: Float?
  /// The largest positive-pair distance.
  public let maxPositive: Float?
  /// The mean positive-pair distance.
  public let meanPositive: Float?
  /// The smallest negative-pair distance.
  public let minNegative: Float?
  /// The largest negative-pair distance.
  public let maxNegative: Float?
  /// The mean negative-pair distance.
  public let meanNegative: Float?

  /// Statistics of `distances` (`[Q, K]`) under `masks`.
  public init(distances: Tensor, masks: PairMasks) {
    precondition(
      distances.shape == masks.positive.shape,
      "BatchDistanceStatistics: distances \(distances.shape) and masks \(masks.positive.shape)")
    func summary(_ mask: Tensor) -> (min: Float?, max: Float?, mean: Float?) {
      let values = zip(distances.scalars, mask.scalars).compactMap { $1 != 0 ? $0 : nil }
      guard let low = values.min(), let high = values.max() else { return (nil, nil, nil) }
      let total = values.reduce(0.0) { $0 + Double($1) }
      return (low, high, Float(total / Double(values.count)))
    }
    (minPositive, maxPositive, meanPositive) = summary(masks.positive)
    (minNegative, maxNegative, meanNegative) = summary(masks.negative)
  }

  /// Statistics of a labelled batch `embeddings` (`[batch, dimension]`) under `distance`.
  public init(embeddings: Tensor, labels: [Int], distance: Distance = .cosine) {
    precondition(
      embeddings.rank == 2 && embeddings.shape[0] == labels.count,
      "BatchDistanceStatistics: embeddings \(embeddings.shape) need \(labels.count) rows")
    self.init(
      distances: distance.pairwise(embeddings.detached, embeddings.detached),
      masks: PairMasks(queryLabels: labels, keyLabels: labels))
  }

  /// `|min negative − max positive|` (TF Similarity's `DistanceGapMetric`).
  public var gap: Float? {
    guard let minNegative, let maxPositive else { return nil }
    return Swift.abs(minNegative - maxPositive)
  }
}
