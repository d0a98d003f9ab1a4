import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct BatchDistanceStatisticsTests {
  @Test func handBatch() {
    // Points on a line, labels [0, 0, 1, 1]: positives |0−1| = 1 and |5−7| = 2,
    // negatives 5, 7, 4, 6 (each twice).
    let embeddings = Tensor(rows: [[0], [1], [5], [7]])
    let stats = BatchDistanceStatistics(
      embeddings: embeddings, labels: [0, 0, 1, 1], distance: .manhattan)
    #expect(stats.minPositive == 1 && stats.maxPositive == 2 && stats.meanPositive == 1.5)
    #expect(stats.minNegative == 4 && stats.maxNegative == 7 && stats.meanNegative == 5.5)
    #expect(stats.gap == 2)
  }

  @Test func noPositivesGivesNil() {
    let stats = BatchDistanceStatistics(
      embeddings: Tensor(rows: [[0], [1]]), labels: [0, 1], distance: .euclidean)
    #expect(stats.minPositive == nil && stats.meanPositive == nil && stats.gap == nil)
    #expect(stats.minNegative == 1)
  }
}
