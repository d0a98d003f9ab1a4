import SimilarityKernels
import SimilaritySearch
import Testing

/// Seeded test data.
enum TestData {
  /// `[count, dimension]` standard normal vectors.
  static func gaussian(count: Int, dimension: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0..<(count * dimension)).map { _ in rng.nextNormal() }
  }

  /// `[count, dimension]` points around `clusters` centres (spread 0.15 around N(0, 1) centres),
  /// with the cluster index as label.
  static func clustered(count: Int, dimension: Int, clusters: Int, seed: UInt64)
    -> (vectors: [Float], labels: [Int])
  {
    var rng = SplitMix64(seed: seed)
    let centres = (0..<(clusters * dimension)).map { _ in rng.nextNormal() }
    var vectors = [Float]()
    var labels = [Int]()
    for _ in 0..<count {
      let c = Int(rng.next() % UInt64(clusters))
      labels.append(c)
      for j in 0..<dimension { vectors.append(centres[c * dimension + j] + 0.15 * rng.nextNormal()) }
    }
    return (vectors, labels)
  }

  /// Rewrites the trailing FNV-1a 64 checksum of an index file's bytes, so a patched file
  /// passes the checksum (as an edit that knows the format would).
  static func withValidChecksum(_ bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in out[0..<(out.count - 8)] { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    for i in 0..<8 { out[out.count - 8 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
    return out
  }

  static func row(_ data: [Float], _ i: Int, _ d: Int) -> [Float] {
    Array(data[(i * d)..<((i + 1) * d)])
  }

  /// Mean fraction of the exact top-k ids that `approx` found.
  static func recall(_ approx: [[Neighbor]], _ exact: [[Neighbor]]) -> Double {
    var hits = 0
    var total = 0
    for (a, e) in zip(approx, exact) {
      let truth = Set(e.map(\.id))
      hits += a.filter { truth.contains($0.id) }.count
      total += e.count
    }
    return Double(hits) / Double(max(total, 1))
  }

  /// A unique temporary file path for `name`.
  static func temporaryPath(_ name: String) -> String {
    var rng = SystemRandomNumberGenerator()
    return "/tmp/simsearch-test-\(name)-\(rng.next() % 1_000_000_000).simx"
  }

  /// Applies `steps` seeded random mutations to `index`: an add (6 in 10, and always while fewer
  /// than 5 items live; label `step % 3` and a one-byte payload), a removal (up to `removeBelow`
  /// in 10) or an update; components are uniform in [0, `scale`). Checks the invariants every
  /// `checkEvery` steps and returns the live vectors by id.
  static func mutateRandomly(
    _ index: HNSWIndex, steps: Int, seed: UInt64, scale: Float = 1, removeBelow: UInt64 = 8,
    checkEvery: Int
  ) throws -> [Int: [Float]] {
    var rng = SplitMix64(seed: seed)
    let d = index.dimension
    var live = [Int: [Float]]()
    for step in 0..<steps {
      let action = rng.next() % 10
      if action < 6 || live.count < 5 {
        let v = (0..<d).map { _ in rng.nextUnitFloat() * scale }
        live[try index.add(v, label: step % 3, payload: [UInt8(step % 256)])] = v
      } else if action < removeBelow {
        let id = live.keys.sorted()[Int(rng.next() % UInt64(live.count))]
        try index.remove(id: id)
        live[id] = nil
      } else {
        let id = live.keys.sorted()[Int(rng.next() % UInt64(live.count))]
        let v = (0..<d).map { _ in rng.nextUnitFloat() * scale }
        try index.update(id: id, vector: v)
        live[id] = v
      }
      if step % checkEvery == 0 { #expect(index.checkInvariants().isEmpty, "step \(step)") }
    }
    return live
  }

  /// 1,500 clustered rows (15 clusters), `queryCount` Gaussian queries and an exact index of
  /// the rows: the oracle for approximate-search tests.
  static func exactFixture(
    dimension d: Int, distance: Distance, queryCount: Int, seed: UInt64
  ) throws -> (data: [Float], queries: [Float], exact: ExactIndex) {
    let (data, _) = clustered(count: 1500, dimension: d, clusters: 15, seed: seed)
    let queries = gaussian(count: queryCount, dimension: d, seed: seed + 1)
    let exact = ExactIndex(dimension: d, distance: distance)
    try exact.add(vectors: data)
    return (data, queries, exact)
  }
}
