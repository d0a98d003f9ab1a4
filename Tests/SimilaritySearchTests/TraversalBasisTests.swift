import SimilarityKernels
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@testable import SimilaritySearch

@Suite struct TraversalBasisTests {
  /// Data stretched along known orthogonal directions: the fitted axes are orthonormal, come in
  /// order of decreasing variance (measured by projecting the data, a naive loop), and the first
  /// two are the planted directions.
  @Test func principalAxesFindThePlantedDirections() {
    let d = 12
    let n = 3000
    var rng = SplitMix64(seed: 21)
    // Two orthonormal directions: u = (1, 1, 1, 1, 0…)/2 and w = (0, 0, 0, 0, 1, −1, 0…)/√2.
    var u = [Float](repeating: 0, count: d)
    var w = [Float](repeating: 0, count: d)
    for j in 0..<4 { u[j] = 0.5 }
    w[4] = 1 / Float(2).squareRoot()
    w[5] = -w[4]
    var rows = [Float](repeating: 0, count: n * d)
    for r in 0..<n {
      let a = 10 * rng.nextNormal()
      let b = 4 * rng.nextNormal()
      for j in 0..<d { rows[r * d + j] = 5 + a * u[j] + b * w[j] + 0.5 * rng.nextNormal() }
    }
    let v = rows.withUnsafeBufferPointer {
      PrincipalAxes.fit(rows: $0.baseAddress!, count: n, dimension: d)
    }
    func column(_ j: Int) -> [Float] { (0..<d).map { v[$0 * d + j] } }
    func dot(_ x: [Float], _ y: [Float]) -> Float { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
    for i in 0..<d {
      for j in 0..<d {
        #expect(abs(dot(column(i), column(j)) - (i == j ? 1 : 0)) < 1e-4, "axes \(i), \(j)")
      }
    }
    #expect(abs(dot(column(0), u)) > 0.999)
    #expect(abs(dot(column(1), w)) > 0.999)
    var variances = [Double]()
    for j in 0..<d {
      let c = column(j)
      let projections = (0..<n).map { r in Double(dot(Array(rows[(r * d)..<((r + 1) * d)]), c)) }
      let mean = projections.reduce(0, +) / Double(n)
      variances.append(projections.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n))
    }
    #expect(zip(variances, variances.dropFirst()).allSatisfy { $0 >= $1 * 0.999 }, "\(variances)")
    #expect(abs(variances[0] - 100) < 10 && abs(variances[1] - 16) < 2)
  }

