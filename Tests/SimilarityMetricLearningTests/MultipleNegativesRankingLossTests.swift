import Foundation
import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct MultipleNegativesRankingLossTests {
  @Test(arguments: [UInt64(1), 2])
  func agreesWithANaiveLoop(seed: UInt64) {
    let (queries, _) = randomBatch(count: 8, dimension: 6, classes: 2, seed: seed)
    let (keys, _) = randomBatch(count: 8, dimension: 6, classes: 2, seed: seed + 100)
    let loss = MultipleNegativesRankingLoss(reduction: .none)
    let values = loss(queries: queries, keys: keys)
    let (q, k) = (rowArrays(queries), rowArrays(keys))
    let expected = q.indices.map { i in
      let scores = k.map { 20 * Double(Distance.innerProduct.reference(q[i], $0)) }
      let top = scores.max()!
      return top + Foundation.log(scores.reduce(0) { $0 + Foundation.exp($1 - top) }) - scores[i]
    }
    #expect(isClose(values.scalars, expected, tolerance: 1e-4))
    let mean = MultipleNegativesRankingLoss()(queries: queries, keys: keys)
    #expect(abs(Double(mean.item) - expected.reduce(0, +) / 8) < 1e-4)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (queries, _) = randomBatch(count: 6, dimension: 4, classes: 2, seed: 3)
    let (keys, _) = randomBatch(count: 6, dimension: 4, classes: 2, seed: 4)
    let loss = MultipleNegativesRankingLoss(scale: 5)
    expectGradientMatchesFiniteDifferences(at: queries) { loss(queries: $0, keys: keys) }
    expectGradientMatchesFiniteDifferences(at: keys) { loss(queries: queries, keys: $0) }
  }
}
