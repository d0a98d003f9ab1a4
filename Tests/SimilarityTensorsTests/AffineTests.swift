import SimilarityKernels
import Testing

@testable import SimilarityTensors

@Suite struct AffineTests {
  /// The naive definition in Double: act(x • w + b).
  static func naive(_ x: Tensor, _ w: Tensor, _ b: Tensor?, rectified: Bool) -> [Double] {
    let (m, k, n) = (x.shape[0], x.shape[1], w.shape[1])
    var out = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = b.map { Double($0.scalars[j]) } ?? 0
        for p in 0..<k { sum += Double(x.scalars[i * k + p]) * Double(w.scalars[p * n + j]) }
        out[i * n + j] = rectified ? Swift.max(sum, 0) : sum
      }
    }
    return out
  }

  static func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var random = SplitMix64(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in random.nextNormal() })
  }

  // Shapes cover: fewer rows than one 64-row block, several blocks with a ragged last one,
  // widths below, at, and past the kernel's 128-column register block, and k not a multiple
  // of the 16-lane compare.
  @Test(arguments: [
    (1, 1, 1, 0.2), (7, 13, 5, 0.2), (200, 784, 128, 0.19), (130, 37, 130, 0.3),
    (65, 100, 300, 0.1), (70, 50, 16, 1.0), (129, 64, 129, 0.6),
  ])
  func fusedInferenceEqualsTheNaiveDefinition(m: Int, k: Int, n: Int, density: Float) {
    let x = SparseInputTests.sparseMatrix(m, k, density: density, seed: UInt64(m * 31 + k))
    let w = Self.random([k, n], seed: UInt64(n))
    let b = Self.random([n], seed: 77)
    for (bias, rectified, skipping) in [(b, true, true), (nil, false, true), (b, false, false), (nil, true, false)] {
      let y = x.affine(w, bias: bias, rectified: rectified, skippingZeros: skipping)
      #expect(y.shape == [m, n])
      #expect(!y.isDifferentiable)
      let expected = Self.naive(x, w, bias, rectified: rectified)
      var worst = 0.0
      for (got, want) in zip(y.scalars, expected) {
        worst = Swift.max(worst, abs(Double(got) - want) / (1 + abs(want)))
      }
      #expect(worst < 1e-4, "m \(m) k \(k) n \(n) bias \(bias != nil) relu \(rectified): \(worst)")
      if rectified { #expect(y.scalars.allSatisfy { $0 >= 0 }) }
    }
  }

  @Test func aDifferentiableOperandGivesTheCompositeWithItsGradients() {
    let x = SparseInputTests.sparseMatrix(9, 12, density: 0.3, seed: 4)
    let w = Self.random([12, 5], seed: 5).variable()
    let b = Self.random([5], seed: 6).variable()
    let y = x.affine(w, bias: b, rectified: true, skippingZeros: true)
    let reference = x.matmul(w).addingBias(b).relu()
    #expect(y.isDifferentiable)
    #expect(y.isClose(to: reference, tolerance: 1e-5))
    let seed = Self.random([9, 5], seed: 8)
    let grads = y.gradients(of: [w, b], seed: seed)
    let expected = reference.gradients(of: [w, b], seed: seed)
    #expect(grads[0].isClose(to: expected[0], tolerance: 1e-5))
    #expect(grads[1].isClose(to: expected[1], tolerance: 1e-5))
  }

  @Test func eachRowBlockGivesTheSameBitsAloneAsInAParallelRun() {
    // 300 rows run as five 64-row blocks over the pool; each block alone is below the
    // parallel threshold and runs on the caller. The bits must agree.
    let (m, k, n) = (300, 200, 64)
    let x = SparseInputTests.sparseMatrix(m, k, density: 0.2, seed: 10)
    let w = Self.random([k, n], seed: 11)
    let whole = x.affine(w, bias: nil, rectified: true, skippingZeros: true)
    var pieces: [Float] = []
    for start in stride(from: 0, to: m, by: 64) {
      let rows = Swift.min(64, m - start)
      let block = Tensor(shape: [rows, k], scalars: Array(x.scalars[(start * k)..<((start + rows) * k)]))
      pieces += block.affine(w, bias: nil, rectified: true, skippingZeros: true).scalars
    }
    #expect(whole.scalars == pieces)
  }

  @Test func emptyInputsGiveEmptyOrZeroOutputs() {
    let w = Self.random([3, 4], seed: 1)
    #expect(Tensor.zeros([0, 3]).affine(w, bias: nil, rectified: true).shape == [0, 4])
    let bias = Tensor(shape: [2], scalars: [1, -1])
    let y = Tensor.zeros([5, 0]).affine(Tensor.zeros([0, 2]), bias: bias, rectified: true)
    #expect(y.scalars == [Float](repeating: 0, count: 10).enumerated().map { $0.offset % 2 == 0 ? 1 : 0 })
  }
}
