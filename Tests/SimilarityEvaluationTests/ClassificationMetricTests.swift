import Testing

@testable import SimilarityEvaluation

@Suite struct ClassificationMetricTests {
  /// TF Similarity's `test_classification_metrics.py` counts.
  let counts = MatchCounts(
    thresholds: [0.1, 0.2], truePositives: [10, 20], falsePositives: [1, 2],
    trueNegatives: [10, 9], falseNegatives: [15, 5], queryCount: 36)

  @Test func goldenValuesMatchTFSimilarity() {
    // f1 = 2PR/(P+R): P = 10/11, R = 10/25 → 0.555556; P = 20/22, R = 20/25 → 0.851064.
    expectClose(counts.values(of: .f1), [0.555556, 0.851064])
    expectClose(counts.values(of: .precision), [0.909091, 0.909091])
    expectClose(counts.values(of: .recall), [0.4, 0.8])
    expectClose(counts.values(of: .binaryAccuracy), [0.277778, 0.555556])
    expectClose(counts.values(of: .falsePositiveRate), [0.090909, 0.181818])
    expectClose(counts.values(of: .negativePredictiveValue), [0.4, 0.642857])
  }

  @Test func flagsFollowTFSimilarity() {
    #expect(ClassificationMetric.allCases.filter { !$0.isMaximized } == [.falsePositiveRate])
    #expect(ClassificationMetric.allCases.filter { !$0.increasesWithDistance } == [.precision])
  }

  @Test func emptyDenominatorsGiveZero() {
    let none = MatchCounts(
      thresholds: [0], truePositives: [0], falsePositives: [0], trueNegatives: [0],
      falseNegatives: [0], queryCount: 0)
    for metric in ClassificationMetric.allCases {
      #expect(none.values(of: metric) == [0], "\(metric)")
    }
  }

  @Test func precisionStartsAtOneWhenNothingIsAcceptedAtTheFirstThreshold() {
    let counts = MatchCounts(
      thresholds: [0.1, 0.5, 0.9], truePositives: [0, 2, 3], falsePositives: [0, 2, 3],
      trueNegatives: [3, 1, 0], falseNegatives: [3, 1, 0], queryCount: 6)
    expectClose(counts.values(of: .precision), [1, 0.5, 0.5])
    // F1 uses the plain precision, so it stays 0 at the first threshold.
    #expect(counts.values(of: .f1)[0] == 0)
    // With a single threshold TF Similarity leaves precision at 0.
    let single = MatchCounts(
      thresholds: [0.1], truePositives: [0], falsePositives: [0], trueNegatives: [3],
      falseNegatives: [3], queryCount: 6)
    #expect(single.values(of: .precision) == [0])
  }

  @Test func jsonNamesAreTheSavedCalibrationKeys() {
    // These strings are keys in saved calibrations: renaming a case breaks old model directories.
    #expect(
      ClassificationMetric.allCases.map(\.rawValue) == [
        "f1", "precision", "recall", "binaryAccuracy", "falsePositiveRate",
        "negativePredictiveValue",
      ])
  }
}
