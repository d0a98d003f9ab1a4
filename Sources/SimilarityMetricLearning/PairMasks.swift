import SimilarityTensors

/// Which query–key pairs of a batch share a label (positives) and which do not (negatives),
/// as 0/1 tensors `[Q, K]` (TF Similarity's `build_masks`).
///
/// With `removesDiagonal` (the default, used when the keys are the queries or start with
/// them), the pair `(i, i)` is not a positive: an example is not its own positive.
public struct PairMasks: Sendable {
  /// `[Q, K]`, 1 where the labels are equal (and `i ≠ j` when the diagonal is removed).
  public let positive: Tensor
  /// `[Q, K]`, 1 where the labels differ.
  public let negative: Tensor
  /// Per query, whether it has at least one positive.
  public let hasPositive: [Bool]
  /// Per query, whether it has at least one negative.
  public let hasNegative: [Bool]

  /// Builds the masks of `queryLabels` against `keyLabels`.
  public init(queryLabels: [Int], keyLabels: [Int], removesDiagonal: Bool = true) {
    let (rows, columns) = (queryLabels.count, keyLabels.count)
    var positive = [Float](repeating: 0, count: rows * columns)
    var negative = [Float](repeating: 0, count: rows * columns)
    var hasPositive = [Bool](repeating: false, count: rows)
    var hasNegative = [Bool](repeating: false, count: rows)
    for i in 0..<rows {
      for j in 0..<columns {
        if queryLabels[i] != keyLabels[j] {
          negative[i * columns + j] = 1
          hasNegative[i] = true
        } else if !(removesDiagonal && i == j) {
          positive[i * columns + j] = 1
          hasPositive[i] = true
        }
      }
    }
    self.positive = Tensor(shape: [rows, columns], scalars: positive)
    self.negative = Tensor(shape: [rows, columns], scalars: negative)
    self.hasPositive = hasPositive
    self.hasNegative = hasNegative
  }

  /// Per query, 1 when it has both a positive and a negative, else 0, `[Q]`: the anchors a
  /// loss is defined for. The others contribute exactly zero.
  public var validAnchors: Tensor {
    Tensor(
      shape: [hasPositive.count],
      scalars: zip(hasPositive, hasNegative).map { $0 && $1 ? 1 : 0 })
  }
}
