import Foundation
import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct SoftNearestNeighborLossTests {
  /// TF Similarity's loop reference, in `Double`.
  static func naive(
    temperature: Double, embeddings: Tensor, labels: [Int]
  ) -> [Double] {
    let d = naiveDistanceMatrix(.squaredEuclidean, embeddings)
    return labels.indices.map { i in
      let others = labels.indices.filter { $0 != i }
      let positives = others.filter { labels[$0] == labels[i] }
      if positives.isEmpty { return 0 }
      let all = others.reduce(0.0) { $0 + Foundation.exp(-d[i][$1] / temperature) }
      let same = positives.reduce(0.0) { $0 + Foundation.exp(-d[i][$1] / temperature) }
      return -Foundation.log(1e-9 + same / all)
    }
  }

  @Test(arguments: [0.1, 0.5, 1, 2, 5, 10, 50] as [Float])
  func agreesWithALoopReference(temperature: Float) {
    let (embeddings, labels) = randomBatch(
      count: 20, dimension: 10, classes: 5, seed: 17, normalized: false)
    let loss = SoftNearestNeighborLoss(temperature: temperature, reduction: .none)
    let values = loss(embeddings: embeddings, labels: labels)
    let expected = Self.naive(
      temperature: Double(temperature), embeddings: embeddings, labels: labels)
    #expect(zip(values.scalars, expected).allSatisfy { abs(Double($0) - $1) < 1e-3 })
    let mean = SoftNearestNeighborLoss(temperature: temperature)(
      embeddings: embeddings, labels: labels)
    #expect(abs(Double(mean.item) - expected.reduce(0, +) / 20) < 1e-3)
  }

  @Test func defaultsAreTFSimilarity() {
    let loss = SoftNearestNeighborLoss()
    #expect(loss.distance == .squaredEuclidean && loss.temperature == 1)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 4, classes: 3, seed: 19)
    let loss = SoftNearestNeighborLoss(temperature: 0.5)
    expectGradientMatchesFiniteDifferences(at: embeddings) { loss(embeddings: $0, labels: labels) }
  }

  @Test func singletonClassesContributeZero() {
    let (embeddings, _) = randomBatch(count: 4, dimension: 3, classes: 2, seed: 2)
    let value = SoftNearestNeighborLoss(reduction: .none)(
      embeddings: embeddings, labels: [0, 0, 1, 2])
    #expect(value.scalars[2] == 0 && value.scalars[3] == 0 && value.scalars[0] > 0)
  }

  @Test func tinyTemperatureDoesNotDivideZeroByZero() {
    let (embeddings, labels) = randomBatch(
      count: 8, dimension: 4, classes: 2, seed: 3, normalized: false)
    let value = SoftNearestNeighborLoss(temperature: 1e-3)(embeddings: embeddings, labels: labels)
    #expect(value.item.isFinite)
  }
}
