import Testing

@testable import SimilarityEvaluation

@Suite struct ClassificationEvaluationTests {
  @Test func memoryEvaluatorGoldenValues() throws {
    // test_memory_evaluator.py: every other nearest neighbour has the wrong label (10), and an
    // infinite threshold accepts all: tp 4, fp 4, fn 0.
    let queryLabels = [0, 0, 1, 1, 2, 2, 3, 3]
    let nearest = [0, 10, 1, 10, 2, 10, 3, 10]
    let batch = nearest.map { [LookupResult(distance: 0.5, label: $0)] }
    let evaluation = try evaluateClassification(
      queryLabels: queryLabels, lookups: batch, metrics: [.precision, .recall])
    #expect(evaluation.thresholds == [.infinity])
    #expect(evaluation[.precision] == [0.5])
    #expect(evaluation[.recall] == [1])
    #expect(evaluation[.f1] == nil)
  }

  @Test func majorityVoteEvaluationUsesTheMeanDistance() throws {
    // Votes 4, 4, 5 → 4 at mean distance 0.2; the query label is 4.
    let batch = lookups(labels: [[4, 4, 5]], distances: [[0.1, 0.2, 0.3]])
    let evaluation = try evaluateClassification(
      queryLabels: [4], lookups: batch, thresholds: [0.15, 0.2, 0.25],
      metrics: [.recall], strategy: .majorityVote)
    #expect(evaluation[.recall] == [0, 1, 1])
    #expect(evaluation.counts.truePositives == [0, 1, 1])
  }
}
