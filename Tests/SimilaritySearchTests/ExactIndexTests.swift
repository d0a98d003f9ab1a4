import SimilaritySearch
import Testing

@Suite struct ExactIndexTests {
  /// The naive oracle: reference distance to every row (prepared like the index), sorted.
  func naive(_ data: [Float], _ query: [Float], d: Int, distance: Distance, k: Int) -> [Int] {
    func prepare(_ v: [Float]) -> [Float] {
      switch distance {
      case .cosine:
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
      default: return v
      }
    }
    let q = prepare(query)
    let n = data.count / d
    var scored = (0..<n).map { i in (distance.reference(q, prepare(TestData.row(data, i, d))), i) }
    if distance.isSimilarity { scored = scored.map { (-$0.0, $0.1) } }
    scored.sort { ($0.0, $0.1) < ($1.0, $1.1) }
    return scored.prefix(k).map(\.1)
  }

  @Test(arguments: Distance.allCases)
  func matchesNaiveSearch(distance: Distance) throws {
    let d = 9
    let data = TestData.gaussian(count: 300, dimension: d, seed: 11)
    let queries = TestData.gaussian(count: 20, dimension: d, seed: 12)
    let index = ExactIndex(dimension: d, distance: distance)
    try index.add(vectors: data)
    let results = try index.search(queries: queries, k: 5)
    var agree = 0
    for (i, result) in results.enumerated() {
      let expected = naive(data, TestData.row(queries, i, d), d: d, distance: distance, k: 5)
      if result.map(\.id) == expected { agree += 1 }
      #expect(result.map(\.rank) == [1, 2, 3, 4, 5])
      // Reported distances agree with the reference formula.
      let top = result[0]
      var q = TestData.row(queries, i, d)
      var x = TestData.row(data, top.id, d)
      if distance == .cosine {
        let nq = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let nx = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        q = q.map { $0 / nq }
        x = x.map { $0 / nx }
      }
      let reference = distance.reference(q, x)
      #expect(abs(top.distance - reference) <= 1e-3 * max(1, abs(reference)))
    }
    #expect(agree >= 19)  // float rounding may swap a near-tie
  }

  /// More queries than one 512-row block and more items than one 256-row base block, over one
  /// and two workers: both equal the naive search (and each other).
  @Test(arguments: [Distance.euclidean, .cosine, .innerProduct, .manhattan])
  func blockedAndThreadedSearchMatchesNaive(distance: Distance) throws {
    let d = 5
    let data = TestData.gaussian(count: 700, dimension: d, seed: 13)
    let queries = TestData.gaussian(count: 1030, dimension: d, seed: 14)
    let index = ExactIndex(dimension: d, distance: distance)
    try index.add(vectors: data)
    let one = try index.search(queries: queries, k: 4, threads: 1)
    let two = try index.search(queries: queries, k: 4, threads: 2)
    #expect(one.map { $0.map(\.id) } == two.map { $0.map(\.id) })
    var agree = 0
    for i in stride(from: 0, to: 1030, by: 7) {
      let expected = naive(data, TestData.row(queries, i, d), d: d, distance: distance, k: 4)
      if one[i].map(\.id) == expected { agree += 1 }
    }
    #expect(agree >= 146)  // of 148; float rounding may swap a near-tie
  }

  @Test func kIsClippedAndTiesGoToSmallerID() throws {
    let index = ExactIndex(dimension: 2, distance: .euclidean)
    try index.add([1, 0], id: 30)
    try index.add([0, 1], id: 10)
    try index.add([-1, 0], id: 20)
    let result = try index.search([0, 0], k: 10)
    #expect(result.map(\.id) == [10, 20, 30])
    #expect(result.allSatisfy { abs($0.distance - 1) < 1e-6 })
  }

  @Test func removeUpdateLabelsPayloadsAndFilter() throws {
    let index = ExactIndex(dimension: 2, distance: .squaredEuclidean)
    let ids = try index.add(vectors: [0, 0, 1, 1, 2, 2], labels: [7, nil, 9],
                            payloads: [[1, 2], nil, [3]])
    #expect(ids == [0, 1, 2])
    try index.remove(id: 0)
    var result = try index.search([0, 0], k: 1)
    #expect(result[0].id == 1 && result[0].label == nil && result[0].payload == nil)
    try index.update(id: 2, vector: [0, 0.1], label: 5)
    result = try index.search([0, 0], k: 1)
    #expect(result[0].id == 2 && result[0].label == 5 && result[0].payload == [3])
    result = try index.search([0, 0], k: 2, filter: { $0 != 2 })
    #expect(result.map(\.id) == [1])
    #expect(index.count == 2)
  }

  @Test func innerProductRanksLargestFirst() throws {
    let index = ExactIndex(dimension: 2, distance: .innerProduct)
    try index.add(vectors: [1, 0, 3, 0, 2, 0])
    let result = try index.search([1, 0], k: 3)
    #expect(result.map(\.id) == [1, 2, 0])
    #expect(result.map(\.distance) == [3, 2, 1])
  }
}
