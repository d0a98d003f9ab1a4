import Foundation
import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct CircleLossTests {
  /// The loss of every anchor, straight from the distance-form formula.
  static func naive(_ loss: CircleLoss, embeddings: Tensor, labels: [Int]) -> [Double] {
    let d = naiveDistanceMatrix(loss.distance, embeddings)
    let (gamma, m) = (Double(loss.gamma), Double(loss.margin))
    return labels.indices.map { i in
      let positives = labels.indices.filter { $0 != i && labels[$0] == labels[i] }
      let negatives = labels.indices.filter { labels[$0] != labels[i] }
      if positives.isEmpty || negatives.isEmpty { return 0 }
      let p = positives.map { j in -gamma * Swift.max(m + d[i][j], 0) * (m - d[i][j]) }
      let n = negatives.map { j in gamma * Swift.max(1 + m - d[i][j], 0) * (1 - m - d[i][j]) }
      return naiveLogOnePlusSumExp(p) + naiveLogOnePlusSumExp(n)
    }
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func agreesWithANaiveLoop(seed: UInt64) {
    let (embeddings, labels) = randomBatch(count: 20, dimension: 6, classes: 4, seed: seed)
    let loss = CircleLoss(gamma: 16, reduction: .none)
    let expected = Self.naive(loss, embeddings: embeddings, labels: labels)
    let values = loss(embeddings: embeddings, labels: labels)
    #expect(isClose(values.scalars, expected, tolerance: 1e-4), "\(values.scalars) vs \(expected)")
    #expect(expected.contains { $0 > 0.01 })
  }

  @Test func defaultGammaStaysFinite() {
    // γ = 80 puts logits near 100: the shifted log-sum-exp must not overflow.
    let (embeddings, labels) = randomBatch(count: 16, dimension: 4, classes: 3, seed: 5)
    let loss = CircleLoss(reduction: .none)
    let values = loss(embeddings: embeddings, labels: labels)
    let expected = Self.naive(loss, embeddings: embeddings, labels: labels)
    #expect(isClose(values.scalars, expected, tolerance: 1e-4))
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 5, classes: 3, seed: 6)
    let loss = CircleLoss(gamma: 8)
    expectGradientMatchesFiniteDifferences(at: embeddings) { loss(embeddings: $0, labels: labels) }
  }

  @Test func batchWithoutNegativesIsZeroNotNaN() {
    let (embeddings, _) = randomBatch(count: 4, dimension: 3, classes: 2, seed: 7)
    let variable = embeddings.variable()
    let value = CircleLoss()(embeddings: variable, labels: [1, 1, 1, 1])
    #expect(value.item == 0)
    #expect(value.gradients(of: [variable])[0].scalars.allSatisfy { $0 == 0 })
  }
}
