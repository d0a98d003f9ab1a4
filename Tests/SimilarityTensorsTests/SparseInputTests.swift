import SimilarityKernels
import Testing

@testable import SimilarityTensors

@Suite struct SparseInputTests {
  /// `[m, k]` with about `density` of its entries non-zero.
  static func sparseMatrix(_ m: Int, _ k: Int, density: Float, seed: UInt64) -> Tensor {
    var random = SplitMix64(seed: seed)
    let values = (0..<(m * k)).map { _ -> Float in
      random.nextUnitFloat() < density ? random.nextNormal() : 0
    }
    return Tensor(shape: [m, k], scalars: values)
  }

  @Test(arguments: [(1, 1, 1), (7, 13, 5), (256, 784, 128), (33, 100, 17)])
  func productAndWeightGradientEqualTheDenseOnes(m: Int, k: Int, n: Int) {
    let x = Self.sparseMatrix(m, k, density: 0.2, seed: UInt64(m * 1000 + k))
    var random = SplitMix64(seed: 9)
    let w = Tensor(shape: [k, n], scalars: (0..<(k * n)).map { _ in random.nextNormal() })
    let seed = Tensor(shape: [m, n], scalars: (0..<(m * n)).map { _ in random.nextNormal() })
    let wSparse = w.variable()
    let wDense = w.variable()
    let sparse = x.matmulSkippingZeros(wSparse)
    let dense = x.matmul(wDense)
    #expect(sparse.isClose(to: dense, tolerance: 1e-5))
    let gSparse = sparse.gradients(of: [wSparse], seed: seed)[0]
    let gDense = dense.gradients(of: [wDense], seed: seed)[0]
    #expect(gSparse.isClose(to: gDense, tolerance: 1e-5))
    // The naive definition, for the forward values.
    for (i, j) in [(0, 0), (m - 1, n - 1), (m / 2, n / 3)] {
      var sum = 0.0
      for p in 0..<k { sum += Double(x[i, p]) * Double(w[p, j]) }
      #expect(abs(Double(sparse[i, j]) - sum) < 1e-4 * (1 + abs(sum)))
    }
  }

  @Test func allZeroRowsGiveZeroOutputAndGradient() {
    let x = Tensor.zeros([4, 6])
    let w = Tensor(shape: [6, 3], scalars: (0..<18).map(Float.init)).variable()
    let y = x.matmulSkippingZeros(w)
    #expect(y.scalars.allSatisfy { $0 == 0 })
    #expect(y.gradients(of: [w])[0].scalars.allSatisfy { $0 == 0 })
  }

  @Test func aDenseOrDifferentiableInputTakesTheGEMMPath() {
    // Dense input: falls back to matmul, still correct and differentiable in both operands.
    let x = Self.sparseMatrix(5, 4, density: 1, seed: 2).variable()
    let w = Tensor(shape: [4, 3], scalars: (0..<12).map { Float($0) / 7 }).variable()
    let y = x.matmulSkippingZeros(w)
    #expect(y.isClose(to: x.matmul(w)))
    let grads = y.sum().gradients(of: [x, w])
    let reference = x.matmul(w).sum().gradients(of: [x, w])
    #expect(grads[0].isClose(to: reference[0]) && grads[1].isClose(to: reference[1]))
  }
}
