import Dispatch
import SimilaritySearch
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
  /// Searches from several threads while batches and single items are added and removed.
  @Test func searchesWhileAddingAreSafe() throws {
    let d = 8
    let index = HNSWIndex(dimension: d, distance: .euclidean, maxConnections: 8,
                          efConstruction: 40, efSearch: 20, seed: 8)
    index.batchChunk = 64
    let seedData = TestData.gaussian(count: 100, dimension: d, seed: 81)
    try index.add(vectors: seedData)
    let more = TestData.gaussian(count: 1200, dimension: d, seed: 82)
    let queries = TestData.gaussian(count: 50, dimension: d, seed: 83)
    let failures = Atomic<Int>(0)
    let searches = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      do {
        if worker == 0 {
          try index.add(vectors: Array(more[0..<(800 * d)]), ids: nil, labels: nil,
                        payloads: nil, threads: 2, progress: nil)
          for i in 800..<1200 {
            try index.add(TestData.row(more, i, d))
            if i % 10 == 0 { try index.remove(id: i - 700) }
          }
        } else {
          for round in 0..<40 {
            let q = TestData.row(queries, (round + worker) % 50, d)
            let result = try index.search(q, k: 5)
            if result.count != 5 { failures.add(1, ordering: .relaxed) }
            searches.add(1, ordering: .relaxed)
          }
        }
      } catch {
        failures.add(1, ordering: .relaxed)
      }
    }
    #expect(failures.load(ordering: .relaxed) == 0)
    #expect(searches.load(ordering: .relaxed) == 120)
    #expect(index.checkInvariants().isEmpty)
    #expect(index.count == 100 + 1200 - 40)
  }
}
