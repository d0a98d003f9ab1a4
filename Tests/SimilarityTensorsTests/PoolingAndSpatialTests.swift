import Testing

@testable import SimilarityTensors

/// 1-D and 3-D pooling, zero padding, up-sampling and embedding lookup against naive loops,
/// and their gradients against finite differences.
@Suite struct PoolingAndSpatialTests {
  /// TensorFlow's window placement: output extent and the padding before the input.
  static func placement(_ n: Int, _ k: Int, _ s: Int, same: Bool) -> (out: Int, pad: Int) {
    if !same { return ((n - k) / s + 1, 0) }
    let out = (n + s - 1) / s
    return (out, Swift.max((out - 1) * s + k - n, 0) / 2)
  }

  /// Max or average pooling of `[b, d, h, w, c]` by definition (average over valid elements).
  static func naivePool3d(
    _ x: Tensor, pool: [Int], strides: [Int], same: Bool, max: Bool
  ) -> Tensor {
    let (b, c) = (x.shape[0], x.shape[4])
    let dims = (0..<3).map { placement(x.shape[$0 + 1], pool[$0], strides[$0], same: same) }
    var out = [Float]()
    for n in 0..<b {
      for od in 0..<dims[0].out {
        for oh in 0..<dims[1].out {
          for ow in 0..<dims[2].out {
            for ch in 0..<c {
              var values = [Float]()
              for i in 0..<pool[0] {
                for j in 0..<pool[1] {
                  for k in 0..<pool[2] {
                    let (d, h, w) = (od * strides[0] - dims[0].pad + i, oh * strides[1] - dims[1].pad + j, ow * strides[2] - dims[2].pad + k)
                    guard d >= 0, d < x.shape[1], h >= 0, h < x.shape[2], w >= 0, w < x.shape[3] else { continue }
                    values.append(x.scalars[(((n * x.shape[1] + d) * x.shape[2] + h) * x.shape[3] + w) * c + ch])
                  }
                }
              }
              out.append(max ? values.max()! : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count)))
            }
          }
        }
      }
    }
    return Tensor(shape: [b, dims[0].out, dims[1].out, dims[2].out, c], scalars: out)
  }

  static func close(_ a: Tensor, _ b: Tensor, _ tolerance: Float = 1e-5) -> Bool {
    a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
  }

  static let geometries: [(shape: [Int], pool: [Int], strides: [Int])] = [
    ([2, 4, 4, 4, 3], [2, 2, 2], [2, 2, 2]),
    ([1, 5, 6, 7, 17], [3, 2, 3], [2, 3, 2]),
    ([2, 3, 5, 4, 8], [2, 2, 3], [1, 2, 2]),
    ([1, 1, 1, 9, 5], [1, 1, 4], [1, 1, 3]),
    ([3, 2, 3, 3, 1], [2, 3, 3], [1, 1, 1]),
    ([1, 4, 3, 6, 33], [1, 1, 1], [2, 2, 2]),
  ]

  @Test func pool3dEqualsNaiveLoops() {
    for (index, g) in Self.geometries.enumerated() {
      let x = Sample.tensor(g.shape, seed: UInt64(index))
      let p = (g.pool[0], g.pool[1], g.pool[2]), s = (g.strides[0], g.strides[1], g.strides[2])
      for same in [false, true] {
        let padding: Padding = same ? .same : .valid
        #expect(Self.close(x.maxPool3d(poolSize: p, strides: s, padding: padding), Self.naivePool3d(x, pool: g.pool, strides: g.strides, same: same, max: true)), "max \(g) \(padding)")
        #expect(Self.close(x.averagePool3d(poolSize: p, strides: s, padding: padding), Self.naivePool3d(x, pool: g.pool, strides: g.strides, same: same, max: false)), "average \(g) \(padding)")
      }
    }
  }

  @Test func pool1dEqualsNaiveLoops() {
    for (steps, pool, stride) in [(8, 3, 2), (7, 3, 2), (9, 4, 3), (5, 5, 1), (6, 1, 2)] {
      let x = Sample.tensor([2, steps, 3], seed: UInt64(steps * 10 + pool))
      let volumes = x.reshaped([2, 1, 1, steps, 3])
      for same in [false, true] {
        let padding: Padding = same ? .same : .valid
        for max in [true, false] {
          let want = Self.naivePool3d(volumes, pool: [1, 1, pool], strides: [1, 1, stride], same: same, max: max)
          let got = max ? x.maxPool1d(poolSize: pool, stride: stride, padding: padding) : x.averagePool1d(poolSize: pool, stride: stride, padding: padding)
          #expect(Self.close(got.reshaped(want.shape), want), "steps \(steps) pool \(pool) stride \(stride) \(padding) max \(max)")
        }
      }
    }
  }

  @Test func poolingGradientsMatchFiniteDifferences() {
    let small: [(shape: [Int], pool: [Int], strides: [Int])] = [
      ([1, 4, 4, 4, 2], [2, 2, 2], [2, 2, 2]), ([1, 5, 4, 5, 2], [3, 2, 3], [2, 3, 2]),
      ([2, 3, 5, 4, 1], [2, 2, 3], [1, 2, 2]),
    ]
    for (index, g) in small.enumerated() {
      // Distinct values ≥ 0.05 apart, so no difference of ±0.01 changes a window's maximum.
      let count = g.shape.reduce(1, *)
      var generator = SplitMix64(seed: UInt64(index))
      var values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }
      values.shuffle(using: &generator)
      let x = Tensor(shape: g.shape, scalars: values)
      let p = (g.pool[0], g.pool[1], g.pool[2]), s = (g.strides[0], g.strides[1], g.strides[2])
      for padding in [Padding.valid, .same] {
        let maxRatio = GradientCheck().worstError([x]) { $0[0].maxPool3d(poolSize: p, strides: s, padding: padding) }
        #expect(maxRatio.ratio <= 1, "max \(g) \(padding): \(maxRatio.detail)")
        let averageRatio = GradientCheck().worstError([x]) { $0[0].averagePool3d(poolSize: p, strides: s, padding: padding) }
        #expect(averageRatio.ratio <= 1, "average \(g) \(padding): \(averageRatio.detail)")
      }
    }
    let x = Tensor(shape: [2, 7, 3], scalars: (0..<42).map { Float(($0 * 17) % 42) * 0.05 })
    #expect(GradientCheck().worstError([x]) { $0[0].maxPool1d(poolSize: 3, stride: 2, padding: .same) }.ratio <= 1)
    #expect(GradientCheck().worstError([x]) { $0[0].averagePool1d(poolSize: 3, stride: 2, padding: .same) }.ratio <= 1)
  }

  @Test func zeroPaddingRepeatAndLinearUpsamplingEqualDefinitions() {
    let x = Sample.tensor([2, 3, 4], seed: 3)
    let padded = x.zeroPadded(before: 2, after: 1, alongAxis: 1)
    #expect(padded.shape == [2, 6, 4])
    for b in 0..<2 {
      for i in 0..<6 {
        for c in 0..<4 {
          let want: Float = (2..<5).contains(i) ? x.scalars[(b * 3 + i - 2) * 4 + c] : 0
          #expect(padded.scalars[(b * 6 + i) * 4 + c] == want)
        }
      }
    }
    let repeated = x.repeatingSlices(3, alongAxis: 2)
    #expect(repeated.shape == [2, 3, 12])
    for i in 0..<repeated.count {
      let source: Int = i / 12 * 4 + (i % 12) / 3
      #expect(repeated.scalars[i] == x.scalars[source])
    }
    // Linear: half-pixel centres, clamped at the edges.
    let row = Tensor(shape: [1, 3], scalars: [0, 10, 40])
    let up = row.linearlyUpsampled(2, alongAxis: 1)
    #expect(Self.close(up, Tensor(shape: [1, 6], scalars: [0, 2.5, 7.5, 17.5, 32.5, 40])))
    for op in [
      { (t: Tensor) in t.zeroPadded(before: 1, after: 2, alongAxis: 2) },
      { (t: Tensor) in t.repeatingSlices(2, alongAxis: 1) },
      { (t: Tensor) in t.linearlyUpsampled(3, alongAxis: 1) },
    ] {
      #expect(GradientCheck().worstError([x]) { op($0[0]) }.ratio <= 1)
    }
  }

  @Test func embeddingLookupReadsRowsAndZerosOutsideTheTable() {
    let table = Sample.tensor([5, 3], seed: 4)
    let ids = [4, 0, -1, 5, 2, 2]
    let rows = table.embeddingLookup(ids: ids)
    #expect(rows.shape == [6, 3])
    for (i, id) in ids.enumerated() {
      let want = (0..<5).contains(id) ? Array(table.scalars[(id * 3)..<(id * 3 + 3)]) : [0, 0, 0]
      #expect(Array(rows.scalars[(i * 3)..<(i * 3 + 3)]) == want)
    }
    let ratio = GradientCheck().worstError([table]) { $0[0].embeddingLookup(ids: ids) }
    #expect(ratio.ratio <= 1, "\(ratio.detail)")
  }
}
