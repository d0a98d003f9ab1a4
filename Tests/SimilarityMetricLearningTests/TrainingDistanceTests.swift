import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct TrainingDistanceTests {
  static let a = Tensor(rows: [[0, 0], [0, 1], [1, 1], [3, 0]])
  static let b = Tensor(rows: [[0, 1], [1, 1], [3, 0]])

  @Test func innerProductGoldenValues() {
    let value = Distance.innerProduct.pairwise(Self.a, Self.b)
    #expect(value.shape == [4, 3])
    #expect(value.scalars == [0, 0, 0, 1, 1, 0, 1, 2, 3, 0, 3, 9])
  }

  @Test func cosineGoldenValuesIncludingTheZeroVector() {
    // Not normalised: 1 − a·b clipped at 0, so the zero row is at distance 1 from everything.
    let value = Distance.cosine.pairwise(Self.a, Self.b)
    #expect(value.scalars == [1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0])
  }

  @Test func cosineAndInnerProductOfNormalisedVectors() {
    let x = Tensor(rows: [[0.1, 0.3, 0.2], [0.0, 0.1, 0.5]]).l2Normalized(alongAxis: 1)
    let cosine = Distance.cosine.pairwise(x, x)
    let inner = Distance.innerProduct.pairwise(x, x)
    #expect(abs(cosine[0, 1] - 0.31861484) < 1e-6 && abs(cosine[1, 0] - 0.31861484) < 1e-6)
    #expect(abs(inner[0, 1] - 0.68138516) < 1e-6 && abs(inner[1, 0] - 0.68138516) < 1e-6)
  }

  @Test func euclideanGoldenValues() {
    let x = Tensor(rows: [[0, 3], [4, 0]])
    #expect(abs(Distance.euclidean.pairwise(x, x).sum().item - 10) < 1e-5)
    let keys = Tensor(rows: [[0, 1], [0, 1], [1, 1]])
    let value = Distance.euclidean.pairwise(keys, Tensor(rows: [[2, 1], [1, 1]]))
    #expect(isClose(value.scalars, [2, 1, 2, 1, 1, 0], tolerance: 1e-6))
  }

  @Test func manhattanGoldenValues() {
    let value = Distance.manhattan.pairwise(Self.a, Self.a)
    #expect(value.scalars == [0, 1, 2, 3, 1, 0, 1, 4, 2, 1, 0, 3, 3, 4, 3, 0])
  }

  @Test func snrMatchesALoop() {
    let (x, _) = randomBatch(count: 6, dimension: 7, classes: 2, seed: 3, normalized: false)
    let value = Distance.snr.pairwise(x, x)
    let r = rowArrays(x)
    let expected = r.flatMap { p in r.map { q in Double(Distance.snr.reference(p, q)) } }
    #expect(isClose(value.scalars, expected, tolerance: 1e-4))
    #expect(value[0, 1] != value[1, 0])
  }

  @Test(arguments: Distance.allCases)
  func pairwiseAndPairedAgreeWithTheSearchReference(distance: Distance) {
    let (q, _) = randomBatch(count: 5, dimension: 6, classes: 2, seed: 7)
    let (k, _) = randomBatch(count: 4, dimension: 6, classes: 2, seed: 8)
    let matrix = distance.pairwise(q, k)
    let (qr, kr) = (rowArrays(q), rowArrays(k))
    let expected = qr.flatMap { p in kr.map { Double(distance.reference(p, $0)) } }
    #expect(isClose(matrix.scalars, expected, tolerance: 1e-4))
    let paired = distance.paired(q.slicing(0..<4), k)
    #expect(isClose(paired.scalars, (0..<4).map { Double(distance.reference(qr[$0], kr[$0])) }))
  }

  @Test(arguments: Distance.allCases)
  func gradientMatchesFiniteDifferences(distance: Distance) {
    let (q, _) = randomBatch(count: 4, dimension: 5, classes: 2, seed: 11)
    let (k, _) = randomBatch(count: 3, dimension: 5, classes: 2, seed: 12)
    let weights = randomBatch(count: 4, dimension: 3, classes: 2, seed: 13, normalized: false).0
    expectGradientMatchesFiniteDifferences(at: q) { (distance.pairwise($0, k) * weights).sum() }
    expectGradientMatchesFiniteDifferences(at: k) { (distance.pairwise(q, $0) * weights).sum() }
  }

  @Test(arguments: Distance.allCases)
  func gradientIsFiniteAtIdenticalPoints(distance: Distance) {
    // One-hot rows repeated: distances to themselves are exactly 0 for the metric cases.
    let x = Tensor.oneHot([0, 1, 0, 2], depth: 3).variable()
    let value = distance.pairwise(x, x).sum()
    #expect(value.gradients(of: [x])[0].scalars.allSatisfy { $0.isFinite })
  }

  @Test func euclideanGradientIsZeroAtACoincidentPair() {
    let x = Tensor(rows: [[1, 2]]).variable()
    let y = Tensor(rows: [[1, 2]])
    let value = Distance.euclidean.pairwise(x, y).sum()
    #expect(value.item == 0)
    #expect(value.gradients(of: [x])[0].scalars == [0, 0])
  }

  @Test func manhattanMatchesTheBroadcastFormOnABatchSplitOverThreads() {
    let (q, _) = randomBatch(count: 40, dimension: 9, classes: 2, seed: 21)
    let (k, _) = randomBatch(count: 33, dimension: 9, classes: 2, seed: 22)
    let weights = randomBatch(count: 40, dimension: 33, classes: 2, seed: 23, normalized: false).0
    let (qv, kv) = (q.variable(), k.variable())
    let fast = (Distance.manhattan.pairwise(qv, kv) * weights).sum()
    let broadcast = ((qv.expandingShape(at: 1) - kv.expandingShape(at: 0)).abs()
      .sum(alongAxes: [2]) * weights).sum()
    #expect(abs(fast.item - broadcast.item) < 1e-3)
    let (g1, g2) = (fast.gradients(of: [qv, kv]), broadcast.gradients(of: [qv, kv]))
    #expect(g1[0].isClose(to: g2[0], tolerance: 1e-4) && g1[1].isClose(to: g2[1], tolerance: 1e-4))
  }
}
