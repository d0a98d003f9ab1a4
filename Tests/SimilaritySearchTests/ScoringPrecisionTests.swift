import SimilarityKernels
import Testing

@testable import SimilaritySearch

/// `ExactIndex.scoringPrecision = .bfloat16`: scores from bfloat16 products, then an
/// error-bounded float32 re-ranking. The oracle is the float32 index itself asked for every
/// item (k = count), whose order is the float32 distance of every item, ties by smaller id.
@Suite struct ScoringPrecisionTests {
  static let gemmDistances: [Distance] = [.euclidean, .squaredEuclidean, .cosine, .innerProduct, .snr]

  /// The float32 brute-force answer: every item's float32 ranking distance (the one the index
  /// reports), sorted with ties by smaller id, the first k as (id, reported distance).
  func oracle(_ index: ExactIndex, _ queries: [Float], k: Int, keep: (Int) -> Bool = { _ in true })
    throws -> [[Pair]]
  {
    let d = index.dimension
    return try (0..<(queries.count / d)).map { i in
      let q = try index.space.prepare(TestData.row(queries, i, d))
      let scale = try index.space.queryScale(q, row: nil)
      var all: [(Float, Int)] = []
      q.withUnsafeBufferPointer { qp in
        index.vectors.withUnsafeBufferPointer { x in
          for slot in 0..<index.count where keep(index.items.ids[slot]) {
            all.append((index.space.rankingDistance(qp.baseAddress!, x.baseAddress! + slot * d), index.items.ids[slot]))
          }
        }
      }
      all.sort { $0 < $1 }
      return all.prefix(k).map { Pair(id: $0.1, distance: index.space.reported($0.0, queryScale: scale)) }
    }
  }

  struct Pair: Equatable {
    var id: Int
    var distance: Float
  }

