import Testing

@testable import SimilarityTensors

@Suite struct ElementwiseTests {
  @Test func forwardValuesMatchAnalyticOnes() {
    let x = Tensor(shape: [4], scalars: [-2, -0.5, 0.5, 3])
    #expect(x.exp().isClose(to: Tensor(shape: [4], scalars: [0.13533528, 0.60653066, 1.6487213, 20.085537])))
    #expect(x.abs().scalars == [2, 0.5, 0.5, 3])
    #expect(x.squared().scalars == [4, 0.25, 0.25, 9])
    #expect(x.abs().sqrt().isClose(to: Tensor(shape: [4], scalars: [1.4142135, 0.70710677, 0.70710677, 1.7320508])))
    #expect(x.sigmoid().isClose(to: Tensor(shape: [4], scalars: [0.11920292, 0.37754067, 0.62245935, 0.95257413])))
    #expect(x.tanh().isClose(to: Tensor(shape: [4], scalars: [-0.9640276, -0.46211717, 0.46211717, 0.9950548])))
    #expect(x.softplus().isClose(to: Tensor(shape: [4], scalars: [0.126928, 0.474077, 0.974077, 3.048587])))
    #expect(x.leakyRelu().isClose(to: Tensor(shape: [4], scalars: [-0.6, -0.15, 0.5, 3])))
    #expect(x.gelu().isClose(to: Tensor(shape: [4], scalars: [-0.04550027, -0.15426877, 0.34573123, 2.9959502])))
    #expect(x.gelu(approximate: true).isClose(to: Tensor(shape: [4], scalars: [-0.04540231, -0.15428598, 0.34571401, 2.9963627]), tolerance: 1e-4))
    #expect(x.clipped(min: -1, max: 1).scalars == [-1, -0.5, 0.5, 1])
    #expect(x.abs().pow(3).isClose(to: Tensor(shape: [4], scalars: [8, 0.125, 0.125, 27])))
    #expect(Tensor(shape: [2], scalars: [-100, 100]).sigmoid().isClose(to: Tensor(shape: [2], scalars: [0, 1])))
    #expect(Tensor(shape: [2], scalars: [-100, 100]).softplus().isClose(to: Tensor(shape: [2], scalars: [0, 100])))
  }

  @Test func unaryGradients() {
    let x = Sample.tensor([3, 4], seed: 11, awayFrom: [0])
    let positive = Sample.tensor([3, 4], seed: 12, range: 0.3...3)
    expectGradients([x]) { $0[0].exp() }
    expectGradients([positive]) { $0[0].log() }
    expectGradients([positive]) { $0[0].sqrt() }
    expectGradients([x]) { $0[0].squared() }
    expectGradients([x]) { $0[0].pow(3) }
    expectGradients([positive]) { $0[0].pow(-1.5) }
    expectGradients([x]) { $0[0].abs() }
    expectGradients([x]) { $0[0].relu() }
    expectGradients([x]) { $0[0].leakyRelu(alpha: 0.2) }
    expectGradients([x]) { $0[0].sigmoid() }
    expectGradients([x]) { $0[0].tanh() }
    expectGradients([x]) { $0[0].gelu() }
    expectGradients([x]) { $0[0].gelu(approximate: true) }
    expectGradients([x]) { $0[0].softplus() }
  }

  @Test func clippingAndExtremeGradients() {
    let x = Sample.tensor([3, 4], seed: 13, awayFrom: [-1, 0.5])
    let y = Sample.distinct([4], seed: 14, spacing: 0.37)  // no ties with x (step 0.37 vs 0.05 gaps)
    expectGradients([x]) { $0[0].clipped(min: -1, max: 0.5) }
    expectGradients([x]) { $0[0].maximum(0.5) }
    expectGradients([x]) { $0[0].minimum(-1) }
    let a = Sample.distinct([3, 4], seed: 15, spacing: 0.3)
    let b = Sample.distinct([3, 4], seed: 16, spacing: 0.3) + 0.15
    expectGradients([a, b]) { $0[0].maximum($0[1]) }
    expectGradients([a, b]) { $0[0].minimum($0[1]) }
    expectGradients([x, y]) { $0[0].maximum($0[1]) }  // broadcast [3, 4] with [4]
    #expect(a.maximum(b).scalars == zip(a.scalars, b.scalars).map { Swift.max($0, $1) })
  }

  @Test(arguments: [-1, 0, 1])
  func softmaxAndLogSoftmax(axis: Int) {
    let x = Sample.tensor([3, 4, 2], seed: 17)
    let s = x.softmax(alongAxis: axis)
    let sums = s.sum(alongAxes: [axis])
    #expect(sums.isClose(to: Tensor.ones(sums.shape)))
    #expect(x.logSoftmax(alongAxis: axis).exp().isClose(to: s))
    expectGradients([x]) { $0[0].softmax(alongAxis: axis) }
    expectGradients([x]) { $0[0].logSoftmax(alongAxis: axis) }
  }

  @Test func softmaxIsStableForLargeLogits() {
    let x = Tensor(rows: [[1000, 1001, 1002], [-1000, -1000, -1000]])
    #expect(x.softmax().isClose(to: Tensor(rows: [[0.09003057, 0.24472848, 0.66524094], [1 / 3, 1 / 3, 1 / 3]])))
    #expect(x.logSoftmax().scalars.allSatisfy { $0.isFinite })
  }

  @Test func masksAndWhere() {
    let a = Tensor(rows: [[1, 5], [3, 3]])
    let b = Tensor(shape: [2], scalars: [2, 3])
    #expect(a.isGreater(than: b).scalars == [0, 1, 1, 0])
    #expect(a.isLess(than: b).scalars == [1, 0, 0, 0])
    #expect(a.isEqual(to: b).scalars == [0, 0, 0, 1])
    #expect(a.isGreater(than: 2).scalars == [0, 1, 1, 1])
    #expect(a.isLess(than: 3).scalars == [1, 0, 0, 0])
    #expect(a.isEqual(to: 3).scalars == [0, 0, 1, 1])
    #expect(!a.variable().isGreater(than: 0).isDifferentiable)
    let w = Tensor.where(a.isGreater(than: b), a, Tensor(-1))
    #expect(w.scalars == [-1, 5, 3, -1])

    let x = Sample.tensor([3, 4], seed: 18)
    let y = Sample.tensor([4], seed: 19)
    let condition = Sample.tensor([3, 1], seed: 20).isGreater(than: 0)
    expectGradients([x, y]) { Tensor.where(condition, $0[0], $0[1]) }
  }
}
