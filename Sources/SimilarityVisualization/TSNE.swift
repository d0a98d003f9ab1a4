import SimilarityKernels

/// t-distributed stochastic neighbour embedding into 2-D (van der Maaten & Hinton 2008,
/// "Visualizing Data using t-SNE", JMLR 9, https://jmlr.org/papers/v9/vandermaaten08a.html)
/// with the Barnes–Hut approximation and sparse nearest-neighbour input similarities of
/// van der Maaten 2014 (https://jmlr.org/papers/v15/vandermaaten14a.html).
///
/// Optimisation: gradient descent with momentum 0.5 during early exaggeration and 0.8 after,
/// per-coordinate adaptive gains (+0.2 / ×0.8, at least 0.01), learning rate
/// `max(n / exaggeration / 4, 50)` unless given (Belkina et al. 2019), the layout re-centred
/// every step. The same seed and inputs give the same layout (the thread split only changes
/// which thread computes a point, not the arithmetic).
public struct TSNE: Sendable {
  /// How the 2-D layout starts.
  public enum Initialization: Hashable, Sendable {
    /// The first two principal components, scaled to a standard deviation of 1e-4 along the
    /// first (keeps the global arrangement of clusters more faithful).
    case pca
    /// Independent normal coordinates with standard deviation 1e-4.
    case random
  }

  /// The effective number of neighbours each point's Gaussian covers (5…50 is usual); capped
  /// by the number of points.
  public var perplexity: Double
  /// Gradient steps in total.
  public var iterations: Int
  /// Steps at the start during which attractions are multiplied by ``earlyExaggeration``.
  public var earlyExaggerationIterations: Int
  public var earlyExaggeration: Double
  /// Step size; `nil` chooses `max(n / earlyExaggeration / 4, 50)`.
  public var learningRate: Double?
  /// Barnes–Hut accuracy: a cell is summarised when its width is below `theta` times its
  /// distance; 0 computes every pair exactly.
  public var theta: Double
  public var initialization: Initialization
  public var seed: UInt64

  /// Creates a configuration.
  public init(
    perplexity: Double = 30, iterations: Int = 750, earlyExaggerationIterations: Int = 250,
    earlyExaggeration: Double = 12, learningRate: Double? = nil, theta: Double = 0.5,
    initialization: Initialization = .pca, seed: UInt64 = 0
  ) {
    precondition(perplexity > 0, "TSNE: perplexity \(perplexity) must be positive")
    precondition(theta >= 0, "TSNE: theta \(theta) must be ≥ 0")
    self.perplexity = perplexity
    self.iterations = iterations
    self.earlyExaggerationIterations = earlyExaggerationIterations
    self.earlyExaggeration = earlyExaggeration
    self.learningRate = learningRate
    self.theta = theta
    self.initialization = initialization
    self.seed = seed
  }

  /// The 2-D coordinates of `n = points.count / dimension` points given row-major.
  /// Fewer than 3 points are laid out on a line without optimisation.
  public func embed(_ points: [Float], dimension: Int) -> [SIMD2<Double>] {
    precondition(
      dimension > 0 && points.count % dimension == 0,
      "TSNE: \(points.count) values are not rows of \(dimension)")
    let n = points.count / dimension
    if n < 3 { return (0..<n).map { SIMD2(Double($0), 0) } }
    let affinities = TSNEAffinities(points: points, dimension: dimension, perplexity: perplexity)
    var y = initialLayout(points, dimension: dimension)
    let rate = learningRate ?? max(Double(n) / earlyExaggeration / 4, 50)
    var update = [Double](repeating: 0, count: 2 * n)
    var gains = [Double](repeating: 1, count: 2 * n)
    var gradient = [Double](repeating: 0, count: 2 * n)
    var scratch = [Double](repeating: 0, count: 3 * n)
    for iteration in 0..<iterations {
      let early = iteration < earlyExaggerationIterations
      computeGradient(
        y: y, affinities: affinities, exaggeration: early ? earlyExaggeration : 1,
        gradient: &gradient, scratch: &scratch)
      let momentum = early ? 0.5 : 0.8
      var meanX = 0.0
      var meanY = 0.0
      for c in 0..<(2 * n) {
        let sameSign = (gradient[c] > 0) == (update[c] > 0)
        gains[c] = max(sameSign ? gains[c] * 0.8 : gains[c] + 0.2, 0.01)
        update[c] = momentum * update[c] - rate * gains[c] * gradient[c]
        y[c] += update[c]
        if c % 2 == 0 { meanX += y[c] } else { meanY += y[c] }
      }
      meanX /= Double(n)
      meanY /= Double(n)
      for i in 0..<n {
        y[2 * i] -= meanX
        y[2 * i + 1] -= meanY
      }
    }
    return (0..<n).map { SIMD2(y[2 * $0], y[2 * $0 + 1]) }
  }

