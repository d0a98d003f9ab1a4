import SimilarityKernels
import Testing

@testable import SimilarityVisualization

@Suite struct ProjectionTests {
  /// `clusters` Gaussian blobs of `perCluster` points in `dimension` dimensions: centres 10
  /// apart along distinct axes, unit noise; returns row-major points and labels.
  static func mixture(clusters: Int, perCluster: Int, dimension: Int, seed: UInt64)
    -> (points: [Float], labels: [Int])
  {
    var generator = SplitMix64(seed: seed)
    var points: [Float] = []
    var labels: [Int] = []
    for c in 0..<clusters {
      for _ in 0..<perCluster {
        for j in 0..<dimension { points.append((j == c ? 10 : 0) + generator.nextNormal()) }
        labels.append(c)
      }
    }
    return (points, labels)
  }

  /// The fraction of points whose `k` nearest other points in the layout mostly share their
  /// label (each neighbour counted separately).
  static func neighborAgreement(_ layout: [SIMD2<Double>], labels: [Int], k: Int) -> Double {
    var agreeing = 0
    for i in layout.indices {
      let nearest = layout.indices.filter { $0 != i }
        .sorted {
          let a = layout[$0] - layout[i]
          let b = layout[$1] - layout[i]
          return (a * a).sum() < (b * b).sum()
        }
        .prefix(k)
      agreeing += nearest.filter { labels[$0] == labels[i] }.count
    }
    return Double(agreeing) / Double(layout.count * k)
  }

  @Test func tsneSeparatesAGaussianMixture() {
    let (points, labels) = Self.mixture(clusters: 5, perCluster: 60, dimension: 20, seed: 7)
    let layout = TSNE(perplexity: 20, iterations: 400, earlyExaggerationIterations: 150, seed: 3)
      .embed(points, dimension: 20)
    #expect(layout.count == 300)
    #expect(layout.allSatisfy { $0.x.isFinite && $0.y.isFinite })
    #expect(Self.neighborAgreement(layout, labels: labels, k: 5) >= 0.95)
    // The clusters are spread out, not collapsed onto a point.
    let spread = layout.map { ($0 * $0).sum() }.max() ?? 0
    #expect(spread > 1)
  }

  @Test func tsneIsDeterministicForASeed() {
    let (points, _) = Self.mixture(clusters: 3, perCluster: 20, dimension: 6, seed: 1)
    let tsne = TSNE(perplexity: 5, iterations: 120, earlyExaggerationIterations: 50, seed: 9)
    let first = tsne.embed(points, dimension: 6)
    #expect(first == tsne.embed(points, dimension: 6))
    var other = tsne
    other.initialization = .random
    #expect(first != other.embed(points, dimension: 6))
  }

  @Test func tsneHandlesDuplicatesAndTinyInputs() {
    let points = [Float](repeating: 1, count: 40 * 3)
    let layout = TSNE(perplexity: 5, iterations: 50, earlyExaggerationIterations: 20)
      .embed(points, dimension: 3)
    #expect(layout.count == 40 && layout.allSatisfy { $0.x.isFinite && $0.y.isFinite })
    #expect(TSNE().embed([1, 2, 3, 4], dimension: 2).count == 2)
  }

  @Test func pcaFindsKnownPrincipalAxes() {
    // Points a·3·u + b·v + 0.05·noise with u, v orthonormal and rotated away from the axes.
    let s = Float(0.5).squareRoot()
    let u: [Float] = [s, s, 0, 0, 0]
    let v: [Float] = [0, 0, 0.6, 0.8, 0]
    var generator = SplitMix64(seed: 5)
    var points: [Float] = []
    for _ in 0..<400 {
      let a = generator.nextNormal()
      let b = generator.nextNormal()
      for j in 0..<5 {
        points.append(4 + 3 * a * u[j] + b * v[j] + 0.05 * generator.nextNormal())
      }
    }
    let pca = PCA(points: points, dimension: 5, componentCount: 2, seed: 1)
    func alignment(_ axis: [Double], _ expected: [Float]) -> Double {
      abs(zip(axis, expected).reduce(0) { $0 + $1.0 * Double($1.1) })
    }
    #expect(alignment(pca.components[0], u) > 0.999)
    #expect(alignment(pca.components[1], v) > 0.999)
    #expect(abs(pca.variances[0] - 9) < 1.2)
    #expect(abs(pca.variances[1] - 1) < 0.15)
    #expect(pca.mean.allSatisfy { abs($0 - 4) < 0.4 })
    // Projections are centred and carry the variance along each axis.
    let projected = pca.project2D(points)
    let meanX = projected.reduce(0) { $0 + $1.x } / 400
    #expect(abs(meanX) < 1e-4)
  }

  @Test func barnesHutRepulsionMatchesTheExactSum() {
    var generator = SplitMix64(seed: 11)
    var points = (0..<400).map { _ in Double(generator.nextNormal()) * 3 }
    points[2] = points[0]  // a duplicate of point 0
    points[3] = points[1]
    let stack = UnsafeMutablePointer<Int32>.allocate(capacity: QuadTree.stackCapacity)
    defer { stack.deallocate() }
    points.withUnsafeBufferPointer { buffer in
      let tree = QuadTree(points: buffer)
      for i in [0, 1, 57, 199] {
        var fx = 0.0
        var fy = 0.0
        var z = 0.0
        for j in 0..<200 where j != i {
          let dx = buffer[2 * i] - buffer[2 * j]
          let dy = buffer[2 * i + 1] - buffer[2 * j + 1]
          let q = 1 / (1 + dx * dx + dy * dy)
          z += q
          fx += q * q * dx
          fy += q * q * dy
        }
        let x = buffer[2 * i]
        let y = buffer[2 * i + 1]
        let exact = tree.repulsion(of: i, x: x, y: y, theta: 0, stack: stack)
        #expect(abs(exact.z - z) < 1e-9 && abs(exact.fx - fx) < 1e-9 && abs(exact.fy - fy) < 1e-9)
        let approximate = tree.repulsion(of: i, x: x, y: y, theta: 0.5, stack: stack)
        #expect(abs(approximate.z - z) < 0.02 * z)
        let size = (fx * fx + fy * fy).squareRoot()
        let error =
          ((approximate.fx - fx) * (approximate.fx - fx)
          + (approximate.fy - fy) * (approximate.fy - fy)).squareRoot()
        #expect(error < 0.05 * size + 1e-6)
      }
    }
  }
}
