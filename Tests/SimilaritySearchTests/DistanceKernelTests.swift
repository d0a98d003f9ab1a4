import SimilarityKernels
import SimilaritySearch
import Testing

@Suite struct DistanceKernelTests {
  @Test(arguments: Distance.allCases)
  func kernelsMatchReferenceOnOddLengths(distance: Distance) {
    var rng = SplitMix64(seed: 7)
    for n in [1, 2, 3, 7, 15, 16, 17, 31, 33, 47, 63, 65, 100, 127, 787] {
      var a = (0..<n).map { _ in rng.nextNormal() }
      var b = (0..<n).map { _ in rng.nextNormal() }
      if distance == .cosine {
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        a = a.map { $0 / na }
        b = b.map { $0 / nb }
      }
      if distance == .snr && n == 1 { continue }  // var(a) = 0 for one component
      let expected = distance.reference(a, b)
      let found = DistanceKernels.distance(distance, a, b)
      let tolerance = 1e-4 * max(1, abs(expected))
      #expect(abs(found - expected) <= tolerance, "\(distance) n=\(n): \(found) vs \(expected)")
    }
  }

  @Test func earlyAbandoningKeepsExactValuesBelowTheBound() {
    var rng = SplitMix64(seed: 8)
    for n in [5, 127, 128, 129, 300, 784] {
      let a = (0..<n).map { _ in rng.nextNormal() }
      let b = (0..<n).map { _ in rng.nextNormal() }
      let exact = Distance.squaredEuclidean.reference(a, b)
      let above = VectorKernels.squaredEuclidean(a, b, count: n, abandoningAbove: exact * 1.5)
      #expect(abs(above - exact) <= 1e-4 * exact, "n=\(n)")
      let below = VectorKernels.squaredEuclidean(a, b, count: n, abandoningAbove: exact * 0.25)
      #expect(below > exact * 0.25 && below <= exact * (1 + 1e-4), "n=\(n)")
    }
  }

  /// The bound is checked after 32 components (then 64, 96, every 128): a row whose first 32
  /// differences already exceed it stops there, which a principal-component basis relies on.
  @Test func earlyAbandoningChecksAfterTheFirstCacheLines() {
    for n in [100, 784] {
      let a = (0..<n).map { $0 < 32 ? Float(3) : Float(1) }
      let b = [Float](repeating: 0, count: n)
      let first32: Float = 32 * 9
      let result = VectorKernels.squaredEuclidean(a, b, count: n, abandoningAbove: first32 - 1)
      #expect(result > first32 - 1 && result <= first32, "n=\(n): \(result)")
      #expect(VectorKernels.squaredEuclidean(a, b, count: n, abandoningAbove: .infinity) == first32 + Float(n - 32))
      #expect(VectorKernels.manhattan(a, b, count: n, abandoningAbove: 32 * 3 - 1) <= 32 * 3)
      // The float16 row kernel stops at the same place.
      var halves = [UInt16](repeating: 0, count: n)
      HalfPrecision.convert(b, toHalf: &halves, count: n)
      var out: Float = 0
      let row: [UInt32] = [0]
      VectorKernels.distances(
        .squaredEuclidean, query: a, halfBase: halves, dimension: n, rows: row, count: 1,
        bound: first32 - 1, into: &out)
      #expect(out > first32 - 1 && out <= first32, "float16 n=\(n): \(out)")
    }
  }

  @Test func referenceValuesByHand() {
    let a: [Float] = [1, 2, 3]
    let b: [Float] = [2, 0, 3]
    #expect(Distance.squaredEuclidean.reference(a, b) == 5)
    #expect(abs(Distance.euclidean.reference(a, b) - Float(5).squareRoot()) < 1e-6)
    #expect(Distance.manhattan.reference(a, b) == 3)
    #expect(Distance.innerProduct.reference(a, b) == 11)
    // var(a − b) = var([-1, 2, 0]) = 14/9, var(a) = 2/3.
    #expect(abs(Distance.snr.reference(a, b) - Float(14.0 / 9.0 / (2.0 / 3.0))) < 1e-6)
    #expect(Distance.cosine.reference([1, 0], [0, 1]) == 1)
    #expect(Distance.cosine.reference([1, 0], [1, 0]) == 0)
  }

  @Test func isaIsNamed() {
    #expect(["avx512", "avx2", "portable"].contains(DistanceKernels.isa))
  }

  @Test func namesParseWithAliases() {
    #expect(Distance(name: "L2") == .euclidean)
    #expect(Distance(name: "squared_euclidean") == .squaredEuclidean)
    #expect(Distance(name: "inner_product") == .innerProduct)
    #expect(Distance(name: "taxicab") == .manhattan)
    #expect(Distance(name: "nope") == nil)
    for d in Distance.allCases { #expect(Distance(name: d.rawValue) == d) }
  }
}
