import Foundation

extension RetrievalMetric {
  /// The metric over a batch of labelled queries and their lookups.
  ///
  /// - Parameters:
  ///   - queryLabels: the true label of each query.
  ///   - lookups: one list per query, ranked nearest first, each at least
  ///     ``requiredLookupCount`` long (longer lists are cut).
  ///   - classSizes: the number of indexed examples of each label (`R`), counting the queries
  ///     themselves if they are indexed. Required by MAP@k and the clipped-at-R kinds
  ///     (``requiresClassSizes``); the other kinds ignore it.
  /// - Throws: ``EvaluationError`` when `k < 1`, counts differ, there are no queries, a list is
  ///   too short or unsorted, a distance is NaN, or a needed class size is missing.
  /// - Complexity: O(n·k) for n queries.
  public func value(
    queryLabels: [Int], lookups: [[LookupResult]], classSizes: [Int: Int]? = nil
  ) throws -> Float {
    try validate(queryLabels: queryLabels, lookups: lookups, classSizes: classSizes)
    let perQuery = zip(queryLabels, lookups).map { label, results in
      queryValue(label: label, lookups: results, classSize: classSizes?[label])
    }
    switch averaging {
    case .micro:
      return Float(perQuery.reduce(0, +) / Double(perQuery.count))
    case .macro:
      var sums: [Int: (total: Double, count: Int)] = [:]
      for (label, value) in zip(queryLabels, perQuery) {
        sums[label, default: (0, 0)].total += value
        sums[label, default: (0, 0)].count += 1
      }
      let classMeans = sums.values.map { $0.total / Double($0.count) }
      return Float(classMeans.reduce(0, +) / Double(classMeans.count))
    }
  }

  private func validate(
    queryLabels: [Int], lookups: [[LookupResult]], classSizes: [Int: Int]?
  ) throws {
    guard k >= 1 else { throw EvaluationError.invalidK(metric: self) }
    try InputValidation.check(queryCount: queryLabels.count, lookups: lookups)
    if let short = lookups.firstIndex(where: { $0.count < requiredLookupCount }) {
      throw EvaluationError.tooFewLookups(
        query: short, count: lookups[short].count, required: requiredLookupCount, metric: self)
    }
    if requiresClassSizes && classSizes == nil {
      throw EvaluationError.missingClassSizes(metric: self)
    }
    if let classSizes, requiresClassSizes,
      let missing = queryLabels.first(where: { classSizes[$0] == nil })
    {
      throw EvaluationError.missingClassSize(label: missing, metric: self)
    }
  }

  /// The metric for one query; `lookups` is long enough and `classSize` is present when
  /// ``requiresClassSizes``.
  func queryValue(label: Int, lookups: [LookupResult], classSize: Int?) -> Double {
    let window = lookups[(dropsClosestLookup ? 1 : 0)..<requiredLookupCount]
    let relevance = window.map { lookup in
      lookup.label == label && (distanceThreshold.map { lookup.distance <= $0 } ?? true)
    }
    // R excludes the query itself when its own lookup is dropped; it is read only by the kinds
    // that require class sizes (MAP and the clipped kinds).
    let r = Swift.max(0, (classSize ?? 0) - (dropsClosestLookup ? 1 : 0))
    let ranks = clipsAtR ? Swift.min(k, r) : k
    switch kind {
    case .recall:
      return relevance.contains(true) ? 1 : 0
    case .precision:
      let hits = relevance.prefix(ranks).filter { $0 }.count
      return divideNoNaN(Double(hits), Double(clipsAtR ? r : k))
    case .meanAveragePrecision:
      var hits = 0
      var sum = 0.0
      for (index, isRelevant) in relevance.prefix(ranks).enumerated() where isRelevant {
        hits += 1
        sum += Double(hits) / Double(index + 1)
      }
      return divideNoNaN(sum, Double(r))
    case .ndcg:
      var dcg = 0.0
      var ideal = 0.0
      var hits = 0
      for (index, isRelevant) in relevance.enumerated() where isRelevant {
        dcg += 1 / log2(Double(index + 2))
        ideal += 1 / log2(Double(hits + 2))
        hits += 1
      }
      return divideNoNaN(dcg, ideal)
    }
  }
}

/// Evaluates several retrieval metrics on the same queries and lookups (TF Similarity's
/// `MemoryEvaluator.evaluate_retrieval`).
///
/// - Returns: the value of each metric.
/// - Throws: the first ``EvaluationError`` of any metric, see
///   ``RetrievalMetric/value(queryLabels:lookups:classSizes:)``.
public func evaluateRetrieval(
  queryLabels: [Int], lookups: [[LookupResult]], metrics: [RetrievalMetric],
  classSizes: [Int: Int]? = nil
) throws -> [RetrievalMetric: Float] {
  var values: [RetrievalMetric: Float] = [:]
  for metric in metrics {
    values[metric] = try metric.value(
      queryLabels: queryLabels, lookups: lookups, classSizes: classSizes)
  }
  return values
}
