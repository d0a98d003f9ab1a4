import Foundation
import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

/// TF Similarity's `generate_perfect_test_batch(32)`: labels `0..<32` twice, each embedding
/// the one-hot vector of its label, `[64, 32]`.
func perfectTestBatch(_ size: Int = 32) -> (embeddings: Tensor, labels: [Int]) {
  let labels = Array(0..<size) + Array(0..<size)
  return (Tensor.oneHot(labels, depth: size), labels)
}

/// TF Similarity's `generate_bad_test_batch(32)`: labels `0..<32` twice, embeddings one-hot
/// of `[0..<32, reversed(0..<32)]`, so every positive pair is orthogonal.
func badTestBatch(_ size: Int = 32) -> (embeddings: Tensor, labels: [Int]) {
  let labels = Array(0..<size) + Array(0..<size)
  let hot = Array(0..<size) + Array((0..<size).reversed())
  return (Tensor.oneHot(hot, depth: size), labels)
}

/// A seeded batch of `count` L2-normalised Gaussian embeddings with labels in `0..<classes`.
func randomBatch(
  count: Int, dimension: Int, classes: Int, seed: UInt64, normalized: Bool = true
) -> (embeddings: Tensor, labels: [Int]) {
  var generator = SplitMix64(seed: seed)
  let raw = Tensor(
    shape: [count, dimension], scalars: (0..<count * dimension).map { _ in generator.nextNormal() })
  let labels = (0..<count).map { _ in Int(generator.next() % UInt64(classes)) }
  return (normalized ? raw.l2Normalized(alongAxis: 1).detached : raw, labels)
}

/// Rows of a `[n, d]` tensor as arrays.
func rowArrays(_ t: Tensor) -> [[Float]] {
  (0..<t.shape[0]).map { Array(t.scalars[($0 * t.shape[1])..<(($0 + 1) * t.shape[1])]) }
}

/// The loop-reference dissimilarity losses minimise (`−a·b` for the inner product).
func naiveDissimilarity(_ distance: Distance, _ a: [Float], _ b: [Float]) -> Double {
  let value = Double(distance.reference(a, b))
  return distance.isSimilarity ? -value : value
}

/// The `[n, n]` loop-reference dissimilarity matrix of a batch.
func naiveDistanceMatrix(_ distance: Distance, _ embeddings: Tensor) -> [[Double]] {
  let r = rowArrays(embeddings)
  return r.map { a in r.map { b in naiveDissimilarity(distance, a, b) } }
}

/// `log(1 + Σ eˣ)` in `Double`, the reference of the masked log-sum-exp with its "+1".
func naiveLogOnePlusSumExp(_ values: [Double]) -> Double {
  Foundation.log(1 + values.reduce(0) { $0 + Foundation.exp($1) })
}

/// Checks the gradient of `loss` with respect to `input` against central differences of step
/// `step` for up to `samples` elements.
func expectGradientMatchesFiniteDifferences(
  at input: Tensor, step: Float = 1e-3, tolerance: Float = 2e-2, samples: Int = 24,
  sourceLocation: SourceLocation = #_sourceLocation, _ loss: (Tensor) -> Tensor
) {
  let variable = input.variable()
  let value = loss(variable)
  let gradient = value.gradients(of: [variable])[0]
  #expect(
    gradient.scalars.allSatisfy { $0.isFinite }, "gradient has non-finite entries",
    sourceLocation: sourceLocation)
  let stride = Swift.max(1, input.count / samples)
  for element in Swift.stride(from: 0, to: input.count, by: stride) {
    var plus = input.scalars
    plus[element] += step
    var minus = input.scalars
    minus[element] -= step
    let numeric =
      (loss(Tensor(shape: input.shape, scalars: plus)).item
        - loss(Tensor(shape: input.shape, scalars: minus)).item) / (2 * step)
    let exact = gradient.scalars[element]
    #expect(
      abs(numeric - exact) <= tolerance * Swift.max(1, abs(numeric), abs(exact)),
      "element \(element): analytic \(exact), numeric \(numeric)", sourceLocation: sourceLocation)
  }
}

/// Whether `a` and `b` agree element-wise within `tolerance` (relative above 1).
func isClose(_ a: [Float], _ b: [Double], tolerance: Double = 1e-4) -> Bool {
  a.count == b.count
    && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance * Swift.max(1, abs($1)) }
}
