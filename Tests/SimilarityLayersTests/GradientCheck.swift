import SimilarityLayers
import Testing

/// Checks reverse-mode gradients of `loss` against central differences
/// `(L(p + h) − L(p − h)) / 2h` for up to `samples` elements of every parameter.
func expectGradientsMatchFiniteDifferences(
  of parameters: [Parameter], step: Float = 1e-2, tolerance: Float = 2e-2, samples: Int = 16,
  sourceLocation: SourceLocation = #_sourceLocation, _ loss: () -> Tensor
) {
  let analytic = valueWithGradient(at: parameters) { loss() }.gradients
  for (index, parameter) in parameters.enumerated() {
    let count = parameter.value.count
    let stride = Swift.max(1, count / samples)
    for element in Swift.stride(from: 0, to: count, by: stride) {
      let original = parameter.value
      var plus = original.scalars
      plus[element] += step
      parameter.value = Tensor(shape: original.shape, scalars: plus)
      let lossPlus = loss().item
      var minus = original.scalars
      minus[element] -= step
      parameter.value = Tensor(shape: original.shape, scalars: minus)
      let lossMinus = loss().item
      parameter.value = original
      let numeric = (lossPlus - lossMinus) / (2 * step)
      let exact = analytic[index].scalars[element]
      let scale = Swift.max(1, abs(numeric), abs(exact))
      #expect(
        abs(numeric - exact) <= tolerance * scale,
        "parameter \(index) element \(element): analytic \(exact), numeric \(numeric)",
        sourceLocation: sourceLocation)
    }
  }
}

/// A tensor of `shape` with values uniform in `[-1, 1)` from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = SplitMix64(seed: seed)
  let count = shape.reduce(1, *)
  return Tensor(shape: shape, scalars: (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 })
}

/// `Σ layer(input) · weights` for fixed random weights: a scalar whose gradient exercises
/// every output element differently.
func weightedSum(_ output: Tensor, seed: UInt64 = 99) -> Tensor {
  (output * randomTensor(output.shape, seed: seed)).sum()
}

/// Whether every element of `a` is within `tolerance` of `b` (same count).
func allClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
}
