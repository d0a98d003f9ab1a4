/// Classification metrics of a thresholded matcher at each of a list of distance thresholds.
public struct ClassificationEvaluation: Hashable, Codable, Sendable {
  /// The counts the metrics were computed from; `counts.thresholds` are the thresholds.
  public var counts: MatchCounts
  /// Each requested metric at every threshold, aligned with `counts.thresholds`.
  public var values: [ClassificationMetric: [Float]]

  /// The distance thresholds, ascending.
  public var thresholds: [Float] { counts.thresholds }

  /// The values of `metric` at every threshold, or `nil` if it was not requested.
  public subscript(metric: ClassificationMetric) -> [Float]? { values[metric] }

  /// Creates an evaluation from counts, computing each of `metrics`.
  public init(counts: MatchCounts, metrics: [ClassificationMetric]) {
    self.counts = counts
    self.values = Dictionary(
      metrics.map { ($0, $0.values(for: counts)) }, uniquingKeysWith: { first, _ in first })
  }
}

/// Evaluates a thresholded matcher as a classifier: a query is accepted at threshold `t` when its
/// derived distance is `≤ t`, and right when its derived label equals its query label (TF
/// Similarity's `MemoryEvaluator.evaluate_classification`).
///
/// - Parameters:
///   - queryLabels: the true label of each query.
///   - lookups: one list per query, ranked nearest first; the strategy uses every lookup given.
///   - thresholds: ascending distance thresholds; the default accepts everything.
///   - metrics: the metrics to compute.
///   - strategy: how each query's label and distance are derived.
/// - Throws: ``EvaluationError`` for mismatched counts, empty inputs, unsorted lookups or
///   thresholds, and NaN distances or thresholds.
/// - Complexity: O(n·k + n log n + t·m) for n queries of k lookups, t thresholds, m metrics.
public func evaluateClassification(
  queryLabels: [Int], lookups: [[LookupResult]], thresholds: [Float] = [.infinity],
  metrics: [ClassificationMetric] = [.f1], strategy: MatchStrategy = .nearest
) throws -> ClassificationEvaluation {
  let counts = try MatchCounts(
    queryLabels: queryLabels, lookups: lookups, thresholds: thresholds, strategy: strategy)
  return ClassificationEvaluation(counts: counts, metrics: metrics)
}
