import Testing

@testable import SimilarityTensors

@Suite struct ReductionTests {
  let m = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))

  @Test func sumsAndMeansForward() {
    #expect(m.sum().item == 66)
    #expect(m.sum().shape == [])
    #expect(m.sum(alongAxes: [0]).scalars == [6, 8, 10, 12, 14, 16])
    #expect(m.sum(alongAxes: [1]).scalars == [6, 9, 24, 27])
    #expect(m.sum(alongAxes: [-1], keepingDimensions: true).shape == [2, 3, 1])
    #expect(m.sum(alongAxes: [-1]).scalars == [1, 5, 9, 13, 17, 21])
    #expect(m.sum(alongAxes: [0, 2]).scalars == [14, 22, 30])
    #expect(m.sum(alongAxes: [0, 1, 2]).shape == [])
    #expect(m.mean().item == 5.5)
    #expect(m.mean(alongAxes: [0, 1]).scalars == [5, 6])
    #expect(m.variance(alongAxes: [0]).scalars == Array(repeating: 9, count: 6))
    #expect(m.max(alongAxis: 1).scalars == [4, 5, 10, 11])
    #expect(m.min(alongAxis: 0, keepingDimensions: true).shape == [1, 3, 2])
    #expect(m.min(alongAxis: 0).scalars == [0, 1, 2, 3, 4, 5])
    #expect(Tensor(rows: [[1, 9, 3], [7, 2, 7]]).argmax(alongAxis: 1) == [1, 0])
    #expect(Tensor(rows: [[1, 9, 3], [7, 2, 7]]).argmax(alongAxis: 0) == [1, 0, 1])
    let big = Tensor(rows: [[1000, 1000], [0, 0.6931472]])  // lse: 1000 + ln 2, ln 3
    #expect(big.logSumExp(alongAxis: 1).isClose(to: Tensor(shape: [2], scalars: [1000.6931, 1.0986123])))
    let masked = Tensor(rows: [[-.infinity, -.infinity], [0, -.infinity]]).logSumExp(alongAxis: 1)
    #expect(masked.scalars == [-.infinity, 0])
  }

  @Test func reductionGradients() {
    let x = Sample.tensor([2, 3, 4], seed: 21)
    expectGradients([x]) { $0[0].sum() }
    expectGradients([x]) { $0[0].sum(alongAxes: [1]) }
    expectGradients([x]) { $0[0].sum(alongAxes: [0, 2], keepingDimensions: true) }
    expectGradients([x]) { $0[0].mean() }
    expectGradients([x]) { $0[0].mean(alongAxes: [-1]) }
    expectGradients([x]) { $0[0].variance(alongAxes: [0, 1]) }
    expectGradients([x]) { $0[0].variance() }
    expectGradients([x]) { $0[0].sum(alongAxis: 0) }
    expectGradients([x]) { $0[0].mean(alongAxis: 2, keepingDimensions: true) }
    expectGradients([x]) { $0[0].logSumExp(alongAxis: 1) }
    expectGradients([x]) { $0[0].logSumExp(alongAxis: -1, keepingDimensions: true) }
    let d = Sample.distinct([2, 3, 4], seed: 22)
    expectGradients([d]) { $0[0].max(alongAxis: 1) }
    expectGradients([d]) { $0[0].min(alongAxis: -1, keepingDimensions: true) }
  }

  @Test func largeReductionsMatchDoubleSums() {
    // Big enough to take the threaded paths.
    let x = Sample.tensor([300, 257], seed: 23)
    let rows = x.sum(alongAxes: [1]).scalars
    let columns = x.sum(alongAxes: [0]).scalars
    for r in [0, 150, 299] {
      let exact = (0..<257).reduce(0.0) { $0 + Double(x[r, $1]) }
      #expect(Swift.abs(Double(rows[r]) - exact) < 1e-3)
    }
    for c in [0, 128, 256] {
      let exact = (0..<300).reduce(0.0) { $0 + Double(x[$1, c]) }
      #expect(Swift.abs(Double(columns[c]) - exact) < 1e-3)
    }
    let total = x.scalars.reduce(0.0) { $0 + Double($1) }
    #expect(Swift.abs(Double(x.sum().item) - total) < 1e-2)
  }
}

