import Testing

@testable import SimilarityEvaluation

@Suite struct MatchCountsTests {
  @Test func goldenCountsMatchTFSimilarity() throws {
    // test_classification_match.py: queries 10, 20 match at distance 1; 10, 20 vs 30, 40 do not
    // and are at distance 2.
    let counts = try MatchCounts(
      queryLabels: [10, 20, 10, 20],
      lookups: lookups(labels: [[10], [20], [30], [40]], distances: [[1], [1], [2], [2]]),
      thresholds: [1, 2])
    #expect(counts.truePositives == [2, 2])
    #expect(counts.falsePositives == [0, 2])
    #expect(counts.trueNegatives == [2, 0])
    #expect(counts.falseNegatives == [0, 0])
    #expect(counts.queryCount == 4)
  }

  @Test func majorityVoteGoldenValuesMatchTFSimilarity() {
    // test_majority_vote.py: 10 wins 3–2; 20 and 13 tie 2–2 and 20 is seen first.
    let batch = lookups(
      labels: [[10, 12, 10, 12, 10], [20, 13, 13, 20, 30]],
      distances: [[1.0, 1.1, 1.2, 1.3, 1.4], [2.0, 2.1, 2.2, 2.3, 2.4]])
    let derived = batch.map { MatchStrategy.majorityVote.derivedMatch(from: $0) }
    #expect(derived.map(\.label) == [10, 20])
    expectClose(derived.map(\.distance), [1.2, 2.2])
  }

  @Test func majorityVoteTieGoesToTheClosestLabelEvenWhenTheOtherReachesTheTieFirst() {
    // Votes: A B B A. B reaches two votes first, but A's first neighbour is closer.
    let derived = MatchStrategy.majorityVote.derivedMatch(
      from: lookups(labels: [[1, 2, 2, 1]], distances: [[0, 1, 2, 3]])[0])
    #expect(derived == DerivedMatch(label: 1, distance: 1.5))
  }

  @Test func nearestUsesTheFirstLookup() {
    let derived = MatchStrategy.nearest.derivedMatch(
      from: lookups(labels: [[nil, 2]], distances: [[0.25, 1]])[0])
    #expect(derived == DerivedMatch(label: nil, distance: 0.25))
  }

  @Test(arguments: MatchStrategy.allCases, 0..<6 as Range<UInt64>)
  func sweepAgreesWithANaiveLoop(strategy: MatchStrategy, seed: UInt64) throws {
    let batch = RandomBatch(seed: seed)
    let thresholds: [Float] = [-1, 0, 0.25, 0.5, 0.5, 0.8, 1.125, 1.5, .infinity]
    let counts = try MatchCounts(
      queryLabels: batch.queryLabels, lookups: batch.lookups, thresholds: thresholds,
      strategy: strategy)
    for (t, threshold) in thresholds.enumerated() {
      var (tp, fp, tn, fn) = (0, 0, 0, 0)
      for (label, results) in zip(batch.queryLabels, batch.lookups) {
        let (predicted, distance) = naiveDerivedMatch(results, strategy: strategy)
        switch (predicted == label, distance <= threshold) {
        case (true, true): tp += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        case (false, false): tn += 1
        }
      }
      #expect(counts.truePositives[t] == tp, "seed \(seed) threshold \(threshold)")
      #expect(counts.falsePositives[t] == fp, "seed \(seed) threshold \(threshold)")
      #expect(counts.trueNegatives[t] == tn, "seed \(seed) threshold \(threshold)")
      #expect(counts.falseNegatives[t] == fn, "seed \(seed) threshold \(threshold)")
    }
  }
}

/// The derived label and distance, written as plainly as possible: for majority vote, count
/// every candidate label and keep the first one with the highest count.
func naiveDerivedMatch(_ lookups: [LookupResult], strategy: MatchStrategy) -> (Int?, Float) {
  switch strategy {
  case .nearest:
    return (lookups[0].label, lookups[0].distance)
  case .majorityVote:
    var best: Int? = nil
    var bestCount = -1
    for candidate in lookups.map(\.label) {
      let count = lookups.filter { $0.label == candidate }.count
      if count > bestCount {
        best = candidate
        bestCount = count
      }
    }
    var sum: Double = 0
    for lookup in lookups { sum += Double(lookup.distance) }
    return (best, Float(sum / Double(lookups.count)))
  }
}
