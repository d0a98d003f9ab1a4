import SimilarityKernels
import SimilaritySearch
import Testing

@Suite struct HNSWIndexTests {
  @Test(arguments: Distance.allCases)
  func recallOnRandomAndClusteredData(distance: Distance) throws {
    let d = 12
    let random = TestData.gaussian(count: 1200, dimension: d, seed: 21)
    let clustered = TestData.clustered(count: 1200, dimension: d, clusters: 12, seed: 22).vectors
    let queries = TestData.gaussian(count: 60, dimension: d, seed: 23)
    for (name, data) in [("random", random), ("clustered", clustered)] {
      let exact = ExactIndex(dimension: d, distance: distance)
      try exact.add(vectors: data)
      // Maximum inner product search needs a wider beam (the graph is built with L2).
      let hnsw = HNSWIndex(dimension: d, distance: distance, maxConnections: 12,
                           efConstruction: 80, efSearch: distance == .innerProduct ? 200 : 64,
                           seed: 5)
      try hnsw.add(vectors: data, ids: nil, labels: nil, payloads: nil, threads: 2, progress: nil)
      #expect(hnsw.checkInvariants().isEmpty)
      let recall = TestData.recall(try hnsw.search(queries: queries, k: 10),
                                   try exact.search(queries: queries, k: 10))
      #expect(recall >= 0.95, "\(distance) \(name): recall@10 \(recall)")
    }
  }

  @Test func distancesAndOrderMatchExactOnFoundItems() throws {
    let d = 8
    let data = TestData.gaussian(count: 400, dimension: d, seed: 31)
    let exact = ExactIndex(dimension: d, distance: .euclidean)
    let hnsw = HNSWIndex(dimension: d, distance: .euclidean, efSearch: 200, seed: 1)
    try exact.add(vectors: data)
    try hnsw.add(vectors: data)
    let query = TestData.gaussian(count: 1, dimension: d, seed: 32)
    let a = try hnsw.search(query, k: 5)
    let e = try exact.search(query, k: 5)
    #expect(a.map(\.id) == e.map(\.id))
    for (x, y) in zip(a, e) { #expect(abs(x.distance - y.distance) < 1e-4) }
  }

  @Test func singleThreadedBuildIsDeterministic() throws {
    let data = TestData.gaussian(count: 300, dimension: 6, seed: 41)
    let query = TestData.gaussian(count: 1, dimension: 6, seed: 42)
    var lists = [[Int]]()
    for _ in 0..<2 {
      let index = HNSWIndex(dimension: 6, distance: .euclidean, efSearch: 10, seed: 9)
      try index.add(vectors: data, ids: nil, labels: nil, payloads: nil, threads: 1, progress: nil)
      lists.append(try index.search(query, k: 10).map(\.id))
    }
    #expect(lists[0] == lists[1])
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func invariantsHoldThroughRandomAddRemoveUpdate(seed: UInt64) throws {
    let index = HNSWIndex(dimension: 5, distance: .euclidean, maxConnections: 4,
                          efConstruction: 20, efSearch: 20, seed: seed)
    let live = try TestData.mutateRandomly(
      index, steps: 600, seed: seed, removeBelow: 9, checkEvery: 50)
    #expect(index.checkInvariants() == [])
    #expect(index.count == live.count)
    // Every live item is found as its own nearest neighbour; removed ones never appear.
    var selfHits = 0
    for (id, v) in live {
      let result = try index.search(v, k: 3)
      if result.first?.id == id { selfHits += 1 }
      #expect(result.allSatisfy { live[$0.id] != nil })
    }
    #expect(Double(selfHits) >= 0.97 * Double(live.count))
  }

  @Test func filterAndLabelsAndPayloads() throws {
    let (data, labels) = TestData.clustered(count: 500, dimension: 6, clusters: 5, seed: 51)
    let index = HNSWIndex(dimension: 6, distance: .cosine, seed: 2)
    try index.add(vectors: data, ids: nil, labels: labels.map { $0 },
                  payloads: labels.map { [UInt8($0)] })
    let query = TestData.row(data, 0, 6)
    let result = try index.search(query, k: 10, filter: { $0 % 2 == 0 })
    #expect(result.count == 10)
    #expect(result.allSatisfy { $0.id % 2 == 0 })
    #expect(result.allSatisfy { $0.payload == [UInt8($0.label!)] })
    #expect(result.map(\.rank) == Array(1...10))
  }

  @Test func removedSlotsAreReusedAndKeepSearchCorrect() throws {
    let data = TestData.gaussian(count: 200, dimension: 4, seed: 61)
    let index = HNSWIndex(dimension: 4, distance: .squaredEuclidean, seed: 3)
    try index.add(vectors: data)
    for id in 0..<50 { try index.remove(id: id) }
    #expect(index.count == 150)
    #expect(index.storedSlots == 200)
    let fresh = TestData.gaussian(count: 30, dimension: 4, seed: 62)
    try index.add(vectors: fresh, ids: Array(1000..<1030), labels: nil, payloads: nil)
    #expect(index.storedSlots == 200)
    #expect(index.checkInvariants().isEmpty)
    let found = try index.search(TestData.row(fresh, 7, 4), k: 1)
    #expect(found[0].id == 1007 && found[0].distance < 1e-6)
  }
}
