import Testing

@testable import SimilarityEvaluation

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
