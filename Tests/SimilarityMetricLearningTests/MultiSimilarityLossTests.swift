import Foundation
import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct MultiSimilarityLossTests {
  /// The loss of every anchor, written as plainly as possible from the formula.
  static func naive(
    _ loss: MultiSimilarityLoss, embeddings: Tensor, labels: [Int]
  ) -> [Double] {
    let d = naiveDistanceMatrix(loss.distance, embeddings)
    let n = labels.count
    return (0..<n).map { i in
      let positives = (0..<n).filter { $0 != i && labels[$0] == labels[i] }
      let negatives = (0..<n).filter { labels[$0] != labels[i] }
      guard let minNeg = negatives.map({ d[i][$0] }).min(),
        let maxPos = positives.map({ d[i][$0] }).max()
      else { return 0 }
      let epsilon = Double(loss.epsilon)
      let minedP = positives.filter { d[i][$0] > minNeg - epsilon }
      let minedN = negatives.filter { d[i][$0] < maxPos + epsilon }
      if minedP.isEmpty || minedN.isEmpty { return 0 }
      let shift = Double(loss.lambda - loss.center)
      let (alpha, beta) = (Double(loss.alpha), Double(loss.beta))
      let p = naiveLogOnePlusSumExp(minedP.map { alpha * (d[i][$0] + shift) }) / alpha
      let q = naiveLogOnePlusSumExp(minedN.map { -beta * (d[i][$0] + shift) }) / beta
      return p + q
    }
  }

  @Test(arguments: [Distance.cosine, .squaredEuclidean, .innerProduct], [UInt64(1), 2, 3])
  func agreesWithANaiveLoop(distance: Distance, seed: UInt64) {
    let (embeddings, labels) = randomBatch(count: 24, dimension: 8, classes: 4, seed: seed)
    let loss = MultiSimilarityLoss(distance: distance, beta: 10, reduction: .none)
    let values = loss(embeddings: embeddings, labels: labels)
    let expected = Self.naive(loss, embeddings: embeddings, labels: labels)
    #expect(values.shape == [24])
    #expect(isClose(values.scalars, expected, tolerance: 1e-4), "\(values.scalars) vs \(expected)")
    #expect(expected.contains { $0 > 0.01 })
  }

  @Test func defaultsAreTFSimilarity() {
    let loss = MultiSimilarityLoss()
    #expect(loss.distance == .cosine && loss.alpha == 2 && loss.beta == 40)
    #expect(loss.epsilon == 0.1 && loss.lambda == 0.5 && loss.center == 1)
    #expect(loss.reduction == .mean)
  }

  @Test func meanIsTheSumOverTheBatchSize() {
    let (embeddings, labels) = randomBatch(count: 16, dimension: 6, classes: 3, seed: 9)
    let perExample = MultiSimilarityLoss(reduction: .none)(embeddings: embeddings, labels: labels)
    let mean = MultiSimilarityLoss()(embeddings: embeddings, labels: labels)
    let sum = MultiSimilarityLoss(reduction: .sum)(embeddings: embeddings, labels: labels)
    let total = perExample.scalars.reduce(0, +)
    #expect(abs(sum.item - total) < 1e-4)
    #expect(abs(mean.item - total / 16) < 1e-5)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 12, dimension: 5, classes: 3, seed: 4)
    let loss = MultiSimilarityLoss(beta: 10)
    expectGradientMatchesFiniteDifferences(at: embeddings) {
      loss(embeddings: $0, labels: labels)
    }
  }

  @Test func batchWithoutNegativesIsZeroNotNaN() {
    let (embeddings, _) = randomBatch(count: 6, dimension: 4, classes: 2, seed: 1)
    let labels = [Int](repeating: 3, count: 6)
    let variable = embeddings.variable()
    let value = MultiSimilarityLoss()(embeddings: variable, labels: labels)
    #expect(value.item == 0)
    #expect(value.gradients(of: [variable])[0].scalars.allSatisfy { $0 == 0 })
  }
}
