import Testing

@testable import SimilarityEvaluation

/// Expects `actual` within `tolerance` of `expected`.
func expectClose(
  _ actual: Float, _ expected: Float, tolerance: Float = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    abs(actual - expected) <= tolerance, "\(actual) is not within \(tolerance) of \(expected)",
    sourceLocation: sourceLocation)
}

/// Expects two vectors of the same length, element-wise within `tolerance`.
func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    actual.count == expected.count, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
  for (a, e) in zip(actual, expected) {
    #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
  }
}

/// Lookups from parallel label and distance rows.
func lookups(labels: [[Int?]], distances: [[Float]]) -> [[LookupResult]] {
  zip(labels, distances).map { row in
    zip(row.0, row.1).map { LookupResult(distance: $1, label: $0) }
  }
}

/// Lookups with every distance 0, from a relevance mask against the query labels: a `true`
/// becomes the query's label, a `false` a label no query has.
func lookups(queryLabels: [Int], mask: [[Bool]]) -> [[LookupResult]] {
  zip(queryLabels, mask).map { label, row in
    row.map { LookupResult(distance: 0, label: $0 ? label : -1) }
  }
}

/// A seeded generator for random test data (Marsaglia's xorshift64*), so a failing seed
/// reproduces.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed | 1 }
  mutating func next() -> UInt64 {
    state ^= state >> 12
    state ^= state << 25
    state ^= state >> 27
    return state &* 0x2545_F491_4F6C_DD1D
  }
}

/// A random labelled batch: few labels (some neighbours unlabelled) and distances on a coarse
/// grid, so that labels and distances tie often.
struct RandomBatch {
  var queryLabels: [Int]
  var lookups: [[LookupResult]]
  var classSizes: [Int: Int]

  init(seed: UInt64, queryCount: Int = 40, lookupCount: Int = 6, labelCount: Int = 4) {
    var random = SeededGenerator(seed: seed)
    queryLabels = (0..<queryCount).map { _ in Int.random(in: 0..<labelCount, using: &random) }
    lookups = (0..<queryCount).map { _ in
      let distances = (0..<lookupCount).map { _ in
        Float(Int.random(in: 0...12, using: &random)) / 8
      }.sorted()
      return distances.map { distance in
        let label: Int? =
          Int.random(in: 0..<10, using: &random) == 0
          ? nil : Int.random(in: 0..<labelCount, using: &random)
        return LookupResult(distance: distance, label: label)
      }
    }
    classSizes = Dictionary(
      uniqueKeysWithValues: (0..<labelCount).map { ($0, Int.random(in: 1...8, using: &random)) })
  }
}
