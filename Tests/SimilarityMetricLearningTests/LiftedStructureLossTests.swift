import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct LiftedStructureLossTests {
  @Test func perfectBatchMarginOnePointOneGoldenSum() {
    // Per anchor: (log(1 + 124·e^0.1) + 0) / 2.
    let (embeddings, labels) = perfectTestBatch()
    let value = LiftedStructureLoss(margin: 1.1, reduction: .sum)(
      embeddings: embeddings, labels: labels)
    #expect(abs(value.item - 157.68167) < 1e-3)
  }

  @Test func perfectBatchMarginOneGoldenSum() {
    let (embeddings, labels) = perfectTestBatch()
    let value = LiftedStructureLoss(reduction: .sum)(embeddings: embeddings, labels: labels)
    #expect(abs(value.item - 64 * 2.414156913757324) < 1e-3)
  }

  @Test func badBatchGoldenValues() {
    // Per anchor: (log(1 + 2e + 122) + 1) / 2.
    let (embeddings, labels) = badTestBatch()
    let sum = LiftedStructureLoss(reduction: .sum)(embeddings: embeddings, labels: labels)
    let each = LiftedStructureLoss(reduction: .none)(embeddings: embeddings, labels: labels)
    #expect(abs(sum.item - 187.37393) < 1e-3)
    #expect(each.shape == [64])
    #expect(each.scalars.allSatisfy { abs($0 - 2.927718) < 1e-5 })
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 5, classes: 3, seed: 31)
    for mining in PositiveMining.allCases {
      let loss = LiftedStructureLoss(positiveMining: mining)
      expectGradientMatchesFiniteDifferences(at: embeddings) {
        loss(embeddings: $0, labels: labels)
      }
    }
  }

  @Test func batchWithoutPositivesIsZeroNotNaN() {
    let (embeddings, _) = randomBatch(count: 4, dimension: 3, classes: 2, seed: 1)
    let value = LiftedStructureLoss()(embeddings: embeddings, labels: [0, 1, 2, 3])
    #expect(value.item == 0)
  }
}
