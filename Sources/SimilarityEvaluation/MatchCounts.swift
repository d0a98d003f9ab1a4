/// True/false positive/negative counts of a matcher at each of an ascending list of distance
/// thresholds.
///
/// A query is a *positive* at threshold `t` when its derived distance is `≤ t` (the matcher
/// accepts its derived label) and a *negative* otherwise. With `match` meaning "the derived label
/// equals the query label", TF Similarity's `ClassificationMatch.compute_count` defines:
///
///     truePositives  = match and distance ≤ t      falsePositives = no match and distance ≤ t
///     falseNegatives = match and distance > t      trueNegatives  = no match and distance > t
///
/// so the four counts add up to `queryCount` at every threshold.
public struct MatchCounts: Hashable, Codable, Sendable {
  /// The distance thresholds, ascending.
  public var thresholds: [Float]
  /// Queries whose derived label matches and whose derived distance is within the threshold.
  public var truePositives: [Int]
  /// Queries whose derived label does not match but whose derived distance is within it.
  public var falsePositives: [Int]
  /// Queries whose derived label does not match and whose derived distance is beyond it.
  public var trueNegatives: [Int]
  /// Queries whose derived label matches but whose derived distance is beyond it.
  public var falseNegatives: [Int]
  /// Number of queries (TF Similarity's `count`).
  public var queryCount: Int

  /// Creates counts from explicit vectors, one entry per threshold.
  public init(
    thresholds: [Float], truePositives: [Int], falsePositives: [Int], trueNegatives: [Int],
    falseNegatives: [Int], queryCount: Int
  ) {
    let lengths = [
      truePositives.count, falsePositives.count, trueNegatives.count, falseNegatives.count,
    ]
    precondition(
      lengths.allSatisfy { $0 == thresholds.count },
      "MatchCounts: \(thresholds.count) thresholds but counts of lengths \(lengths)")
    self.thresholds = thresholds
    self.truePositives = truePositives
    self.falsePositives = falsePositives
    self.trueNegatives = trueNegatives
    self.falseNegatives = falseNegatives
    self.queryCount = queryCount
  }

  /// Counts the matches of `strategy` over a batch of queries at every threshold.
  ///
  /// Derived distances are rounded to 8 decimal places first, as TF Similarity does.
  ///
  /// - Parameters:
  ///   - queryLabels: the true label of each query.
  ///   - lookups: one list per query, ranked nearest first; every lookup is used by the strategy.
  ///   - thresholds: distance thresholds in ascending order (`.infinity` is allowed).
  ///   - strategy: how each query's label and distance are derived.
  /// - Throws: ``EvaluationError`` when the counts differ, there are no queries or thresholds,
  ///   a lookup list is empty or unsorted, or a distance or threshold is NaN.
  /// - Complexity: O(n log n + t) after deriving the matches, for n queries and t thresholds.
  public init(
    queryLabels: [Int], lookups: [[LookupResult]], thresholds: [Float],
    strategy: MatchStrategy = .nearest
  ) throws {
    try InputValidation.check(queryCount: queryLabels.count, lookups: lookups)
    try InputValidation.check(thresholds: thresholds)
    let derived = lookups.map { strategy.derivedMatch(from: $0) }
    self.init(queryLabels: queryLabels, derived: derived, thresholds: thresholds)
  }

  /// Counts from already derived matches; the inputs are assumed valid.
  init(queryLabels: [Int], derived: [DerivedMatch], thresholds: [Float]) {
    // Sort (distance, isMatch) once, then sweep the ascending thresholds with one cursor: each
    // query is visited once however many thresholds there are.
    let outcomes = zip(queryLabels, derived)
      .map { (distance: roundedDistance($1.distance), isMatch: $1.label == $0) }
      .sorted { $0.distance < $1.distance }
    let matchTotal = outcomes.reduce(0) { $0 + ($1.isMatch ? 1 : 0) }
    let mismatchTotal = outcomes.count - matchTotal
    var tp: [Int] = []
    var fp: [Int] = []
    var tn: [Int] = []
    var fn: [Int] = []
    tp.reserveCapacity(thresholds.count)
    fp.reserveCapacity(thresholds.count)
    tn.reserveCapacity(thresholds.count)
    fn.reserveCapacity(thresholds.count)
    var cursor = 0
    var matchesWithin = 0
    var mismatchesWithin = 0
    for threshold in thresholds {
      while cursor < outcomes.count, outcomes[cursor].distance <= threshold {
        if outcomes[cursor].isMatch { matchesWithin += 1 } else { mismatchesWithin += 1 }
        cursor += 1
      }
      tp.append(matchesWithin)
      fp.append(mismatchesWithin)
      fn.append(matchTotal - matchesWithin)
      tn.append(mismatchTotal - mismatchesWithin)
    }
    self.init(
      thresholds: thresholds, truePositives: tp, falsePositives: fp, trueNegatives: tn,
      falseNegatives: fn, queryCount: outcomes.count)
  }

  /// The values of `metric` at every threshold.
  public func values(of metric: ClassificationMetric) -> [Float] {
    metric.values(for: self)
  }
}
