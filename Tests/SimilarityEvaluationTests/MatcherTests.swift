import Testing

@testable import SimilarityEvaluation

@Suite struct MatcherTests {
  let batch = lookups(
    labels: [[1, 2, 2], [3, 3, 1], [nil, 4, 4], [5, 6, 6]],
    distances: [[0.1, 0.2, 0.3], [0.5, 0.6, 0.7], [0.1, 0.2, 0.3], [0.35, 0.4, 0.5]])

  @Test func nearestAcceptsWithinTheThresholdAndOtherwiseSaysUnknown() {
    let matcher = Matcher(threshold: 0.35)
    // Query 2's nearest neighbour has no label, so its match is unknown too.
    #expect(matcher.match(batch) == [1, nil, nil, 5])
    #expect(matcher.match([]) == nil)
  }

  @Test func majorityVoteComparesTheMeanDistance() {
    // Means: 0.2, 0.6, 0.2, 0.41667.
    let matcher = Matcher(threshold: 0.45, strategy: .majorityVote)
    #expect(matcher.match(batch) == [2, nil, 4, 6])
  }

  @Test func aCalibratedCutpointAdmitsWhatItAdmittedDuringCalibration() throws {
    let queryLabels = [1, 2, 3]
    let calibrationLookups = lookups(
      labels: [[1], [2], [9]], distances: [[0.123456781], [0.2], [0.3]])
    let calibration = try Calibration(
      queryLabels: queryLabels, lookups: calibrationLookups, optimizing: .precision)
    // Precision is 1 up to 0.2 and the last argmax is kept.
    let matcher = Matcher(threshold: calibration.optimal.distance, strategy: calibration.strategy)
    #expect(matcher.match(calibrationLookups) == [1, 2, nil])
  }
}
