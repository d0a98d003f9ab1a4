/// How one label and one distance are derived from a query's ranked lookups.
///
/// These are TF Similarity's matchers (`MatchNearest`, `MatchMajorityVote`). The derived label is
/// the prediction; the derived distance is what is compared with a distance threshold.
public enum MatchStrategy: String, CaseIterable, Codable, Sendable {
  /// The label and distance of the nearest neighbour (`lookups[0]`).
  case nearest
  /// The most common label among all the given lookups. A tie goes to the tied label seen
  /// first, that is the one with the closest neighbour.
  ///
  /// The derived distance is the **mean** of all the lookups' distances, votes for other labels
  /// included, as in TF Similarity's `MatchMajorityVote`. It is neither the distance of the
  /// nearest neighbour with the winning label nor the mean over the winners, so a cutpoint
  /// calibrated with `.majorityVote` is on a different scale from one calibrated with `.nearest`.
  /// Unlabelled neighbours vote for "no label"; if they win, the derived label is `nil`.
  case majorityVote

  /// The label and distance derived from one query's lookups, ranked nearest first.
  ///
  /// The lookups must not be empty. Use `Array(lookups.prefix(k))` to vote among the first `k`.
  /// - Complexity: O(k) for k lookups.
  public func derivedMatch(from lookups: [LookupResult]) -> DerivedMatch {
    precondition(!lookups.isEmpty, "MatchStrategy.\(self): a query has no lookups")
    switch self {
    case .nearest:
      return DerivedMatch(label: lookups[0].label, distance: lookups[0].distance)
    case .majorityVote:
      var votes: [Int?: Int] = [:]
      for lookup in lookups { votes[lookup.label, default: 0] += 1 }
      // Scanning in rank order and overtaking only on strictly more votes leaves a tie with the
      // label whose first neighbour is closest.
      var winner = lookups[0].label
      var winnerVotes = 0
      for lookup in lookups {
        let count = votes[lookup.label, default: 0]
        if count > winnerVotes {
          winner = lookup.label
          winnerVotes = count
        }
      }
      let total = lookups.reduce(0.0) { $0 + Double($1.distance) }
      return DerivedMatch(label: winner, distance: Float(total / Double(lookups.count)))
    }
  }
}

/// The label and distance a ``MatchStrategy`` derives from one query's lookups.
public struct DerivedMatch: Hashable, Codable, Sendable {
  /// The predicted label, or `nil` when the deciding neighbours carry no label.
  public var label: Int?
  /// The distance compared with a distance threshold.
  public var distance: Float

  /// Creates a derived match.
  public init(label: Int?, distance: Float) {
    self.label = label
    self.distance = distance
  }
}
