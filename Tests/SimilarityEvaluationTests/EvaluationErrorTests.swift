import Testing

@testable import SimilarityEvaluation

@Suite struct EvaluationErrorTests {
  let one = [LookupResult(distance: 0.1, label: 1)]

  @Test func mismatchedAndEmptyInputsAreRejected() throws {
    #expect(throws: EvaluationError.countMismatch(queryLabels: 2, lookups: 1)) {
      try evaluateClassification(queryLabels: [1, 2], lookups: [one])
    }
    #expect(throws: EvaluationError.noQueries) {
      try Calibration(queryLabels: [], lookups: [])
    }
    #expect(throws: EvaluationError.emptyLookups(query: 1)) {
      try Calibration(queryLabels: [1, 1], lookups: [one, []])
    }
    #expect(throws: EvaluationError.predictionCountMismatch(trueLabels: 1, predictedLabels: 2)) {
      try ConfusionMatrix(trueLabels: [1], predictedLabels: [1, nil])
    }
    #expect(throws: EvaluationError.noQueries) {
      try ConfusionMatrix(trueLabels: [], predictedLabels: [])
    }
  }

  @Test func nanAndUnsortedDistancesAreRejected() throws {
    let nan = [LookupResult(distance: 0.1, label: 1), LookupResult(distance: .nan, label: 1)]
    #expect(throws: EvaluationError.nanDistance(query: 1, neighbor: 1)) {
      try Calibration(queryLabels: [1, 1], lookups: [one, nan])
    }
    let unsorted = [LookupResult(distance: 0.5, label: 1), LookupResult(distance: 0.25, label: 1)]
    #expect(
      throws: EvaluationError.lookupsNotSorted(query: 0, neighbor: 1, previous: 0.5, distance: 0.25)
    ) {
      try RetrievalMetric.recall(k: 2).value(queryLabels: [1], lookups: [unsorted])
    }
  }

  @Test func badThresholdsAreRejected() throws {
    #expect(throws: EvaluationError.noThresholds) {
      try evaluateClassification(queryLabels: [1], lookups: [one], thresholds: [])
    }
    #expect(throws: EvaluationError.nanThreshold(index: 1)) {
      try evaluateClassification(queryLabels: [1], lookups: [one], thresholds: [0.1, .nan])
    }
    #expect(throws: EvaluationError.thresholdsNotSorted(index: 2, previous: 0.5, threshold: 0.2)) {
      try MatchCounts(queryLabels: [1], lookups: [one], thresholds: [0.1, 0.5, 0.2])
    }
  }

  @Test func retrievalMetricsCheckKAndClassSizes() throws {
    let zero = RetrievalMetric.precision(k: 0)
    #expect(throws: EvaluationError.invalidK(metric: zero)) {
      try zero.value(queryLabels: [1], lookups: [one])
    }
    let recall = RetrievalMetric.recall(k: 2)
    #expect(
      throws: EvaluationError.tooFewLookups(query: 0, count: 1, required: 2, metric: recall)
    ) {
      try evaluateRetrieval(queryLabels: [1], lookups: [one], metrics: [recall])
    }
    let dropped = RetrievalMetric.ndcg(k: 1, dropsClosestLookup: true)
    #expect(
      throws: EvaluationError.tooFewLookups(query: 0, count: 1, required: 2, metric: dropped)
    ) {
      try dropped.value(queryLabels: [1], lookups: [one])
    }
    let mapAtR = RetrievalMetric.meanAveragePrecisionAtR(maxK: 1)
    #expect(throws: EvaluationError.missingClassSizes(metric: mapAtR)) {
      try mapAtR.value(queryLabels: [1], lookups: [one])
    }
    #expect(throws: EvaluationError.missingClassSize(label: 1, metric: mapAtR)) {
      try mapAtR.value(queryLabels: [1], lookups: [one], classSizes: [2: 5])
    }
  }

  @Test func descriptionsNameTheOffendingValues() {
    let cases: [(EvaluationError, [String])] = [
      (.countMismatch(queryLabels: 3, lookups: 2), ["3 query labels", "2 lookup lists"]),
      (.emptyLookups(query: 4), ["lookups[4]"]),
      (.nanDistance(query: 2, neighbor: 3), ["lookups[2][3]", "NaN"]),
      (.lookupsNotSorted(query: 1, neighbor: 2, previous: 0.5, distance: 0.25), ["0.25", "0.5"]),
      (.thresholdsNotSorted(index: 2, previous: 0.5, threshold: 0.2), ["thresholds[2]", "0.2"]),
      (.invalidK(metric: .recall(k: 0)), ["recall@0", "got 0"]),
      (
        .tooFewLookups(query: 7, count: 3, required: 5, metric: .precision(k: 5)),
        ["precision@5", "lookups[7]", "3", "5"]
      ),
      (.missingClassSize(label: 9, metric: .rPrecision(maxK: 10)), ["r_precision", "9"]),
      (.predictionCountMismatch(trueLabels: 4, predictedLabels: 6), ["4", "6"]),
    ]
    for (error, fragments) in cases {
      for fragment in fragments {
        #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)")
      }
    }
  }
}
