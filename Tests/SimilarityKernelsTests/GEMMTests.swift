import Testing

@testable import SimilarityKernels

@Suite struct GEMMTests {
  static func random(_ count: Int, _ generator: inout SplitMix64) -> [Float] {
    (0..<count).map { _ in generator.nextUnitFloat() * 2 - 1 }
  }

  /// BLAS vs the Double-accumulating reference on random and degenerate shapes, every
  /// transpose combination, padded leading dimensions and non-trivial alpha/beta.
  @Test(arguments: [Transpose.none, .transposed], [Transpose.none, .transposed])
  func blasMatchesTheReference(transA: Transpose, transB: Transpose) {
    var generator = SplitMix64(seed: 81)
    var shapes = [(1, 1, 1), (37, 53, 29), (1, 128, 784), (129, 65, 1), (7, 1, 13), (0, 5, 3), (4, 0, 2), (3, 4, 0)]
    for _ in 0..<6 {
      shapes.append((Int(generator.next() % 70) + 1, Int(generator.next() % 70) + 1, Int(generator.next() % 300) + 1))
    }
    for (m, n, k) in shapes {
      let (aRows, aColumns) = transA == .none ? (m, k) : (k, m)
      let (bRows, bColumns) = transB == .none ? (k, n) : (n, k)
      let (lda, ldb, ldc) = (aColumns + 3, bColumns + 1, n + 2)
      let a = GEMMTests.random(Swift.max(aRows * lda, 1), &generator)
      let b = GEMMTests.random(Swift.max(bRows * ldb, 1), &generator)
      let c0 = GEMMTests.random(Swift.max(m * ldc, 1), &generator)
      var fast = c0
      var slow = c0
      for (alpha, beta) in [(Float(1), Float(0)), (0.5, -1.5)] {
        fast = c0
        slow = c0
        GEMM.multiply(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &fast, ldc: ldc)
        GEMM.reference(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &slow, ldc: ldc)
        // Float accumulation over k terms of magnitude ≤ 1: error ≲ k · 2⁻²⁴ · √k; allow 1e-5·k.
        let tolerance = 1e-5 * Float(Swift.max(k, 1)) + 1e-6
        let worst = zip(fast, slow).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "m \(m) n \(n) k \(k) \(transA) \(transB) alpha \(alpha): \(worst)")
      }
      // Padding columns of C (beyond n) are never written.
      for i in 0..<m {
        for j in n..<ldc { #expect(fast[i * ldc + j] == c0[i * ldc + j]) }
      }
    }
  }

  /// The thread-pool split (by rows when m ≥ n, else by columns) against the reference.
  @Test(arguments: [Transpose.none, .transposed], [Transpose.none, .transposed])
  func parallelMultiplyMatchesTheReference(transA: Transpose, transB: Transpose) {
    var generator = SplitMix64(seed: 82)
    for (m, n, k) in [(203, 40, 300), (40, 203, 300), (33, 33, 2_000), (200, 17, 1)] {
      let (aRows, aColumns) = transA == .none ? (m, k) : (k, m)
      let (bRows, bColumns) = transB == .none ? (k, n) : (n, k)
      let (lda, ldb, ldc) = (aColumns + 1, bColumns + 2, n + 3)
      let a = GEMMTests.random(aRows * lda, &generator)
      let b = GEMMTests.random(bRows * ldb, &generator)
      var fast = GEMMTests.random(m * ldc, &generator)
      var slow = fast
      GEMM.parallelMultiply(transA, transB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb, beta: 0.5, c: &fast, ldc: ldc)
      GEMM.reference(transA, transB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb, beta: 0.5, c: &slow, ldc: ldc)
      let worst = zip(fast, slow).map { Swift.abs($0 - $1) }.max() ?? 0
      #expect(worst <= 2e-5 * Float(k) + 1e-6, "m \(m) n \(n) k \(k) \(transA) \(transB): \(worst)")
    }
  }

  /// The split depends only on the shape, so a product computed while the pool is busy (its
  /// blocks then run one after the other on the caller) is bitwise the same.
  @Test func parallelMultiplyIsReproducibleWhetherOrNotThePoolIsBusy() {
    var generator = SplitMix64(seed: 83)
    for (m, n, k) in [(256, 128, 784), (128, 784, 128), (100, 64, 300)] {
      let a = GEMMTests.random(m * k, &generator)
      let b = GEMMTests.random(k * n, &generator)
      var free = [Float](repeating: 0, count: m * n)
      var busy = free
      GEMM.parallelMultiply(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &free, ldc: n)
      busy.withUnsafeMutableBufferPointer { c in
        let output = c.baseAddress!
        ThreadPool.shared.parallelFor(2) { i in
          if i == 0 {
            GEMM.parallelMultiply(.none, .none, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: output, ldc: n)
          }
        }
      }
      #expect(free == busy, "m \(m) n \(n) k \(k)")
    }
  }

