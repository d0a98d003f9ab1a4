import SimilarityKernels
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct ContrastiveLossTests {
  @Test func matchesTheFormulaOnHandPickedPairs() {
    // d = [0.2, 0.3, 1.5, 0.0], y = [1, 0, 0, 1], margin 1:
    // 0.04, (1 − 0.3)² = 0.49, max(1 − 1.5, 0)² = 0, 0 → mean 0.1325.
    let loss = ContrastiveLoss(margin: 1)
    let value = loss(
      distances: Tensor(shape: [4], scalars: [0.2, 0.3, 1.5, 0]),
      labels: Tensor(shape: [4], scalars: [1, 0, 0, 1]))
    #expect(abs(value.item - 0.1325) < 1e-6)
  }

  @Test func marginMovesTheDissimilarTerm() {
    // Margin 2: (2 − 1.5)² = 0.25 for the one dissimilar pair.
    let value = ContrastiveLoss(margin: 2)(
      distances: Tensor(shape: [1], scalars: [1.5]), labels: Tensor(shape: [1], scalars: [0]))
    #expect(abs(value.item - 0.25) < 1e-6)
  }

  @Test func gradientMatchesFiniteDifferences() {
    // The loss of a batch of pairs as a function of the two embedding batches.
    var random = SplitMix64(seed: 5)
    let a = Tensor(shape: [6, 3], scalars: (0..<18).map { _ in random.nextNormal() * 0.5 })
    let b = Tensor(shape: [6, 3], scalars: (0..<18).map { _ in random.nextNormal() * 0.5 })
    let labels = Tensor(shape: [6], scalars: [1, 0, 1, 0, 0, 1])
    let loss = ContrastiveLoss(margin: 1)
    func value(_ a: Tensor, _ b: Tensor) -> Double {
      Double(loss(distances: euclideanDistance(a, b), labels: labels).item)
    }
    let va = a.variable()
    let vb = b.variable()
    let grads = loss(distances: euclideanDistance(va, vb), labels: labels).gradients(of: [va, vb])
    let h: Float = 1e-2
    for (which, base) in [a, b].enumerated() {
      for i in 0..<base.count {
        var plus = base.scalars
        var minus = base.scalars
        plus[i] += h
        minus[i] -= h
        let tp = Tensor(shape: base.shape, scalars: plus)
        let tm = Tensor(shape: base.shape, scalars: minus)
        let numeric =
          which == 0 ? (value(tp, b) - value(tm, b)) / Double(2 * h)
          : (value(a, tp) - value(a, tm)) / Double(2 * h)
        let analytic = Double(grads[which].scalars[i])
        #expect(abs(numeric - analytic) < 2e-3, "input \(which) element \(i)")
      }
    }
  }

  @Test func distanceGradientIsFiniteWhenEmbeddingsCoincide() {
    let a = Tensor(rows: [[1, 2], [3, 4]]).variable()
    let d = euclideanDistance(a, a.detached)
    #expect(abs(d.scalars[0] - Float(1e-7).squareRoot()) < 1e-6)
    let g = d.sum().gradients(of: [a])[0]
    #expect(g.scalars.allSatisfy { $0.isFinite })
  }

  @Test func pairAccuracyUsesTheStrictThreshold() {
    let accuracy = pairAccuracy(
      distances: [0.1, 0.5, 0.7, 0.2], labels: [1, 1, 0, 0], threshold: 0.5)
    // 0.1 < 0.5 similar ✓; 0.5 is not < 0.5 → dissimilar ✗; 0.7 ✓; 0.2 → similar ✗.
    #expect(accuracy == 0.5)
  }
}
