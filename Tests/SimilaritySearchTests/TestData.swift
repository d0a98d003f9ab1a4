import SimilarityKernels
import SimilaritySearch

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
}
