import Testing

@testable import SimilarityTensors

/// Expects the analytic gradients of `f` at `inputs` to match finite differences.
func expectGradients(
  _ inputs: [Tensor], _ f: @escaping ([Tensor]) -> Tensor,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let (ratio, detail) = GradientCheck().worstError(inputs, f)
  #expect(ratio <= 1, "\(detail) (error/allowed = \(ratio))", sourceLocation: sourceLocation)
}

@Suite struct ArithmeticTests {
  @Test func broadcastingForwardValues() {
    let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    #expect((m + Tensor(shape: [3], scalars: [10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
    #expect((m * Tensor(shape: [2, 1], scalars: [2, 3])).scalars == [2, 4, 6, 12, 15, 18])
    #expect((Tensor(shape: [2, 1], scalars: [1, 2]) - Tensor(shape: [1, 3], scalars: [1, 2, 3])).scalars == [0, -1, -2, 1, 0, -1])
    #expect((m / Tensor(2)).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
    #expect((Tensor(2) - m).shape == [2, 3])
    #expect((1 - m).scalars == [0, -1, -2, -3, -4, -5])
    #expect((m / 2).scalars == [0.5, 1, 1.5, 2, 2.5, 3])
    #expect((6 / m).scalars == [6, 3, 2, 1.5, 1.2, 1])
    #expect((-m).scalars == [-1, -2, -3, -4, -5, -6])
    // General strided path: [2, 1, 3] with [4, 1].
    let a = Tensor(shape: [2, 1, 3], scalars: [0, 1, 2, 3, 4, 5])
    let b = Tensor(shape: [4, 1], scalars: [0, 10, 20, 30])
    let c = a + b
    #expect(c.shape == [2, 4, 3])
    #expect(c[1, 2, 1] == 24)
    #expect(c[0, 3, 2] == 32)
  }

  @Test(arguments: [
    ([3, 4], [3, 4]), ([3, 4], [4]), ([3, 4], [3, 1]), ([2, 3, 4], [3, 1]), ([1, 4], [3, 1]),
    ([], [2, 3]), ([2, 1, 3], [4, 1]),
  ])
  func binaryOperatorGradientsWithBroadcasting(lhs: [Int], rhs: [Int]) {
    let a = Sample.tensor(lhs, seed: 1)
    let b = Sample.tensor(rhs, seed: 2, range: 0.5...2)  // positive divisor
    expectGradients([a, b]) { $0[0] + $0[1] }
    expectGradients([a, b]) { $0[0] - $0[1] }
    expectGradients([a, b]) { $0[0] * $0[1] }
    expectGradients([a, b]) { $0[0] / $0[1] }
    expectGradients([b, a]) { $0[0] - $0[1] }
  }

  @Test func scalarOperatorGradients() {
    let x = Sample.tensor([2, 3], seed: 3, range: 0.5...2)
    expectGradients([x]) { $0[0] + 2 }
    expectGradients([x]) { 2 + $0[0] }
    expectGradients([x]) { $0[0] - 2 }
    expectGradients([x]) { 2 - $0[0] }
    expectGradients([x]) { $0[0] * 3 }
    expectGradients([x]) { 3 * $0[0] }
    expectGradients([x]) { $0[0] / 4 }
    expectGradients([x]) { 3 / $0[0] }
    expectGradients([x]) { -$0[0] }
    expectGradients([x]) { $0[0].addingBias(Tensor(shape: [3], scalars: [1, 2, 3])) }
  }

  @Test func theGradientCheckRejectsAWrongDerivative() {
    // x² recorded with derivative 2x + 0.05: the check must notice.
    let x = Sample.tensor([3, 3], seed: 4)
    let wrong: ([Tensor]) -> Tensor = { inputs in
      let input = inputs[0]
      let saved = input.detached
      return Tensor.recording(shape: input.shape, scalars: input.scalars.map { $0 * $0 }, inputs: [input]) { g, _ in
        [g * (2 * saved + 0.05)]
      }
    }
    #expect(GradientCheck().worstError([x], wrong).ratio > 1)
    expectGradients([x]) { $0[0].squared() }
  }

  @Test func aVariableUsedTwiceAccumulatesItsGradient() {
    let x = Tensor(shape: [2], scalars: [1, 2]).variable()
    let y = x * x + x  // dy/dx = 2x + 1
    #expect(y.gradients(of: [x])[0].scalars == [3, 5])
  }

  @Test func creationHelpers() {
    var generator = SplitMix64(seed: 1)
    let u = Tensor.randomUniform(shape: [1000], lowerBound: -1, upperBound: 3, using: &generator)
    #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
    #expect(Swift.abs(u.mean().item - 1) < 0.15)
    let n = Tensor.randomNormal(shape: [4000], mean: 2, standardDeviation: 0.5, using: &generator)
    #expect(Swift.abs(n.mean().item - 2) < 0.05)
    #expect(Swift.abs(n.variance().item.squareRoot() - 0.5) < 0.05)
    #expect(Tensor.oneHot([2, 0], depth: 3).scalars == [0, 0, 1, 1, 0, 0])
  }
}
