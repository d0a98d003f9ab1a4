import Foundation
import Testing

@testable import SimilarityEvaluation

@Suite struct RetrievalMetricTests {
  /// TF Similarity's retrieval fixture: three queries of label 1 whose first two neighbours
  /// match, and one query of label 0 whose third neighbour matches.
  let queryLabels = [1, 1, 1, 0]
  let mask: [[Bool]] = [
    [true, true, false], [true, true, false], [true, true, false], [false, false, true],
  ]

  /// Precision@3: per query 2/3, 2/3, 2/3, 1/3, so micro (2 + 1/3) / 4 and macro
  /// (2/3 + 1/3) / 2. Recall@2: per query 1, 1, 1, 0, so micro 3/4 and macro (1 + 0) / 2.
  @Test(arguments: [
    (RetrievalMetric.precision(k: 3), Float(0.583333)),
    (.precision(k: 3, averaging: .macro), 0.5),
    (.recall(k: 2), 0.75),
    (.recall(k: 2, averaging: .macro), 0.5),
  ])
  func precisionAndRecallGoldenValues(metric: RetrievalMetric, expected: Float) throws {
    let batch = lookups(queryLabels: queryLabels, mask: mask)
    expectClose(try metric.value(queryLabels: queryLabels, lookups: batch), expected)
  }

  /// Precision@k divides by k whatever the class sizes (TF Similarity's `PrecisionAtK`). It
  /// used to divide by R when class sizes were given: (3 · 2/3 + 1/10) / 4 = 0.525 here.
  @Test func precisionDividesByKEvenWithClassSizes() throws {
    let batch = lookups(queryLabels: queryLabels, mask: mask)
    let sizes = [0: 10, 1: 3]
    expectClose(
      try RetrievalMetric.precision(k: 3)
        .value(queryLabels: queryLabels, lookups: batch, classSizes: sizes), 0.583333)
    expectClose(
      try RetrievalMetric.precision(k: 3, averaging: .macro)
        .value(queryLabels: queryLabels, lookups: batch, classSizes: sizes), 0.5)
    #expect(!RetrievalMetric.precision(k: 3).requiresClassSizes)
  }

  /// With one label per example, precision@1 and recall@1 both ask whether the nearest
  /// neighbour has the query's label. `evaluate` printed precision@1 0.0435 beside recall@1
  /// 0.8696 (divided by R = 20) before.
  @Test(arguments: 0..<4 as Range<UInt64>)
  func precisionAtOneEqualsRecallAtOne(seed: UInt64) throws {
    let data = RandomBatch(seed: seed, queryCount: 30, lookupCount: 3)
    for averaging in RetrievalMetric.Averaging.allCases {
      let recall = try RetrievalMetric.recall(k: 1, averaging: averaging)
        .value(queryLabels: data.queryLabels, lookups: data.lookups)
      let precision = try RetrievalMetric.precision(k: 1, averaging: averaging)
        .value(queryLabels: data.queryLabels, lookups: data.lookups, classSizes: data.classSizes)
      #expect(precision == recall, "\(averaging): precision@1 \(precision), recall@1 \(recall)")
    }
  }

