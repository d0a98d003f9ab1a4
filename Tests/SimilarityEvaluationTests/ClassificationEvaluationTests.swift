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

@Suite struct MatcherTests {
  let batch = lookups(
    labels: [[1, 2, 2], [3, 3, 1], [nil, 4, 4], [5, 6, 6]],
    distances: [[0.1, 0.2, 0.3], [0.5, 0.6, 0.7], [0.1, 0.2, 0.3], [0.35, 0.4, 0.5]])

  @Test func nearestAcceptsWithinTheThresholdAndOtherwiseSaysUnknown() {
    let matcher = Matcher(threshold: 0.35)
    // Query 2's nearest neighbour has no label, so its match is unknown too.
    #expect(matcher.match(batch) == [1, nil, nil, 5])
    #expect(matcher.match([]) == nil)
  }

  @Test func majorityVoteComparesTheMeanDistance() {
    // Means: 0.2, 0.6, 0.2, 0.41667.
    let matcher = Matcher(threshold: 0.45, strategy: .majorityVote)
    #expect(matcher.match(batch) == [2, nil, 4, 6])
  }

  @Test func aCalibratedCutpointAdmitsWhatItAdmittedDuringCalibration() throws {
    let queryLabels = [1, 2, 3]
    let calibrationLookups = lookups(
      labels: [[1], [2], [9]], distances: [[0.123456781], [0.2], [0.3]])
    let calibration = try Calibration(
      queryLabels: queryLabels, lookups: calibrationLookups, optimizing: .precision)
    // Precision is 1 up to 0.2 and the last argmax is kept.
    let matcher = Matcher(threshold: calibration.optimal.distance, strategy: calibration.strategy)
    #expect(matcher.match(calibrationLookups) == [1, 2, nil])
  }
}

@Suite struct ConfusionMatrixTests {
  @Test func countsNormalisesAndScores() throws {
    let matrix = try ConfusionMatrix(
      trueLabels: [0, 0, 1, 1, 2], predictedLabels: [0, 1, 1, nil, 5])
    #expect(matrix.labels == [0, 1, 2, 5])
    #expect(
      matrix.counts == [[1, 1, 0, 0, 0], [0, 1, 0, 0, 1], [0, 0, 0, 1, 0], [0, 0, 0, 0, 0]])
    #expect(matrix.total == 5)
    #expect(matrix.count(trueLabel: 1, predicted: nil) == 1)
    #expect(matrix.count(trueLabel: 2, predicted: 5) == 1)
    #expect(matrix.count(trueLabel: 8, predicted: 0) == 0)
    #expect(matrix.rowNormalized[0] == [0.5, 0.5, 0, 0, 0])
    #expect(matrix.rowNormalized[3] == [0, 0, 0, 0, 0])
    expectClose(matrix.accuracy, 0.4)
    expectClose(matrix.unknownRate, 0.2)
    let scores = matrix.classScores
    #expect(scores.map(\.label) == [0, 1, 2, 5])
    #expect(scores.map(\.support) == [2, 2, 1, 0])
    expectClose(scores.map(\.precision), [1, 0.5, 0, 0])
    expectClose(scores.map(\.recall), [0.5, 0.5, 0, 0])
    expectClose(scores.map(\.f1), [2.0 / 3, 0.5, 0, 0])
    // Over the three labels that occur as true labels.
    expectClose(matrix.macroF1, (2.0 / 3 + 0.5) / 3)
  }

  @Test func matcherPredictionsFeedTheMatrix() throws {
    let predicted = Matcher(threshold: 1).match(
      lookups(labels: [[0], [1], [0]], distances: [[0.5], [0.5], [2]]))
    let matrix = try ConfusionMatrix(trueLabels: [0, 1, 1], predictedLabels: predicted)
    #expect(matrix.counts == [[1, 0, 0], [0, 1, 1]])
  }
}
