import Foundation
import Testing

@testable import SimilarityEvaluation

@Suite struct CalibrationTests {
  /// Nearest neighbours of five queries; queries 0, 1 and 3 match, 2 and 4 do not. Per
  /// threshold 0.1…0.5: tp 1 2 2 3 3, fp 0 0 1 1 2, so precision 1 1 ⅔ ¾ ⅗, recall ⅓ ⅔ ⅔ 1 1,
  /// F1 0.5 0.8 ⅔ 0.857143 0.75, false positive rate 0 0 ½ ½ 1.
  let queryLabels = [1, 1, 2, 2, 3]
  let batch = lookups(
    labels: [[1], [1], [9], [2], [9]], distances: [[0.1], [0.2], [0.3], [0.4], [0.5]])

  @Test func optimalIsTheBestF1AndTargetsPickTheEdgeOfTheirRange() throws {
    let targets: [CalibrationTarget] = [
      .precision(atLeast: 0.99), .recall(atLeast: 0.9), .falsePositiveRate(atMost: 0.5),
      .f1(atLeast: 0.95),
    ]
    let calibration = try Calibration(
      queryLabels: queryLabels, lookups: batch, optimizing: .f1, targets: targets)
    expectClose(calibration.thresholds, [0.1, 0.2, 0.3, 0.4, 0.5])
    expectClose(calibration.curves[.f1] ?? [], [0.5, 0.8, 2.0 / 3, 0.857143, 0.75])
    #expect(calibration.optimal.name == "optimal")
    expectClose(calibration.optimal.distance, 0.4)
    expectClose(calibration.optimal.value, 0.857143)
    expectClose(calibration.optimal[.precision] ?? -1, 0.75)
    expectClose(calibration.optimal[.recall] ?? -1, 1)
    #expect(calibration.optimal.metrics.count == ClassificationMetric.allCases.count)
    // Precision decreases with distance: the largest distance that keeps it ≥ 0.99.
    let precise = try #require(calibration[.precision(atLeast: 0.99)])
    #expect(precise.name == "precision>=0.99")
    expectClose(precise.distance, 0.2)
    expectClose(precise.value, 1)
    // Recall increases: the smallest distance that reaches 0.9.
    expectClose(calibration[.recall(atLeast: 0.9)]?.distance ?? -1, 0.4)
    // Lower is better for the false positive rate: the largest distance still ≤ 0.5.
    expectClose(calibration[.falsePositiveRate(atMost: 0.5)]?.distance ?? -1, 0.4)
    // F1 never reaches 0.95: no cutpoint, and the target is reported as unreached.
    #expect(calibration[.f1(atLeast: 0.95)] == nil)
    #expect(calibration.unreachedTargets == [.f1(atLeast: 0.95)])
    #expect(
      calibration.cutpoints.map(\.name) == [
        "precision>=0.99", "recall>=0.9", "falsePositiveRate<=0.5",
      ])
    // A target that was not requested has no cutpoint either.
    #expect(calibration[.recall(atLeast: 0.1)] == nil)
  }

  @Test func tiesPickTheLastArgmaxOrArgmin() throws {
    // Recall is 1 from 0.4 on: the optimal recall cutpoint is the largest such distance.
    let recall = try Calibration(queryLabels: queryLabels, lookups: batch, optimizing: .recall)
    expectClose(recall.optimal.distance, 0.5)
    // The false positive rate is minimal (0) at 0.1 and 0.2: the last argmin is 0.2.
    let fpr = try Calibration(
      queryLabels: queryLabels, lookups: batch, optimizing: .falsePositiveRate)
    expectClose(fpr.optimal.distance, 0.2)
    expectClose(fpr.optimal.value, 0)
  }

  @Test func thresholdsAreUniqueDerivedDistancesRoundedToEightPlaces() throws {
    let calibration = try Calibration(
      queryLabels: [1, 1, 1],
      lookups: lookups(
        labels: [[1, 5], [1, 5], [2, 5]], distances: [[0.123456789, 9], [0.25, 9], [0.25, 9]]))
    // The second neighbours (distance 9) never decide a nearest match, so they are no candidate.
    #expect(calibration.thresholds == [Float(0.12345679), 0.25])
    #expect(calibration.strategy == .nearest)
  }

  @Test(arguments: MatchStrategy.allCases, 0..<8 as Range<UInt64>)
  func agreesWithBruteForceOverThresholds(strategy: MatchStrategy, seed: UInt64) throws {
    let data = RandomBatch(seed: seed, queryCount: 30, lookupCount: 3)
    let targets: [CalibrationTarget] = [
      .precision(atLeast: 0.3), .precision(atLeast: 0.6), .recall(atLeast: 0.5),
      .f1(atLeast: 0.4), .falsePositiveRate(atMost: 0.2), .negativePredictiveValue(atLeast: 0.5),
      .binaryAccuracy(atLeast: 0.99),
    ]
    for metric in ClassificationMetric.allCases {
      let calibration = try Calibration(
        queryLabels: data.queryLabels, lookups: data.lookups, optimizing: metric,
        targets: targets, strategy: strategy)
      // What calibrating produces is consistent by construction.
      try calibration.validate()
      let derived = data.lookups.map { naiveDerivedMatch($0, strategy: strategy) }
      let thresholds = Set(derived.map { roundedDistance($0.1) }).sorted()
      #expect(calibration.thresholds == thresholds, "seed \(seed)")
      let curves = thresholds.indices.map { i in
        naiveMetrics(
          queryLabels: data.queryLabels, derived: derived, threshold: thresholds[i],
          isFirst: i == 0, thresholdCount: thresholds.count)
      }
      for m in ClassificationMetric.allCases {
        expectClose(calibration.curves[m] ?? [], curves.map { $0[m] ?? .nan }, tolerance: 1e-6)
      }
      // Optimal: scan every threshold, keep the last one at least as good as the best so far.
      var best = 0
      for i in curves.indices {
        let (value, bestValue) = (curves[i][metric] ?? .nan, curves[best][metric] ?? .nan)
        if metric.isMaximized ? value >= bestValue : value <= bestValue { best = i }
      }
      #expect(calibration.optimal.distance == thresholds[best], "seed \(seed) \(metric)")
      // Targets: the edge of the set of thresholds that reach the value.
      for target in targets {
        let reaching = curves.indices.filter { i in
          let value = curves[i][target.metric] ?? .nan
          return target.metric == .falsePositiveRate ? value <= target.value : value >= target.value
        }
        let takesLast = target.metric == .precision || target.metric == .falsePositiveRate
        let expected = (takesLast ? reaching.last : reaching.first).map { thresholds[$0] }
        #expect(calibration[target]?.distance == expected, "seed \(seed) \(target)")
      }
    }
  }

  @Test func jsonRoundTripsAndHasTheDocumentedShape() throws {
    var withInfinity = batch
    withInfinity[4] = [LookupResult(distance: .infinity, label: 9)]
    let calibration = try Calibration(
      queryLabels: queryLabels, lookups: withInfinity,
      targets: [.precision(atLeast: 0.99), .f1(atLeast: 0.95)])
    let data = try calibration.jsonData()
    #expect(try Calibration(jsonData: data) == calibration)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "metric", "strategy", "optimal", "targets", "cutpoints", "thresholds", "curves",
      ])
    #expect(object["metric"] as? String == "f1")
    #expect(object["strategy"] as? String == "nearest")
    let optimal = try #require(object["optimal"] as? [String: Any])
    #expect(Set(optimal.keys) == ["name", "distance", "value", "metrics"])
    let metrics = try #require(optimal["metrics"] as? [String: Any])
    #expect(Set(metrics.keys) == Set(ClassificationMetric.allCases.map(\.rawValue)))
    let targets = try #require(object["targets"] as? [[String: Any]])
    #expect(targets.first?["metric"] as? String == "precision")
    let thresholds = try #require(object["thresholds"] as? [Any])
    #expect(thresholds.last as? String == "inf")
  }
}

/// Every classification metric at one threshold, counted and divided in the plainest way.
func naiveMetrics(
  queryLabels: [Int], derived: [(Int?, Float)], threshold: Float, isFirst: Bool,
  thresholdCount: Int
) -> [ClassificationMetric: Float] {
  var (tp, fp, tn, fn) = (0.0, 0.0, 0.0, 0.0)
  for (label, match) in zip(queryLabels, derived) {
    let accepted = roundedDistance(match.1) <= threshold
    if match.0 == label {
      if accepted { tp += 1 } else { fn += 1 }
    } else {
      if accepted { fp += 1 } else { tn += 1 }
    }
  }
  func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
  let precision = ratio(tp, tp + fp)
  let recall = ratio(tp, tp + fn)
  return [
    .f1: Float(ratio(2 * precision * recall, precision + recall)),
    .precision: isFirst && tp + fp == 0 && thresholdCount > 1 ? 1 : Float(precision),
    .recall: Float(recall),
    .binaryAccuracy: Float(tp / Double(queryLabels.count)),
    .falsePositiveRate: Float(ratio(fp, fp + tn)),
    .negativePredictiveValue: Float(ratio(tn, tn + fn)),
  ]
}