  private func initialLayout(_ points: [Float], dimension: Int) -> [Double] {
    let n = points.count / dimension
    var generator = SplitMix64(seed: seed)
    var y: [Double]
    switch initialization {
    case .pca where dimension >= 2:
      let pca = PCA(points: points, dimension: dimension, componentCount: 2, seed: seed)
      y = pca.project(points)
    case .pca, .random:
      y = (0..<(2 * n)).map { _ in Double(generator.nextNormal()) }
    }
    var mean = 0.0
    for i in 0..<n { mean += y[2 * i] }
    mean /= Double(n)
    var variance = 0.0
    for i in 0..<n { variance += (y[2 * i] - mean) * (y[2 * i] - mean) }
    let deviation = (variance / Double(n)).squareRoot()
    let scale = deviation > 0 ? 1e-4 / deviation : 1e-4
    // Tiny jitter separates identical inputs, which would otherwise stay on top of each other.
    return y.map { $0 * scale + 1e-8 * Double(generator.nextNormal()) }
  }

  /// `∂C/∂y_i = 4 (α Σ_j p_ij q_ij (y_i − y_j) − Σ_j q_ij² (y_i − y_j) / Z)` with unnormalised
  /// `q_ij = 1 / (1 + ‖y_i − y_j‖²)` and `Z = Σ_{k≠l} q_kl`. `scratch` holds the repulsive
  /// sums (x, y, partial Z) of every point.
  private func computeGradient(
    y: [Double], affinities: TSNEAffinities, exaggeration: Double, gradient: inout [Double],
    scratch: inout [Double]
  ) {
    let n = y.count / 2
    y.withUnsafeBufferPointer { y in
      let tree = QuadTree(points: y)
      gradient.withUnsafeMutableBufferPointer { gradient in
        scratch.withUnsafeMutableBufferPointer { scratch in
          let (gradient, scratch) = (gradient, scratch)
          ThreadPool.shared.parallelForChunks(n, minimumChunk: 32) { range in
            let stack = UnsafeMutablePointer<Int32>.allocate(capacity: QuadTree.stackCapacity)
            defer { stack.deallocate() }
            for i in range {
              let xi = y[2 * i]
              let yi = y[2 * i + 1]
              var ax = 0.0
              var ay = 0.0
              for e in affinities.rowStart[i]..<affinities.rowStart[i + 1] {
                let j = Int(affinities.columns[e])
                let dx = xi - y[2 * j]
                let dy = yi - y[2 * j + 1]
                let q = 1 / (1 + dx * dx + dy * dy)
                ax += affinities.values[e] * q * dx
                ay += affinities.values[e] * q * dy
              }
              gradient[2 * i] = exaggeration * ax
              gradient[2 * i + 1] = exaggeration * ay
              let repulsion = tree.repulsion(of: i, x: xi, y: yi, theta: theta, stack: stack)
              scratch[3 * i] = repulsion.fx
              scratch[3 * i + 1] = repulsion.fy
              scratch[3 * i + 2] = repulsion.z
            }
          }
          var z = 0.0
          for i in 0..<n { z += scratch[3 * i + 2] }
          let inverse = z > 0 ? 1 / z : 0
          for i in 0..<n {
            gradient[2 * i] = 4 * (gradient[2 * i] - scratch[3 * i] * inverse)
            gradient[2 * i + 1] = 4 * (gradient[2 * i + 1] - scratch[3 * i + 1] * inverse)
          }
        }
      }
    }
  }
}