  @Test func meanAveragePrecisionNeedsClassSizes() throws {
    let map = RetrievalMetric.meanAveragePrecision(k: 3)
    #expect(map.requiresClassSizes)
    #expect(throws: EvaluationError.missingClassSizes(metric: map)) {
      try map.value(
        queryLabels: queryLabels, lookups: lookups(queryLabels: queryLabels, mask: mask))
    }
  }

  @Test func meanAveragePrecisionGoldenValues() throws {
    // Label 1 (R = 3): (1 + 1) / 3 three times; label 0 (R = 10): (1/3) / 10. Mean 0.508333.
    let batch = lookups(queryLabels: queryLabels, mask: mask)
    let map = try RetrievalMetric.meanAveragePrecision(k: 3)
      .value(queryLabels: queryLabels, lookups: batch, classSizes: [0: 10, 1: 3])
    expectClose(map, 0.50833333)
    // MAP@R: label 0 (R = 4) finds its match at rank 4, P@4 = 1/4, so 1/16; label 1 (R = 3)
    // stops before rank 4 and scores 0. Mean 1/32.
    let clipped = try RetrievalMetric.meanAveragePrecisionAtR(maxK: 4).value(
      queryLabels: [0, 1],
      lookups: lookups(
        queryLabels: [0, 1], mask: Array(repeating: [false, false, false, true], count: 2)),
      classSizes: [0: 4, 1: 3])
    expectClose(clipped, 0.03125)
  }

  @Test func binaryNDCGGoldenValues() throws {
    let labels = zip(queryLabels, mask).map { label, row in row.map { $0 ? label : -1 } }
    let batch = lookups(labels: labels, distances: Array(repeating: [0, 0.1, 0.2], count: 4))
    // k = 3, threshold 0.1: the label-0 query's match is at 0.2, beyond the threshold.
    expectClose(
      try RetrievalMetric.ndcg(k: 3, distanceThreshold: 0.1)
        .value(queryLabels: queryLabels, lookups: batch), 0.75)
    expectClose(
      try RetrievalMetric.ndcg(k: 2).value(queryLabels: queryLabels, lookups: batch), 0.75)
    expectClose(
      try RetrievalMetric.ndcg(k: 2, averaging: .macro)
        .value(queryLabels: queryLabels, lookups: batch), 0.5)
  }

  @Test func rPrecisionCountsTheFirstRLookups() throws {
    // R = 2: the first two neighbours hold one match; the match at rank 3 is beyond R.
    let value = try RetrievalMetric.rPrecision(maxK: 3).value(
      queryLabels: [7], lookups: lookups(queryLabels: [7], mask: [[false, true, true]]),
      classSizes: [7: 2])
    expectClose(value, 0.5)
  }

  @Test func droppingTheClosestLookupShiftsEveryKindByOne() throws {
    // The query finds itself first, then one match in the next three lookups.
    let batch = lookups(queryLabels: [3], mask: [[true, false, true, false]])
    let precision = RetrievalMetric.precision(k: 3, dropsClosestLookup: true)
    #expect(precision.requiredLookupCount == 4)
    // Lookups 2…4 (not TF Similarity's 2…3), divided by k = 3.
    expectClose(try precision.value(queryLabels: [3], lookups: batch, classSizes: [3: 3]), 1.0 / 3)
    // R excludes the query itself: 3 indexed examples of label 3, so R = 2.
    let map = RetrievalMetric.meanAveragePrecision(k: 3, dropsClosestLookup: true)
    expectClose(try map.value(queryLabels: [3], lookups: batch, classSizes: [3: 3]), 0.25)
    let recall = RetrievalMetric.recall(k: 1, dropsClosestLookup: true)
    expectClose(try recall.value(queryLabels: [3], lookups: batch), 0)
  }

  @Test func evaluateRetrievalReturnsEveryMetric() throws {
    let batch = lookups(queryLabels: queryLabels, mask: mask)
    let metrics: [RetrievalMetric] = [.recall(k: 2), .precision(k: 3), .ndcg(k: 2)]
    let values = try evaluateRetrieval(queryLabels: queryLabels, lookups: batch, metrics: metrics)
    #expect(values.count == 3)
    expectClose(values[.recall(k: 2)] ?? -1, 0.75)
    expectClose(values[.precision(k: 3)] ?? -1, 0.583333)
  }

  @Test func namesSayWhatIsMeasured() {
    #expect(RetrievalMetric.recall(k: 5).description == "recall@5")
    #expect(RetrievalMetric.meanAveragePrecisionAtR(maxK: 100).description == "map@r")
    #expect(RetrievalMetric.rPrecision(maxK: 100).description == "r_precision")
    #expect(
      RetrievalMetric.ndcg(k: 10, averaging: .macro, distanceThreshold: 0.5).description
        == "ndcg@10 (d ≤ 0.5, macro)")
  }

  static let randomMetrics: [RetrievalMetric] = RetrievalMetric.Kind.allCases.flatMap { kind in
    [1, 3, 7].flatMap { k in
      RetrievalMetric.Averaging.allCases.flatMap { averaging in
        [false, true].flatMap { drops in
          [nil, Float(0.75)].flatMap { threshold in
            let clips =
              kind == .precision || kind == .meanAveragePrecision ? [false, true] : [false]
            return clips.map { clipsAtR in
              RetrievalMetric(
                kind, k: k, clipsAtR: clipsAtR, averaging: averaging,
                distanceThreshold: threshold, dropsClosestLookup: drops)
            }
          }
        }
      }
    }
  }

  @Test(arguments: 0..<6 as Range<UInt64>)
  func agreesWithNaiveLoopsOnRandomData(seed: UInt64) throws {
    let data = RandomBatch(seed: seed, queryCount: 25, lookupCount: 8)
    for metric in Self.randomMetrics {
      for sizes in [nil, data.classSizes] where sizes != nil || !metric.requiresClassSizes {
        let value = try metric.value(
          queryLabels: data.queryLabels, lookups: data.lookups, classSizes: sizes)
        let expected = naiveRetrieval(metric, data: data, classSizes: sizes)
        expectClose(value, expected, tolerance: 1e-6)
      }
    }
  }
}

