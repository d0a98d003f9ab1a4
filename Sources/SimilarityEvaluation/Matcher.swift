/// Predicts a label for each query from its lookups, or `nil` ("unknown") when the derived
/// distance is beyond a calibrated threshold.
///
/// TF Similarity's `Indexer.match`, with `nil` in place of `no_match_label = -1`:
///
/// ```swift
/// let calibration = try Calibration(queryLabels: labels, lookups: lookups,
///                                   targets: [.precision(atLeast: 0.99)])
/// let cutpoint = calibration[.precision(atLeast: 0.99)] ?? calibration.optimal
/// let matcher = Matcher(threshold: cutpoint.distance, strategy: calibration.strategy)
/// let predicted: [Int?] = matcher.match(newLookups)
/// ```
public struct Matcher: Hashable, Codable, Sendable {
  /// Derived distances `≤ threshold` are accepted. Compared after rounding to 8 decimal places,
  /// as during calibration.
  public var threshold: Float
  /// How each query's label and distance are derived; use the calibration's strategy.
  public var strategy: MatchStrategy

  /// Creates a matcher; `threshold` must not be NaN.
  public init(threshold: Float, strategy: MatchStrategy = .nearest) {
    precondition(!threshold.isNaN, "Matcher: the threshold is NaN")
    self.threshold = threshold
    self.strategy = strategy
  }

  /// The predicted label for one query's lookups (nearest first), or `nil` when there are no
  /// lookups, the derived distance is beyond ``threshold`` or NaN, or the deciding neighbours
  /// carry no label.
  public func match(_ lookups: [LookupResult]) -> Int? {
    guard !lookups.isEmpty else { return nil }
    let derived = strategy.derivedMatch(from: lookups)
    return roundedDistance(derived.distance) <= threshold ? derived.label : nil
  }

  /// The predicted label for each query, `nil` where the match is unknown.
  /// - Complexity: O(n·k) for n queries of k lookups.
  public func match(_ lookups: [[LookupResult]]) -> [Int?] {
    lookups.map { match($0) }
  }
}
