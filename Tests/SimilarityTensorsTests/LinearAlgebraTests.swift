import Testing

@testable import SimilarityTensors

@Suite struct LinearAlgebraTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matmulWithTransposes(transposingA: Bool, transposingB: Bool) {
    let (m, k, n) = (3, 5, 4)
    let a = Sample.tensor(transposingA ? [k, m] : [m, k], seed: 51)
    let b = Sample.tensor(transposingB ? [n, k] : [k, n], seed: 52)
    let product = a.matmul(b, transposingA: transposingA, transposingB: transposingB)
    let expected = (transposingA ? a.transposed() : a).matmul(transposingB ? b.transposed() : b)
    #expect(product.shape == [m, n])
    #expect(product.isClose(to: expected))
    expectGradients([a, b]) { $0[0].matmul($0[1], transposingA: transposingA, transposingB: transposingB) }
  }

  @Test func batchedMatmul() {
    let a = Sample.tensor([2, 3, 4], seed: 53)
    let b = Sample.tensor([2, 5, 4], seed: 54)
    let c = a.matmul(b, transposingA: false, transposingB: true)
    #expect(c.shape == [2, 3, 5])
    let second = a.slicing(1..<2).squeezingShape(at: 0).matmul(b.slicing(1..<2).squeezingShape(at: 0).transposed())
    #expect(c.slicing(1..<2).squeezingShape(at: 0).isClose(to: second))
    expectGradients([a, b]) { $0[0].matmul($0[1], transposingA: false, transposingB: true) }
    expectGradients([a, b.transposed(permutation: [0, 2, 1])]) { $0[0].matmul($0[1]) }
  }

  @Test func degenerateMatmulGivesZeros() {
    let a = Tensor.zeros([3, 0])
    let b = Tensor.zeros([0, 2])
    #expect(a.matmul(b).scalars == [0, 0, 0, 0, 0, 0])
  }

  @Test func normalizationDistancesAndDot() {
    let x = Tensor(rows: [[3, 4], [0, 0]])
    #expect(x.l2Normalized().scalars == [0.6, 0.8, 0, 0])
    let a = Tensor(rows: [[0, 0], [1, 1]])
    let b = Tensor(rows: [[1, 0], [0, 0], [2, 2]])
    #expect(a.pairwiseSquaredEuclideanDistances(to: b).scalars == [1, 0, 8, 1, 2, 2])
    #expect(Tensor(shape: [3], scalars: [1, 2, 3]).dot(Tensor(shape: [3], scalars: [4, 5, 6])).item == 32)

    let p = Sample.tensor([4, 3], seed: 55)
    let q = Sample.tensor([5, 3], seed: 56)
    expectGradients([p]) { $0[0].l2Normalized() }
    expectGradients([Sample.tensor([3, 4], seed: 57)]) { $0[0].l2Normalized(alongAxis: 0) }
    expectGradients([p, q]) { $0[0].pairwiseSquaredEuclideanDistances(to: $0[1]) }
    expectGradients([p, p * 0.5]) { $0[0].dot($0[1]) }
  }
}
