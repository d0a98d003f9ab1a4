import SimilaritySearch
import Testing

@Suite struct SearchErrorTests {
  static func indexes() -> [any VectorIndex] {
    [ExactIndex(dimension: 3, distance: .cosine), HNSWIndex(dimension: 3, distance: .cosine)]
  }

  @Test(arguments: [0, 1])
  func badInputsThrow(which: Int) throws {
    let index = Self.indexes()[which]
    #expect(throws: SearchError.emptyIndex) { try index.search([1, 2, 3], k: 1) }
    #expect(throws: SearchError.dimensionMismatch(expected: 3, found: 2, row: nil)) {
      try index.add([1, 2])
    }
    #expect(throws: SearchError.nonFiniteComponent(row: nil, component: 1, value: .infinity)) {
      try index.add([1, .infinity, 3])
    }
    #expect(throws: SearchError.self) { try index.add([.nan, 1, 3]) }
    #expect(throws: SearchError.zeroVector(row: nil, distance: .cosine)) { try index.add([0, 0, 0]) }
    try index.add([1, 2, 3], id: 4, label: nil, payload: nil)
    #expect(throws: SearchError.duplicateID(4)) { try index.add([1, 2, 3], id: 4, label: nil, payload: nil) }
    #expect(throws: SearchError.invalidK(0)) { try index.search([1, 2, 3], k: 0) }
    #expect(throws: SearchError.invalidK(-2)) { try index.search([1, 2, 3], k: -2) }
    #expect(throws: SearchError.dimensionMismatch(expected: 3, found: 4, row: nil)) {
      try index.search([1, 2, 3, 4], k: 1)
    }
    #expect(throws: SearchError.self) { try index.search([1, .nan, 3], k: 1) }
    #expect(throws: SearchError.unknownID(99)) { try index.remove(id: 99) }
    #expect(throws: SearchError.unknownID(99)) { try index.update(id: 99, vector: [1, 2, 3], label: nil, payload: nil) }
    // A bad row in a batch leaves the index unchanged.
    #expect(throws: SearchError.nonFiniteComponent(row: 1, component: 0, value: -.infinity)) {
      try index.add(vectors: [1, 1, 1, -.infinity, 1, 1], ids: nil, labels: nil, payloads: nil)
    }
    #expect(throws: SearchError.countMismatch(what: "labels", expected: 2, found: 1)) {
      try index.add(vectors: [1, 1, 1, 2, 1, 1], ids: nil, labels: [1], payloads: nil)
    }
    #expect(index.count == 1)
    try index.remove(id: 4)
    #expect(throws: SearchError.emptyIndex) { try index.search([1, 2, 3], k: 1) }
  }

  @Test func snrRejectsConstantQueries() throws {
    let index = HNSWIndex(dimension: 3, distance: .snr)
    try index.add([1, 2, 4])
    #expect(throws: SearchError.zeroVector(row: nil, distance: .snr)) {
      try index.search([5, 5, 5], k: 1)
    }
  }

  @Test func messagesNameTheValues() {
    let message = SearchError.dimensionMismatch(expected: 64, found: 63, row: 7).description
    #expect(message.contains("64") && message.contains("63") && message.contains("row 7"))
    #expect(SearchError.invalidK(0).description.contains("0"))
  }
}
