import SimilarityTensors

/// Which positive of each anchor a triplet-style loss uses.
public enum PositiveMining: String, CaseIterable, Codable, Sendable {
  /// The closest positive (masked minimum).
  case easy
  /// The farthest positive (masked maximum).
  case hard

  /// The mined positive dissimilarity per anchor `[Q]` and its key column (`nil` without a
  /// positive). `distances` is `[Q, K]`.
  public func mine(_ distances: Tensor, masks: PairMasks) -> (values: Tensor, columns: [Int?]) {
    switch self {
    case .easy: MaskedReductions.min(distances, mask: masks.positive)
    case .hard: MaskedReductions.max(distances, mask: masks.positive)
    }
  }
}

/// Which negative of each anchor a triplet-style loss uses.
public enum NegativeMining: String, CaseIterable, Codable, Sendable {
  /// The farthest negative (masked maximum).
  case easy
  /// The closest negative (masked minimum).
  case hard
  /// The closest negative that is farther than the anchor's farthest positive; when there is
  /// none, the farthest negative (FaceNet's semi-hard negatives, with TF Similarity's
  /// fallback). The farthest positive is used whatever the positive mining.
  case semiHard

  /// The mined negative dissimilarity per anchor `[Q]` and its key column (`nil` without a
  /// negative). `distances` is `[Q, K]`.
  public func mine(_ distances: Tensor, masks: PairMasks) -> (values: Tensor, columns: [Int?]) {
    switch self {
    case .easy: return MaskedReductions.max(distances, mask: masks.negative)
    case .hard: return MaskedReductions.min(distances, mask: masks.negative)
    case .semiHard:
      let farthestPositive = MaskedReductions.argExtreme(
        distances, mask: masks.positive, isMax: true)
      let farthestNegative = MaskedReductions.argExtreme(
        distances, mask: masks.negative, isMax: true)
      let width = distances.shape[1]
      let (d, negative) = (distances.scalars, masks.negative.scalars)
      let columns: [Int?] = (0..<distances.shape[0]).map { i in
        // TF Similarity compares with the masked maximum, which is 0 without positives.
        let threshold = farthestPositive[i].map { d[i * width + $0] } ?? 0
        var best: Int? = nil
        for j in 0..<width where negative[i * width + j] != 0 && d[i * width + j] > threshold {
          if best.map({ d[i * width + j] < d[i * width + $0] }) ?? true { best = j }
        }
        return best ?? farthestNegative[i]
      }
      return (distances.picking(columns: columns), columns)
    }
  }
}

/// The hinge of a triplet-style loss on `pos − neg` (dissimilarities, `[Q]`): with a margin
/// `max(pos − neg + margin, 0)`, without one (`nil`) the soft margin `log(1 + e^(pos − neg))`
/// (TF Similarity's default, computed stably).
func tripletHinge(positive: Tensor, negative: Tensor, margin: Float?) -> Tensor {
  let difference = positive - negative
  guard let margin else { return difference.softplus() }
  return (difference + margin).maximum(0)
}