  /// Several pieces per thread (``GEMM/minimumPieceFlops`` small) against one per thread: the
  /// same product up to rounding — OpenBLAS' single-threaded result for a row depends on the
  /// size of the block it is computed in, so the piece count is part of the numerics and must
  /// depend only on the shape and the thread count — and, for a given piece count, the same
  /// bits whether the pieces run in parallel or one after the other on the caller.
  @Test func piecesPerThreadKeepTheProductAndItsReproducibility() {
    var generator = SplitMix64(seed: 84)
    let saved = (GEMM.minimumPieceFlops, GEMM.minimumPieceExtent)
    defer { (GEMM.minimumPieceFlops, GEMM.minimumPieceExtent) = saved }
    GEMM.minimumPieceExtent = 16
    for (transA, transB) in [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed)] {
      for (m, n, k) in [(256, 128, 128), (128, 128, 256), (128, 256, 128), (256, 784, 128)] {
        let a = GEMMTests.random(m * k, &generator)
        let b = GEMMTests.random(k * n, &generator)
        let (lda, ldb) = (transA == .none ? k : m, transB == .none ? n : k)
        func product(minimumPieceFlops: Int, poolBusy: Bool = false) -> [Float] {
          GEMM.minimumPieceFlops = minimumPieceFlops
          var c = [Float](repeating: 0, count: m * n)
          c.withUnsafeMutableBufferPointer { c in
            let output = c.baseAddress!
            let run = {
              GEMM.parallelMultiply(
                transA, transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: output, ldc: n)
            }
            if poolBusy { ThreadPool.shared.parallelFor(2) { if $0 == 0 { run() } } } else { run() }
          }
          return c
        }
        let onePerThread = product(minimumPieceFlops: .max)
        let several = product(minimumPieceFlops: 1)
        let serial = product(minimumPieceFlops: 1, poolBusy: true)
        let label = "\(transA) \(transB) m \(m) n \(n) k \(k)"
        #expect(several.map(\.bitPattern) == serial.map(\.bitPattern), "\(label)")
        let worst = zip(onePerThread, several).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * Float(k), "\(label): \(worst)")
      }
    }
    // The piece count: one per thread at least (16-row blocks permitting), up to
    // `piecesPerThread` per thread while each keeps `minimumPieceFlops`.
    (GEMM.minimumPieceFlops, GEMM.minimumPieceExtent) = (2_000_000, 64)
    let threads = ThreadPool.shared.threadCount
    #expect(GEMM.pieceCount(extent: 256, flops: 1_000_000) == 1)
    if threads > 1 {
      #expect(GEMM.pieceCount(extent: 256, flops: 8_388_608) == max(min(threads, 16), min(threads * 4, 4)))
      #expect(GEMM.pieceCount(extent: 128, flops: 1e9) == max(min(threads, 8), 2))
      #expect(GEMM.pieceCount(extent: 16, flops: 1e9) == 1)
      #expect(GEMM.pieceCount(extent: 4096, flops: 1e12) == threads * ThreadPool.piecesPerThread)
    }
  }

  @Test func kernelNameIsReported() {
    #expect(!GEMM.kernelName.isEmpty)
    #expect(GEMM.threadCount >= 1)
  }
}

@Suite struct Im2ColTests {
  /// im2col against direct indexing, and col2im as its adjoint: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩.
  @Test(arguments: [Padding.valid, .same])
  func expandMatchesIndexingAndAccumulateIsItsAdjoint(padding: Padding) {
    let g = Conv2DGeometry(
      input: [1, 6, 7, 3], kernel: (3, 2), strides: (2, 1), dilations: (1, 2), padding: padding)
    var generator = SplitMix64(seed: 91)
    let image = GEMMTests.random(g.imageSize, &generator)
    var columns = [Float](repeating: .nan, count: g.outputPixels * g.patchSize)
    Im2Col.expand(g, image: image, columns: &columns)
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for kh in 0..<3 {
          for kw in 0..<2 {
            for c in 0..<3 {
              let ih = oh * 2 - g.padTop + kh
              let iw = ow - g.padLeft + kw * 2
              let inside = ih >= 0 && ih < 6 && iw >= 0 && iw < 7
              let expected = inside ? image[(ih * 7 + iw) * 3 + c] : 0
              #expect(columns[(oh * g.outputWidth + ow) * g.patchSize + (kh * 2 + kw) * 3 + c] == expected)
            }
          }
        }
      }
    }
    let y = GEMMTests.random(columns.count, &generator)
    var back = [Float](repeating: 0, count: g.imageSize)
    Im2Col.accumulate(g, columns: y, image: &back)
    let lhs = zip(columns, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let rhs = zip(image, back).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(Swift.abs(lhs - rhs) < 1e-4)
  }

  @Test func geometryFollowsTensorFlow() {
    let same = Conv2DGeometry(input: [1, 28, 28, 1], kernel: (3, 3), strides: (2, 2), padding: .same)
    #expect((same.outputHeight, same.outputWidth, same.padTop, same.padLeft) == (14, 14, 0, 0))
    let odd = Conv2DGeometry(input: [1, 5, 6, 1], kernel: (4, 4), strides: (1, 1), padding: .same)
    // Total padding 3: 1 on top, 2 at the bottom.
    #expect((odd.outputHeight, odd.outputWidth, odd.padTop, odd.padLeft) == (5, 6, 1, 1))
    let valid = Conv2DGeometry(input: [1, 26, 26, 32], kernel: (3, 3), strides: (1, 1), dilations: (2, 2), padding: .valid)
    #expect((valid.outputHeight, valid.outputWidth) == (22, 22))
  }
}