  func expectSame(_ got: [[Neighbor]], _ want: [[Pair]], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, sourceLocation: sourceLocation)
    var wrong = 0
    for (g, w) in zip(got, want) {
      if g.map({ Pair(id: $0.id, distance: $0.distance) }) != w || g.map(\.rank) != Array(1..<(w.count + 1)) { wrong += 1 }
    }
    #expect(wrong == 0, "\(wrong) of \(want.count) queries differ", sourceLocation: sourceLocation)
  }

  /// Near-duplicates that bfloat16 cannot tell apart (differences of 1e-4 relative) and exact
  /// ties (integer pixels repeated), over more than one query block and base block.
  static func hardData(dimension d: Int, seed: UInt64) -> (base: [Float], queries: [Float]) {
    var rng = SplitMix64(seed: seed)
    var base = [Float]()
    let prototypes = (0..<40).map { _ in (0..<d).map { _ in Float(rng.next() % 256) } }
    for i in 0..<600 {
      let p = prototypes[i % prototypes.count]
      if i % 3 == 0 {
        base += p  // exact duplicates of the prototype
      } else {
        base += p.map { $0 * (1 + 1e-4 * rng.nextNormal()) + 1e-3 * rng.nextNormal() }
      }
    }
    var queries = [Float]()
    for i in 0..<530 {
      let p = prototypes[(i * 7) % prototypes.count]
      queries += p.map { $0 + 2 * rng.nextNormal() }
    }
    return (base, queries)
  }

  @Test(arguments: gemmDistances)
  func bfloat16ScoringGivesTheFloat32Answer(distance: Distance) throws {
    let d = 37  // odd: the last pair is half padding
    let (base, queries) = Self.hardData(dimension: d, seed: 21)
    let index = ExactIndex(dimension: d, distance: distance)
    try index.add(vectors: base)
    let want = try oracle(index, queries, k: 7)
    index.scoringPrecision = .bfloat16
    #expect(index.scoringPrecision == .bfloat16)
    expectSame(try index.search(queries: queries, k: 7, threads: 1), want)
    expectSame(try index.search(queries: queries, k: 7, threads: 2), want)
    // Gaussian data too, and a single-query search.
    let gaussian = ExactIndex(dimension: 16, distance: distance)
    try gaussian.add(vectors: TestData.gaussian(count: 1000, dimension: 16, seed: 22))
    let gq = TestData.gaussian(count: 50, dimension: 16, seed: 23)
    let gwant = try oracle(gaussian, gq, k: 10)
    gaussian.scoringPrecision = .bfloat16
    expectSame(try gaussian.search(queries: gq, k: 10), gwant)
    expectSame([try gaussian.search(TestData.row(gq, 3, 16), k: 10)], [gwant[3]])
  }

  @Test func theCopyFollowsAddsRemovesUpdatesAndFilters() throws {
    let d = 12
    var rng = SplitMix64(seed: 31)
    let index = ExactIndex(dimension: d, distance: .euclidean)
    index.scoringPrecision = .bfloat16  // set while empty: the copy grows with the adds
    try index.add(vectors: TestData.gaussian(count: 70, dimension: d, seed: 32))
    var live = Array(0..<70)
    var next = 70
    for step in 0..<200 {
      switch rng.next() % 4 {
      case 0:
        try index.add(TestData.gaussian(count: 1, dimension: d, seed: 100 + UInt64(step)), id: next)
        live.append(next)
        next += 1
      case 1 where live.count > 20:
        let victim = live.remove(at: Int(rng.next() % UInt64(live.count)))
        try index.remove(id: victim)
      default:
        let id = live[Int(rng.next() % UInt64(live.count))]
        try index.update(id: id, vector: TestData.gaussian(count: 1, dimension: d, seed: 500 + UInt64(step)))
      }
    }
    let queries = TestData.gaussian(count: 40, dimension: d, seed: 33)
    let want = try oracle(index, queries, k: 5)
    expectSame(try index.search(queries: queries, k: 5), want)
    // A filter that keeps odd ids.
    let q = TestData.row(queries, 0, d)
    let filtered = try index.search(q, k: 5, filter: { $0 % 2 == 1 })
    expectSame([filtered], try oracle(index, q, k: 5, keep: { $0 % 2 == 1 }))
  }

  @Test func manhattanStaysFloat32AndEveryCPUScoresInBFloat16() throws {
    let manhattan = ExactIndex(dimension: 4, distance: .manhattan)
    manhattan.scoringPrecision = .bfloat16
    #expect(manhattan.scoringPrecision == .float32)
    let euclidean = ExactIndex(dimension: 4, distance: .euclidean)
    euclidean.scoringPrecision = .bfloat16
    #expect(euclidean.scoringPrecision == .bfloat16)
    #expect(ExactIndex.isBFloat16Accelerated == (KernelFamily.bfloat16.variant() == "avx512bf16"))
  }

  /// Every bfloat16 kernel variant this CPU runs against a Double loop: relative error within
  /// the bound the selection assumes (two roundings of 2⁻⁸ plus float32 accumulation), on
  /// ragged shapes; and each variant against the portable one (the same products, sums
  /// rounded in another order).
  @Test func bfloat16ScoresStayWithinTheirErrorBound() throws {
    for (m, n, d) in [(1, 1, 1), (13, 17, 3), (25, 40, 784), (12, 32, 64), (5, 33, 2)] {
      let x = TestData.gaussian(count: n, dimension: d, seed: UInt64(m * 1000 + n))
      let q = TestData.gaussian(count: m, dimension: d, seed: UInt64(d))
      let panelsCount = (n + 15) / 16
      var panels = [UInt32](repeating: 0, count: panelsCount * 16 * ((d + 1) / 2))
      BFloat16Scoring.packRows(x, count: n, dimension: d, firstSlot: 0, into: &panels)
      var packed = [UInt32](repeating: 0, count: BFloat16Scoring.queryWords(count: m, dimension: d))
      BFloat16Scoring.packQueries(q, count: m, dimension: d, into: &packed)
      let ldc = panelsCount * 16
      func scores(_ level: InstructionSet) -> [Float] {
        var out = [Float](repeating: .nan, count: m * ldc)
        BFloat16Scoring.scores(
          queries: packed, queryCount: m, dimension: d, panels: panels, firstPanel: 0,
          panelCount: panelsCount, into: &out, ldc: ldc, at: level)
        return out
      }
      let portable = scores(.portable)
      let epsilon = 2.0 / 256 + 1.0 / 65536 + Double(d) / 8_388_608
      for level in InstructionSet.runnable {
        let got = scores(level)
        let variant = KernelFamily.bfloat16.variant(at: level)
        for i in 0..<m {
          for j in 0..<n {
            var exact = 0.0
            var magnitude = 0.0
            for t in 0..<d {
              exact += Double(q[i * d + t]) * Double(x[j * d + t])
              magnitude += abs(Double(q[i * d + t]) * Double(x[j * d + t]))
            }
            let value = Double(got[i * ldc + j])
            #expect(abs(value - exact) <= epsilon * magnitude + 1e-30, "\(variant) m \(m) n \(n) d \(d) (\(i), \(j))")
            // Against the portable kernel: only the order of float32 sums differs.
            let rounding = Double(d) * 2.4e-7 * magnitude + 1e-30
            #expect(abs(value - Double(portable[i * ldc + j])) <= rounding, "\(variant) vs portable (\(i), \(j))")
          }
        }
      }
    }
  }
}