/// A retrieval metric from its textbook definition, one query and one rank at a time.
func naiveRetrieval(_ metric: RetrievalMetric, data: RandomBatch, classSizes: [Int: Int]?)
  -> Float
{
  var perQuery: [Double] = []
  for (label, results) in zip(data.queryLabels, data.lookups) {
    let first = metric.dropsClosestLookup ? 1 : 0
    var rel: [Bool] = []
    for rank in first..<(first + metric.k) {
      let lookup = results[rank]
      var near = true
      if let threshold = metric.distanceThreshold, lookup.distance > threshold { near = false }
      rel.append(lookup.label == label && near)
    }
    // R, the indexed examples of the query's class other than the query itself.
    var r = 0
    if let size = classSizes?[label] { r = max(0, size - first) }
    let depth = metric.clipsAtR ? min(r, metric.k) : metric.k
    var value = 0.0
    switch metric.kind {
    case .recall:
      value = rel.contains(true) ? 1 : 0
    case .precision:
      for j in 0..<depth where rel[j] { value += 1 }
      let denominator = metric.clipsAtR ? r : metric.k
      value = denominator == 0 ? 0 : value / Double(denominator)
    case .meanAveragePrecision:
      for j in 0..<depth where rel[j] {
        let hitsSoFar = rel[0...j].filter { $0 }.count
        value += Double(hitsSoFar) / Double(j + 1)
      }
      value = r == 0 ? 0 : value / Double(r)
    case .ndcg:
      var dcg = 0.0
      for j in 0..<rel.count where rel[j] { dcg += 1 / log2(Double(j) + 2) }
      let ideal = rel.sorted { $0 && !$1 }
      var idcg = 0.0
      for j in 0..<ideal.count where ideal[j] { idcg += 1 / log2(Double(j) + 2) }
      value = idcg == 0 ? 0 : dcg / idcg
    }
    perQuery.append(value)
  }
  if metric.averaging == .micro {
    return Float(perQuery.reduce(0, +) / Double(perQuery.count))
  }
  let labels = Set(data.queryLabels)
  var total = 0.0
  for label in labels {
    let values = zip(data.queryLabels, perQuery).filter { $0.0 == label }.map(\.1)
    total += values.reduce(0, +) / Double(values.count)
  }
  return Float(total / Double(labels.count))
}