  @Test(arguments: [Distance.euclidean, .squaredEuclidean, .cosine, .innerProduct, .snr])
  func principalComponentWalkKeepsRecallAndReportsExactDistances(distance: Distance) throws {
    let d = 40
    let (data, queries, exact) = try TestData.exactFixture(
      dimension: d, distance: distance, queryCount: 40, seed: 81)
    let truth = try exact.search(queries: queries, k: 10)
    func build(_ basis: TraversalBasis) throws -> HNSWIndex {
      let index = HNSWIndex(dimension: d, distance: distance, maxConnections: 12,
                            efConstruction: 80, efSearch: distance == .innerProduct ? 200 : 64,
                            seed: 7)
      index.traversalBasis = basis
      // One worker: the graphs are then functions of the data (and rounding), not of timing.
      try index.add(vectors: data, ids: nil, labels: nil, payloads: nil, threads: 1, progress: nil)
      return index
    }
    let original = try build(.original)
    let rotated = try build(.principalComponents)
    #expect(rotated.traversalBasis == .principalComponents)
    #expect(rotated.checkInvariants().isEmpty)
    let found = try rotated.search(queries: queries, k: 10)
    let recall = TestData.recall(found, truth)
    let baseline = TestData.recall(try original.search(queries: queries, k: 10), truth)
    #expect(recall >= baseline - 0.01, "recall \(recall) vs \(baseline)")
    let sign: Float = distance == .innerProduct ? -1 : 1
    for (list, q) in zip(found, 0..<queries.count / d) {
      let reference = try exact.search(TestData.row(queries, q, d), k: 1500)
      let byID = Dictionary(uniqueKeysWithValues: reference.map { ($0.id, $0.distance) })
      for n in list { #expect(abs(n.distance - byID[n.id]!) <= 1e-4 * (1 + abs(byID[n.id]!))) }
      #expect(zip(list, list.dropFirst()).allSatisfy { sign * $0.distance <= sign * $1.distance })
    }
    // One query through the single-query path gives the batch path's answer.
    let single = try rotated.search(TestData.row(queries, 3, d), k: 10)
    #expect(single.map(\.id) == found[3].map(\.id))
  }

  /// Switching the basis changes how the graph is walked, not the graph: back on the original
  /// basis the answers are bit-identical to before, and the rotated copy is gone.
  @Test func settingTheBasisOnAFilledIndexFitsItAndSwitchingBackRestoresTheWalk() throws {
    let d = 20
    let data = TestData.gaussian(count: 800, dimension: d, seed: 91)
    let queries = TestData.gaussian(count: 30, dimension: d, seed: 92)
    let index = HNSWIndex(dimension: d, distance: .euclidean, maxConnections: 8,
                          efConstruction: 60, efSearch: 40, seed: 3)
    try index.add(vectors: data, ids: nil, labels: nil, payloads: nil, threads: 1, progress: nil)
    let before = try index.search(queries: queries, k: 5)
    let plainBytes = index.structureBytes.other
    index.traversalBasis = .principalComponents
    #expect(index.checkInvariants().isEmpty)
    #expect(index.structureBytes.other > plainBytes)
    let exact = ExactIndex(dimension: d, distance: .euclidean)
    try exact.add(vectors: data)
    let truth = try exact.search(queries: queries, k: 5)
    #expect(TestData.recall(try index.search(queries: queries, k: 5), truth) >= 0.9)
    index.traversalBasis = .original
    #expect(index.structureBytes.other == plainBytes)
    #expect(index.checkInvariants().isEmpty)
    let after = try index.search(queries: queries, k: 5)
    #expect(after.map { $0.map(\.id) } == before.map { $0.map(\.id) })
    #expect(after.map { $0.map(\.distance) } == before.map { $0.map(\.distance) })
  }

  /// Single adds into an empty index walk the original rows until `minimumRowsToFit` are
  /// stored, then the axes are fitted on them; removals, slot reuse, updates and batch adds keep
  /// the rotated copy — and a float16 copy of it — current.
  @Test func theRotatedCopyFollowsAddsRemovalsAndUpdates() throws {
    let d = 9
    let index = HNSWIndex(dimension: d, distance: .euclidean, maxConnections: 4,
                          efConstruction: 20, efSearch: 20, seed: 5, capacity: 8)
    index.traversalBasis = .principalComponents
    index.traversalPrecision = .float16
    #expect(index.minimumRowsToFit == 256)
    var rng = SplitMix64(seed: 16)
    let first = (0..<(200 * d)).map { _ in rng.nextUnitFloat() * 300 }
    let firstIDs = try index.add(vectors: first, ids: nil, labels: nil, payloads: nil, threads: 1,
                                 progress: nil)
    #expect(index.rotation == nil && index.traversalBasis == .principalComponents)
    #expect(index.checkInvariants().isEmpty)
    var live = try TestData.mutateRandomly(index, steps: 300, seed: 15, scale: 300, checkEvery: 30)
    // The mutations only touch the ids they added themselves.
    for (r, id) in firstIDs.enumerated() { live[id] = TestData.row(first, r, d) }
    #expect(index.rotation != nil, "\(index.storedSlots) slots stored")
    let batch = (0..<(50 * d)).map { _ in rng.nextUnitFloat() * 300 }
    let ids = try index.add(vectors: batch, ids: nil, labels: nil, payloads: nil, threads: 1,
                            progress: nil)
    for (r, id) in ids.enumerated() { live[id] = TestData.row(batch, r, d) }
    #expect(index.checkInvariants().isEmpty)
    for (id, v) in live {
      let first = try index.search(v, k: 1).first
      #expect(first?.id == id)
      #expect(first?.distance == 0)
    }
  }
}
