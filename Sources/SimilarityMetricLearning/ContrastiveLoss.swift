import SimilarityTensors

/// The contrastive loss of Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning
/// an Invariant Mapping" (http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf),
/// as used by Keras' `mnist_siamese` example:
///
///     loss = mean( y · d² + (1 − y) · max(margin − d, 0)² )
///
/// where `d` is the distance between the two embeddings of a pair and `y = 1` marks a similar
/// pair. Similar pairs are pulled together; dissimilar pairs are pushed at least `margin` apart.
public struct ContrastiveLoss: Sendable {
  /// How far apart dissimilar pairs must be before they stop contributing.
  public let margin: Float

  /// - Parameter margin: must be positive (Keras' example uses 1).
  public init(margin: Float = 1) {
    precondition(margin > 0 && margin.isFinite, "ContrastiveLoss: margin \(margin) must be positive")
    self.margin = margin
  }

  /// The mean loss over a batch of pairs.
  ///
  /// - Parameters:
  ///   - distances: `[batch]`, the distance of each pair (non-negative).
  ///   - labels: `[batch]`, 1 for a similar pair and 0 for a dissimilar one.
  /// - Returns: a scalar.
  public func callAsFunction(distances: Tensor, labels: Tensor) -> Tensor {
    precondition(
      distances.shape == labels.shape,
      "ContrastiveLoss: distances \(distances.shape) and labels \(labels.shape) differ")
    let similar = labels * distances.squared()
    let shortfall = (margin - distances).maximum(0)
    let dissimilar = (1 - labels) * shortfall.squared()
    return (similar + dissimilar).mean()
  }
}

/// The Euclidean distance between the rows of two embedding batches, floored so that its
/// gradient stays finite when two embeddings coincide: `sqrt(max(Σ (a − b)², epsilon))`
/// (Keras' `euclidean_distance` with `K.epsilon() = 1e-7`).
///
/// - Parameters:
///   - a: `[batch, dimension]`.
///   - b: `[batch, dimension]`.
/// - Returns: `[batch]`.
public func euclideanDistance(_ a: Tensor, _ b: Tensor, epsilon: Float = 1e-7) -> Tensor {
  precondition(
    a.rank == 2 && a.shape == b.shape, "euclideanDistance: shapes \(a.shape) and \(b.shape)")
  return (a - b).squared().sum(alongAxes: [1]).maximum(epsilon).sqrt()
}

/// The fraction of pairs classified correctly when a pair is called similar exactly when its
/// distance is below `threshold`: `mean((d < threshold) == y)` (Keras' `compute_accuracy`).
///
/// - Parameters:
///   - distances: one distance per pair.
///   - labels: 1 for a similar pair, 0 for a dissimilar one.
public func pairAccuracy(distances: [Float], labels: [Float], threshold: Float = 0.5) -> Double {
  precondition(
    distances.count == labels.count,
    "pairAccuracy: \(distances.count) distances but \(labels.count) labels")
  guard !distances.isEmpty else { return 0 }
  var correct = 0
  for (distance, label) in zip(distances, labels) where (distance < threshold) == (label == 1) {
    correct += 1
  }
  return Double(correct) / Double(distances.count)
}
