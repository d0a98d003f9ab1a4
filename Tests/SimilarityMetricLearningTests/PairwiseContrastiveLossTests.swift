import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct PairwiseContrastiveLossTests {
  static func naive(
    _ loss: PairwiseContrastiveLoss, embeddings: Tensor, labels: [Int]
  ) -> [Double] {
    let d = naiveDistanceMatrix(loss.distance, embeddings)
    let margin = Double(loss.margin)
    return labels.indices.map { i in
      let others = labels.indices.filter { $0 != i }
      let hasPositive = others.contains { labels[$0] == labels[i] }
      let hasNegative = others.contains { labels[$0] != labels[i] }
      if !hasPositive || !hasNegative { return 0 }
      let total = others.reduce(0.0) { sum, j in
        labels[j] == labels[i]
          ? sum + d[i][j] * d[i][j] : sum + Swift.max(margin - d[i][j], 0) * Swift.max(margin - d[i][j], 0)
      }
      return total / Double(others.count)
    }
  }

  @Test(arguments: [Distance.euclidean, .cosine], [UInt64(1), 2])
  func agreesWithANaiveLoop(distance: Distance, seed: UInt64) {
    let (embeddings, labels) = randomBatch(count: 16, dimension: 5, classes: 4, seed: seed)
    let loss = PairwiseContrastiveLoss(distance: distance, margin: 1.2, reduction: .none)
    let values = loss(embeddings: embeddings, labels: labels)
    let expected = Self.naive(loss, embeddings: embeddings, labels: labels)
    #expect(isClose(values.scalars, expected, tolerance: 1e-4))
  }

  @Test func matchesContrastiveLossOnTheSamePairs() {
    // Two examples: one negative pair each way, so the mean equals ContrastiveLoss on it.
    let embeddings = Tensor(rows: [[0, 0], [0.6, 0], [0, 0.2]])
    let labels = [0, 1, 0]
    let value = PairwiseContrastiveLoss(reduction: .none)(embeddings: embeddings, labels: labels)
    // Anchor 0: positive d = 0.2 → 0.04; negative d = 0.6 → 0.16; mean 0.1.
    #expect(abs(value.scalars[0] - 0.1) < 1e-6)
    #expect(value.scalars[1] == 0)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 4, classes: 3, seed: 9)
    let loss = PairwiseContrastiveLoss(margin: 1.5)
    expectGradientMatchesFiniteDifferences(at: embeddings) { loss(embeddings: $0, labels: labels) }
  }
}
