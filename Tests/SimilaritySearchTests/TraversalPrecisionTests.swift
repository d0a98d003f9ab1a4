import SimilarityKernels
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@testable import SimilaritySearch

@Suite struct TraversalPrecisionTests {
  #if arch(x86_64) || arch(arm64)
    /// The C conversion against Swift's own `Float16` (round to nearest even) over normal,
    /// subnormal, tie and boundary values; beyond the largest half it saturates instead of
    /// overflowing to infinity.
    @Test func halfConversionMatchesSwiftFloat16() {
      var values: [Float] = [
        0, -0, 1, -1, 0.5, 1.0 / 3, 255, 2048, 2049, 2051, 65504, -65504, 65519, 6.1e-5,
        5.96e-8, 2.98e-8, 2.99e-8, 1e-10, 3.0e-5, -4.2e-6, 1 + 1.0 / 2048, 1 + 3.0 / 2048,
      ]
      var rng = SplitMix64(seed: 3)
      for _ in 0..<20_000 {
        let scale = Float(1 << Int(rng.next() % 24)) / 4096
        values.append(rng.nextNormal() * scale)
      }
      var halves = [UInt16](repeating: 0, count: values.count)
      HalfPrecision.convert(values, toHalf: &halves, count: values.count)
      var back = [Float](repeating: 0, count: values.count)
      HalfPrecision.convert(halves, toFloat: &back, count: values.count)
      for (i, v) in values.enumerated() {
        let expected = Float16(v)
        #expect(halves[i] == expected.bitPattern, "\(v): \(halves[i]) vs \(expected.bitPattern)")
        #expect(back[i] == Float(expected), "\(v)")
      }
      var big = [UInt16](repeating: 0, count: 3)
      HalfPrecision.convert([65520, -1e9, .infinity], toHalf: &big, count: 3)
      #expect(big == [Float16(65504).bitPattern, Float16(-65504).bitPattern, Float16(65504).bitPattern])
    }
  #endif

  /// The float16 kernel against the float32 one on rows rounded to float16 first (so both see
  /// the same numbers), for every metric, odd dimensions and the early-abandon bound.
  @Test(arguments: [1, 7, 16, 33, 128, 300, 784])
  func halfRowKernelMatchesFloatKernelOnRoundedRows(dimension d: Int) {
    let count = 9
    let base = TestData.gaussian(count: count, dimension: d, seed: UInt64(d))
    let query = TestData.gaussian(count: 1, dimension: d, seed: 99)
    var halves = [UInt16](repeating: 0, count: base.count)
    HalfPrecision.convert(base, toHalf: &halves, count: base.count)
    var rounded = [Float](repeating: 0, count: base.count)
    HalfPrecision.convert(halves, toFloat: &rounded, count: base.count)
    let rows = (0..<UInt32(count)).reversed().map { $0 }
    for metric in RowMetric.allCases {
      var half = [Float](repeating: 0, count: count)
      var full = [Float](repeating: 0, count: count)
      VectorKernels.distances(
        metric, query: query, halfBase: halves, dimension: d, rows: rows, count: count,
        bound: .infinity, into: &half)
      VectorKernels.distances(
        metric, query: query, base: rounded, dimension: d, rows: rows, count: count,
        bound: .infinity, into: &full)
      for j in 0..<count {
        #expect(abs(half[j] - full[j]) <= 1e-4 * (1 + abs(full[j])), "metric \(metric) d \(d)")
      }
      // A bound below every value: each result must still exceed the bound.
      if metric == .squaredEuclidean || metric == .manhattan {
        let bound = full.min()! / 4
        VectorKernels.distances(
          metric, query: query, halfBase: halves, dimension: d, rows: rows, count: count,
          bound: bound, into: &half)
        #expect(half.allSatisfy { $0 > bound })
      }
    }
  }

  @Test(arguments: [Distance.euclidean, .cosine, .innerProduct, .manhattan])
  func float16TraversalKeepsRecallAndReportsExactDistances(distance: Distance) throws {
    let d = 24
    let (data, queries, exact) = try TestData.exactFixture(
      dimension: d, distance: distance, queryCount: 50, seed: 61)
    let hnsw = HNSWIndex(dimension: d, distance: distance, maxConnections: 12, efConstruction: 80,
                         efSearch: distance == .innerProduct ? 200 : 64, seed: 7)
    try hnsw.add(vectors: data)
    let truth = try exact.search(queries: queries, k: 10)
    let full = try hnsw.search(queries: queries, k: 10)
    hnsw.traversalPrecision = .float16
    #expect(hnsw.traversalPrecision == .float16)
    #expect(hnsw.checkInvariants().isEmpty)
    let half = try hnsw.search(queries: queries, k: 10)
    let recall = TestData.recall(half, truth)
    #expect(recall >= TestData.recall(full, truth) - 0.01, "recall \(recall)")
    // Whatever the walk found, the reported distances are the exact ones, nearest first.
    for (found, q) in zip(half, 0..<50) {
      let query = TestData.row(queries, q, d)
      let reference = try exact.search(query, k: 1500)
      let byID = Dictionary(uniqueKeysWithValues: reference.map { ($0.id, $0.distance) })
      for n in found { #expect(abs(n.distance - byID[n.id]!) <= 1e-4 * (1 + abs(byID[n.id]!))) }
      // Inner product is reported as a similarity: larger is nearer.
      let sign: Float = distance == .innerProduct ? -1 : 1
      #expect(zip(found, found.dropFirst()).allSatisfy { sign * $0.distance <= sign * $1.distance })
    }
    hnsw.traversalPrecision = .float32
    #expect(try hnsw.search(queries: queries, k: 10).map { $0.map(\.id) } == full.map { $0.map(\.id) })
  }

  @Test func theFloat16CopyFollowsAddsRemovalsAndUpdates() throws {
    let index = HNSWIndex(dimension: 6, distance: .euclidean, maxConnections: 4,
                          efConstruction: 20, efSearch: 20, seed: 5, capacity: 8)
    index.traversalPrecision = .float16
    let live = try TestData.mutateRandomly(index, steps: 400, seed: 5, scale: 300, checkEvery: 50)
    #expect(index.checkInvariants().isEmpty)
    // Every live vector finds itself first.
    for (id, v) in live { #expect(try index.search(v, k: 1).first?.id == id) }
  }

  /// Neither the float16 copy nor the principal-component basis is saved.
  @Test func aLoadedIndexWalksFloat32OriginalRowsUntilToldOtherwise() throws {
    let data = TestData.gaussian(count: 300, dimension: 5, seed: 71)
    let index = HNSWIndex(dimension: 5, distance: .euclidean, seed: 1)
    index.traversalBasis = .principalComponents
    try index.add(vectors: data)
    index.traversalPrecision = .float16
    let path = TestData.temporaryPath("precision")
    defer { unlink(path) }
    try index.write(to: path)
    let loaded = try #require(try loadIndex(from: path) as? HNSWIndex)
    #expect(loaded.traversalPrecision == .float32)
    #expect(loaded.traversalBasis == .original)
    loaded.traversalPrecision = .float16
    loaded.traversalBasis = .principalComponents
    #expect(loaded.checkInvariants().isEmpty)
    let query = TestData.row(data, 17, 5)
    #expect(try loaded.search(query, k: 3).map(\.id) == (try index.search(query, k: 3)).map(\.id))
  }
}
