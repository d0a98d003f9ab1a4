import Testing

@testable import SimilarityMetricLearning

@Suite struct PairSetTests {
  @Test func alternatingPairsFollowTheKerasConstruction() throws {
    // Class sizes 3, 4, 3 → n = 2, so 2 positives + 2 negatives per class = 12 pairs.
    let labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, 1]
    let pairs = try PairSet.alternatingPairs(labels: labels, classCount: 3, seed: 7)
    #expect(pairs.count == 12)
    #expect(pairs.labels == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    // Positives of class 0 are (0, 3) and (3, 6): consecutive members of the class.
    #expect(pairs.first[0] == 0 && pairs.second[0] == 3)
    #expect(pairs.first[2] == 3 && pairs.second[2] == 6)
    for p in 0..<pairs.count {
      let same = labels[Int(pairs.first[p])] == labels[Int(pairs.second[p])]
      #expect(same == (pairs.labels[p] == 1), "pair \(p)")
    }
  }

  @Test func mnistSizedClassesGiveTheExamplesPairCount() throws {
    // MNIST's smallest training class (digit 5) has 5,421 examples → 10 · 2 · 5,420 pairs.
    let counts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    let labels = counts.enumerated().flatMap { Array(repeating: $0.offset, count: $0.element) }
    let pairs = try PairSet.alternatingPairs(labels: labels, classCount: 10, seed: 1)
    #expect(pairs.count == 108_400)
  }

  @Test func pairsAreDeterministicGivenTheSeed() throws {
    let labels = (0..<200).map { $0 % 5 }
    let a = try PairSet.alternatingPairs(labels: labels, classCount: 5, seed: 3)
    let b = try PairSet.alternatingPairs(labels: labels, classCount: 5, seed: 3)
    let c = try PairSet.alternatingPairs(labels: labels, classCount: 5, seed: 4)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func randomPairsAreLabelledBySameClass() throws {
    let labels = (0..<300).map { ($0 * 7) % 4 }
    let pairs = try PairSet.randomPairs(labels: labels, classCount: 4, seed: 11)
    #expect(pairs.count == 600)
    for p in 0..<pairs.count {
      let (a, b) = (Int(pairs.first[p]), Int(pairs.second[p]))
      #expect(a != b)
      #expect((labels[a] == labels[b]) == (pairs.labels[p] == 1))
    }
  }

  @Test func badLabelsAreReportedWithTheOffendingValue() {
    #expect(throws: PairSetError.labelOutOfRange(index: 1, label: 9, classCount: 3)) {
      try PairSet.alternatingPairs(labels: [0, 9, 1], classCount: 3, seed: 0)
    }
    #expect(throws: PairSetError.classTooSmall(label: 2, count: 1)) {
      try PairSet.alternatingPairs(labels: [0, 0, 1, 1, 2], classCount: 3, seed: 0)
    }
    #expect(throws: PairSetError.tooFewClasses(found: 1)) {
      try PairSet.randomPairs(labels: [0, 0, 0], classCount: 1, seed: 0)
    }
  }
}
