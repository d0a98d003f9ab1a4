import CSimilarityKernels
import Testing

@testable import SimilarityKernels

/// Every SIMD variant this CPU runs, called at its level through the `csim_*_at` entry points
/// whatever `SIMILARITY_ISA` dispatched, against the portable C (and the portable C against a
/// Double loop). On an AVX-512 machine this checks the AVX-512, AVX2 and portable code; on an
/// AVX2 machine the AVX2 and portable code.
@Suite struct KernelVariantTests {
  static func random(_ count: Int, _ generator: inout SplitMix64, zeros: Double = 0) -> [Float] {
    (0..<count).map { _ in
      Double(generator.nextUnitFloat()) < zeros ? 0 : generator.nextUnitFloat() * 2 - 1
    }
  }

  /// Relative agreement of two sums of `terms` products of magnitude sum `magnitude`.
  static func close(_ a: Float, _ b: Double, terms: Int, magnitude: Double) -> Bool {
    abs(Double(a) - b) <= Double(terms + 4) * 1.2e-7 * magnitude + 1e-30
  }

  /// Lengths around every vector width and early-abandon block end (32, 64, 96, 128·k).
  static let lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 127, 128, 129, 255, 256, 300, 784]

  @Test func levelsAndVariantsAreReported() {
    #expect(InstructionSet.runnable.first == .portable)
    #expect(InstructionSet.runnable.last == InstructionSet.supported)
    #expect(InstructionSet.active <= InstructionSet.supported)
    for level in InstructionSet.allCases {
      #expect(InstructionSet(name: level.name) == level)
      for family in KernelFamily.allCases {
        let variant = family.variant(at: level)
        #expect(["portable", "avx2", "avx512", "avx512bf16", "none"].contains(variant), "\(family)")
        // A level the CPU cannot run is clamped: never a variant above what it supports.
        if level > InstructionSet.supported {
          #expect(variant == family.variant(at: InstructionSet.supported))
        }
      }
      #expect(KernelFamily.distance.variant(at: level) == min(level, InstructionSet.supported).name)
    }
    #expect(InstructionSet(name: "sse2") == nil)
    #expect(KernelFamily.distance.variant(at: .portable) == "portable")
    #expect(KernelFamily.convolution.variant(at: .portable) == "none")
  }

  @Test func distanceReductionsAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 5)
    for n in Self.lengths {
      let a = Self.random(n, &generator), b = Self.random(n, &generator)
      var l2 = 0.0, dot = 0.0, l1 = 0.0, dotMagnitude = 0.0
      for i in 0..<n {
        let d = Double(a[i]) - Double(b[i])
        l2 += d * d; l1 += abs(d)
        dot += Double(a[i]) * Double(b[i]); dotMagnitude += abs(Double(a[i]) * Double(b[i]))
      }
      for level in InstructionSet.runnable {
        let at = Int32(level.rawValue)
        func reduce(_ r: Int32, _ bound: Float = .infinity) -> Float { csim_reduce_at(at, r, a, b, n, bound) }
        let name = "\(level) n \(n)"
        #expect(Self.close(reduce(Int32(CSIM_REDUCE_L2SQ)), l2, terms: n, magnitude: l2), "\(name)")
        #expect(Self.close(reduce(Int32(CSIM_REDUCE_DOT)), dot, terms: n, magnitude: dotMagnitude), "\(name)")
        #expect(Self.close(reduce(Int32(CSIM_REDUCE_L1)), l1, terms: n, magnitude: l1), "\(name)")
        // Bounded forms: exact below the bound; above it some partial sum beyond the bound.
        #expect(Self.close(reduce(Int32(CSIM_REDUCE_L2SQ_BOUNDED)), l2, terms: n, magnitude: l2), "\(name)")
        #expect(Self.close(reduce(Int32(CSIM_REDUCE_L1_BOUNDED)), l1, terms: n, magnitude: l1), "\(name)")
        if n > 0 && l2 > 0 {
          let bound = Float(l2 / 4)
          let early = reduce(Int32(CSIM_REDUCE_L2SQ_BOUNDED), bound)
          #expect(early > bound && Double(early) <= l2 * (1 + 1e-5), "\(name) early \(early)")
          let portable = csim_reduce_at(0, Int32(CSIM_REDUCE_L2SQ_BOUNDED), a, b, n, bound)
          #expect(portable > bound, "\(name)")
          let l1Early = reduce(Int32(CSIM_REDUCE_L1_BOUNDED), Float(l1 / 4))
          #expect(l1Early > Float(l1 / 4) && Double(l1Early) <= l1 * (1 + 1e-5), "\(name)")
        }
      }
    }
  }

  @Test func float16RowsAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 6)
    for n in Self.lengths where n > 0 {
      let q = Self.random(n, &generator), x = Self.random(n, &generator)
      var half = [UInt16](repeating: 0, count: n)
      csim_float_to_half(x, &half, n)
      var widened = [Float](repeating: 0, count: n)
      csim_half_to_float(half, &widened, n)
      var l2 = 0.0, dot = 0.0, l1 = 0.0, magnitude = 0.0
      for i in 0..<n {
        let d = Double(q[i]) - Double(widened[i])
        l2 += d * d; l1 += abs(d)
        dot += Double(q[i]) * Double(widened[i]); magnitude += abs(Double(q[i]) * Double(widened[i]))
      }
      for level in InstructionSet.runnable {
        let at = Int32(level.rawValue)
        let name = "\(level) n \(n)"
        let metrics: [(Int32, Double, Double)] = [
          (Int32(CSIM_METRIC_L2SQ.rawValue), l2, l2), (Int32(CSIM_METRIC_NEG_DOT.rawValue), dot, magnitude),
          (Int32(CSIM_METRIC_L1.rawValue), l1, l1),
        ]
        for (metric, want, size) in metrics {
          let got = csim_half_row_at(at, metric, q, half, n, .infinity)
          #expect(Self.close(got, want, terms: n, magnitude: size), "\(name) metric \(metric): \(got) vs \(want)")
        }
      }
    }
  }

  @Test func selectionScansAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 7)
    for n in [0, 1, 5, 15, 16, 17, 40, 100, 257] {
      let scores = Self.random(n, &generator), norms = Self.random(n, &generator)
      let roots = Self.random(n, &generator).map { abs($0) }
      for bounded in [false, true] {
        func scan(_ level: InstructionSet) -> ([UInt32], [Float], [Float]) {
          var indices = [UInt32](repeating: 0, count: n)
          var lower = [Float](repeating: 0, count: n), upper = [Float](repeating: 0, count: n)
          let found = roots.withUnsafeBufferPointer { r in
            upper.withUnsafeMutableBufferPointer { u in
              csim_scan_at(
                Int32(level.rawValue), scores, norms, bounded ? r.baseAddress : nil, -2, 0.5,
                bounded ? 0.25 : 0, n, 0.1, &indices, &lower, bounded ? u.baseAddress : nil)
            }
          }
          return (Array(indices.prefix(found)), Array(lower.prefix(found)), bounded ? Array(upper.prefix(found)) : [])
        }
        // The portable scan against its definition.
        var want = [UInt32]()
        for j in 0..<n {
          let v = 0.5 - 2 * scores[j] + norms[j]
          if v - (bounded ? 0.25 * roots[j] : 0) <= 0.1 { want.append(UInt32(j)) }
        }
        let portable = scan(.portable)
        #expect(portable.0 == want, "n \(n) bounded \(bounded)")
        for level in InstructionSet.runnable {
          let got = scan(level)
          #expect(got.0 == portable.0, "\(level) n \(n) bounded \(bounded)")
          #expect(zip(got.1, portable.1).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(level) n \(n)")
          #expect(zip(got.2, portable.2).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(level) n \(n)")
        }
      }
    }
  }

  @Test func sparseKernelsAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 8)
    for (m, k, n) in [(1, 1, 1), (5, 37, 19), (16, 784, 128), (7, 64, 130)] {
      let x = Self.random(m * k, &generator, zeros: 0.8)
      let w = Self.random(k * n, &generator)
      let dy = Self.random(m * n, &generator)
      let nnz = csim_count_nonzero(x, m * k)
      func compress(_ level: InstructionSet) -> ([Int32], [Int32], [Float]) {
        var start = [Int32](repeating: 0, count: m + 1)
        var columns = [Int32](repeating: 0, count: max(nnz, 1)), values = [Float](repeating: 0, count: max(nnz, 1))
        let found = csim_compress_rows_at(Int32(level.rawValue), x, m, k, &start, &columns, &values)
        start[m] = Int32(found)
        return (start, Array(columns.prefix(found)), Array(values.prefix(found)))
      }
      let portable = compress(.portable)
      #expect(portable.1.count == nnz)
      for level in InstructionSet.runnable {
        let (start, columns, values) = compress(level)
        #expect(start == portable.0 && columns == portable.1 && values == portable.2, "\(level)")
        // y = x·w and g = xᵀ·dy against Double loops.
        var y = [Float](repeating: .nan, count: m * n)
        csim_csr_matmul_at(Int32(level.rawValue), start, columns, values, 0, m, w, n, 0, n, &y)
        var g = [Float](repeating: 0, count: k * n)
        csim_csr_transpose_matmul_at(Int32(level.rawValue), start, columns, values, m, dy, n, 0, Int32(k), &g)
        var affine = [Float](repeating: .nan, count: m * n)
        var scratchColumns = [Int32](repeating: 0, count: k), scratchValues = [Float](repeating: 0, count: k)
        let bias = Self.random(n, &generator)
        csim_affine_sparse_rows_at(Int32(level.rawValue), x, m, k, w, n, bias, 1, &affine, &scratchColumns, &scratchValues)
        for r in 0..<m {
          for c in 0..<n {
            var want = 0.0, magnitude = 0.0
            for j in 0..<k {
              want += Double(x[r * k + j]) * Double(w[j * n + c])
              magnitude += abs(Double(x[r * k + j]) * Double(w[j * n + c]))
            }
            #expect(Self.close(y[r * n + c], want, terms: k, magnitude: magnitude), "\(level) y(\(r), \(c))")
            let relu = max(want + Double(bias[c]), 0)
            #expect(Self.close(affine[r * n + c], relu, terms: k, magnitude: magnitude + 1), "\(level) affine(\(r), \(c))")
          }
        }
        for j in 0..<k {
          for c in 0..<n {
            var want = 0.0, magnitude = 0.0
            for r in 0..<m {
              want += Double(x[r * k + j]) * Double(dy[r * n + c])
              magnitude += abs(Double(x[r * k + j]) * Double(dy[r * n + c]))
            }
            #expect(Self.close(g[j * n + c], want, terms: m, magnitude: magnitude), "\(level) g(\(j), \(c))")
          }
        }
      }
    }
  }

  @Test func poolingMergeAgreesWithThePortableCode() {
    var generator = SplitMix64(seed: 9)
    for c in [1, 3, 15, 16, 17, 64, 100] {
      let windows = (0..<5).map { _ in Self.random(c, &generator).map { $0 > 0.6 ? Float.nan : $0 } }
      func run(_ level: InstructionSet) -> ([Float], [Int32]) {
        var out = [Float](repeating: 0, count: c), best = [Int32](repeating: -1, count: c)
        for (step, window) in windows.enumerated() {
          csim_max_pool_merge_at(Int32(level.rawValue), window, Int32(step * 1000), c, step == 0 ? 1 : 0, &out, &best)
        }
        return (out, best)
      }
      let portable = run(.portable)
      // The portable merge against its definition (NaN never wins after the first element).
      for i in 0..<c {
        var value = windows[0][i], index = Int32(i)
        for step in 1..<windows.count where windows[step][i] > value {
          value = windows[step][i]; index = Int32(step * 1000 + i)
        }
        #expect(portable.1[i] == index, "c \(c) channel \(i)")
      }
      for level in InstructionSet.runnable {
        let got = run(level)
        #expect(got.1 == portable.1, "\(level) c \(c)")
        #expect(zip(got.0, portable.0).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(level) c \(c)")
      }
    }
  }

  @Test func optimizerUpdatesAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 10)
    for n in [1, 15, 16, 17, 100, 1000] {
      let w0 = Self.random(n, &generator), g = Self.random(n, &generator)
      let m0 = Self.random(n, &generator).map { $0 * 0.1 }, v0 = Self.random(n, &generator).map { abs($0) * 0.1 }
      func rmsprop(_ level: InstructionSet) -> ([Float], [Float]) {
        var w = w0, v = v0
        csim_rmsprop_at(Int32(level.rawValue), &w, g, &v, n, 0.01, 0.9, 1e-7)
        return (w, v)
      }
      func adam(_ level: InstructionSet) -> ([Float], [Float], [Float]) {
        var w = w0, m = m0, v = v0
        csim_adam_at(Int32(level.rawValue), &w, g, &m, &v, n, 0.001, 0.9, 0.999, 1e-7)
        return (w, m, v)
      }
      // The portable updates against the Double formulas.
      let (pw, pv) = rmsprop(.portable)
      for i in 0..<n {
        let v = 0.9 * Double(v0[i]) + 0.1 * Double(g[i]) * Double(g[i])
        let w = Double(w0[i]) - 0.01 * Double(g[i]) / (v + 1e-7).squareRoot()
        #expect(abs(Double(pv[i]) - v) <= 1e-6 * v + 1e-12 && abs(Double(pw[i]) - w) <= 1e-5, "rmsprop \(i)")
      }
      let (aw, am, av) = adam(.portable)
      for i in 0..<n {
        let m = Double(m0[i]) + (Double(g[i]) - Double(m0[i])) * 0.1
        let v = Double(v0[i]) + (Double(g[i]) * Double(g[i]) - Double(v0[i])) * 0.001
        let w = Double(w0[i]) - 0.001 * m / (v.squareRoot() + 1e-7)
        #expect(abs(Double(am[i]) - m) <= 1e-6 && abs(Double(av[i]) - v) <= 1e-6 && abs(Double(aw[i]) - w) <= 1e-5, "adam \(i)")
      }
      for level in InstructionSet.runnable {
        let (w, v) = rmsprop(level)
        #expect(zip(w, pw).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(level) n \(n)")
        #expect(zip(v, pv).allSatisfy { abs($0 - $1) <= 1e-6 * max(1e-3, abs($1)) }, "\(level) n \(n)")
        let (w2, m2, v2) = adam(level)
        #expect(zip(w2, aw).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(level) n \(n)")
        #expect(zip(m2, am).allSatisfy { abs($0 - $1) <= 1e-7 }, "\(level) n \(n)")
        #expect(zip(v2, av).allSatisfy { abs($0 - $1) <= 1e-7 }, "\(level) n \(n)")
      }
    }
  }

  /// The fused epilogue of the im2col and affine paths (bias, then ReLU as `y > 0 ? y : 0`):
  /// every variant equals the portable code bit for bit, NaN, ±0 and ragged widths included,
  /// and writes nothing outside its rows.
  @Test func biasActivationAgreesWithThePortableCode() {
    var generator = SplitMix64(seed: 11)
    for n in [1, 7, 8, 9, 31, 32, 33, 40, 64, 100, 128, 129] {
      let rows = 3
      var y0 = Self.random(rows * n, &generator)
      y0[0] = .nan
      if y0.count > 2 { y0[1] = -0.0; y0[2] = 0 }
      if y0.count > 5 { y0[5] = -.infinity }
      let bias = Self.random(n, &generator)
      for withBias in [false, true] {
        for relu in [false, true] {
          func run(_ level: InstructionSet) -> [UInt32] {
            // One guard float on each side of the rows.
            var buffer = [Float](repeating: 7, count: rows * n + 2)
            for i in 0..<(rows * n) { buffer[i + 1] = y0[i] }
            buffer.withUnsafeMutableBufferPointer { y in
              bias.withUnsafeBufferPointer { b in
                AffineKernels.biasActivation(
                  y.baseAddress! + 1, rows: rows, n: n, bias: withBias ? b.baseAddress : nil,
                  relu: relu, at: level)
              }
            }
            #expect(buffer.first == 7 && buffer.last == 7, "\(level) n \(n) wrote outside")
            return buffer.map(\.bitPattern)
          }
          let portable = run(.portable)
          // The portable code against its definition.
          for i in 0..<(rows * n) {
            var want = withBias ? y0[i] + bias[i % n] : y0[i]
            if relu { want = want > 0 ? want : 0 }
            #expect(portable[i + 1] == want.bitPattern || (want.isNaN && Float(bitPattern: portable[i + 1]).isNaN), "n \(n) i \(i)")
          }
          for level in InstructionSet.runnable {
            #expect(run(level) == portable, "\(level) n \(n) bias \(withBias) relu \(relu)")
          }
        }
      }
    }
    // The dispatched entry point runs the active level's variant.
    var y: [Float] = [-1, 2, .nan, -0.0]
    AffineKernels.biasActivation(&y, rows: 1, n: 4, bias: nil, relu: true)
    #expect(y.map(\.bitPattern) == [0, 2, 0, 0].map { Float($0).bitPattern })
  }

  /// The Swift face's metric codes are the C enum's.
  @Test func rowMetricsMatchTheCCodes() {
    #expect(RowMetric.squaredEuclidean.rawValue == Int32(CSIM_METRIC_L2SQ.rawValue))
    #expect(RowMetric.negativeDot.rawValue == Int32(CSIM_METRIC_NEG_DOT.rawValue))
    #expect(RowMetric.manhattan.rawValue == Int32(CSIM_METRIC_L1.rawValue))
    #expect(RowMetric.oneMinusDot.rawValue == Int32(CSIM_METRIC_ONE_MINUS_DOT.rawValue))
  }
}