@Suite struct ShapeTests {
  @Test func shapeOpsForward() {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(x.reshaped([3, -1]).shape == [3, 2])
    #expect(x.reshaped(to: [6]).scalars == x.scalars)
    #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
    let y = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    let p = y.transposed(permutation: [2, 0, 1])
    #expect(p.shape == [4, 2, 3])
    #expect(p[3, 1, 2] == y[1, 2, 3])
    #expect(y.flattened().shape == [2, 12])
    #expect(x.expandingShape(at: 1).shape == [2, 1, 3])
    #expect(x.expandingShape(at: -1).shape == [2, 3, 1])
    #expect(x.expandingShape(at: 0).squeezingShape(at: 0).shape == [2, 3])
    #expect(Tensor(shape: [3], scalars: [1, 2, 3]).broadcast(to: [2, 3]).scalars == [1, 2, 3, 1, 2, 3])
    #expect(Tensor(shape: [2, 1], scalars: [1, 2]).broadcast(to: [2, 2]).scalars == [1, 1, 2, 2])
  }

  @Test func shapeGradients() {
    let x = Sample.tensor([2, 3, 4], seed: 31)
    expectGradients([x]) { $0[0].reshaped([4, -1]) }
    expectGradients([x]) { $0[0].transposed(permutation: [2, 0, 1]) }
    expectGradients([x]) { $0[0].flattened() }
    expectGradients([x]) { $0[0].expandingShape(at: 1) }
    expectGradients([Sample.tensor([3, 5], seed: 32)]) { $0[0].transposed() }
    expectGradients([Sample.tensor([3, 1], seed: 33)]) { $0[0].broadcast(to: [2, 3, 4]) }
    expectGradients([Sample.tensor([1, 3, 1], seed: 34)]) { $0[0].squeezingShape(at: 0) }
  }

  @Test func largeTransposeMatchesElementwise() {
    let x = Sample.tensor([70, 45], seed: 35)
    let t = x.transposed()
    for (i, j) in [(0, 0), (69, 44), (33, 17), (64, 40)] { #expect(t[j, i] == x[i, j]) }
  }
}

@Suite struct IndexingTests {
  @Test func indexingForward() {
    let x = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
    #expect(x.gathering(indices: [2, 0, 2]).scalars == [4, 5, 0, 1, 4, 5])
    #expect(x.gathering(indices: [1], alongAxis: 1).scalars == [1, 3, 5])
    #expect(x.slicing(1..<3).scalars == [2, 3, 4, 5])
    #expect(x.slicing(0..<1, alongAxis: -1).scalars == [0, 2, 4])
    let parts = x.split(sizes: [1, 2])
    #expect(parts[1].scalars == [2, 3, 4, 5])
    #expect(x.split(count: 2, alongAxis: 1)[1].scalars == [1, 3, 5])
    #expect(Tensor.concatenated([x, x.slicing(0..<1)]).shape == [4, 2])
    #expect(Tensor.concatenated([x, x], alongAxis: 1).scalars == [0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5])
    let s = Tensor.stacked([x, x + 10], alongAxis: 1)
    #expect(s.shape == [3, 2, 2])
    #expect(s[2, 1, 0] == 14)
  }

  @Test func indexingGradients() {
    let x = Sample.tensor([4, 3, 2], seed: 41)
    let y = Sample.tensor([4, 1, 2], seed: 42)
    expectGradients([x]) { $0[0].gathering(indices: [3, 0, 3, 1]) }
    expectGradients([x]) { $0[0].gathering(indices: [2, 2], alongAxis: 1) }
    expectGradients([x]) { $0[0].slicing(1..<3, alongAxis: 1) }
    expectGradients([x]) { $0[0].split(sizes: [1, 3])[1] * 2 }
    expectGradients([x, y]) { Tensor.concatenated([$0[0], $0[1], $0[0]], alongAxis: 1) }
    expectGradients([x, x * 0.5]) { Tensor.stacked([$0[0], $0[1]], alongAxis: -1) }
  }
}
