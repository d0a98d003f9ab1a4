import Testing

@testable import SimilarityTensors

@Suite struct AutodiffTests {
  @Test func matmulGradientsMatchTheAnalyticFormula() {
    // loss = sum(A • B); dA = ones • Bᵀ, dB = Aᵀ • ones.
    let a = Tensor(rows: [[1, 2], [3, 4]]).variable()
    let b = Tensor(rows: [[5, 6, 7], [8, 9, 10]]).variable()
    let c = a.matmul(b)
    #expect(c.scalars == [21, 24, 27, 47, 54, 61])
    let grads = c.gradients(of: [a, b])
    #expect(grads[0].scalars == [18, 27, 18, 27])
    #expect(grads[1].scalars == [4, 4, 4, 6, 6, 6])
  }

  @Test func reluPassesGradientOnlyWherePositive() {
    let x = Tensor(shape: [4], scalars: [-1, 0, 2, 3]).variable()
    let y = x.relu()
    #expect(y.scalars == [0, 0, 2, 3])
    #expect(y.gradients(of: [x])[0].scalars == [0, 0, 1, 1])
  }

  @Test func aVariableTheOutputDoesNotUseGetsAZeroGradient() {
    let x = Tensor(shape: [2], scalars: [1, 2]).variable()
    let unused = Tensor(shape: [3], scalars: [1, 2, 3]).variable()
    let grads = x.relu().gradients(of: [x, unused])
    #expect(grads[1].scalars == [0, 0, 0])
  }
}
