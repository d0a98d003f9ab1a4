import SimilarityTensors

/// Checks reverse-mode gradients against central finite differences.
///
/// The function's output `y` is reduced to a scalar `L = Σ wᵢ·yᵢ` with fixed random weights
/// `w` (so no gradient can cancel by symmetry), and for every input element
/// `(L(x + ε) − L(x − ε)) / 2ε` is compared with the analytic gradient obtained by seeding
/// the backward pass with `w`. `L` is accumulated in Double; only the op itself runs in Float.
///
/// Tolerance: with `ε = 1e-2` the truncation error of the central difference is
/// `ε²/6 · |L'''| ≈ 2e-5 · |L'''|`; Float rounding of each output (relative 2⁻²⁴ ≈ 6e-8)
/// perturbs the difference by at most `6e-8 · Σ|wᵢ·yᵢ| / ε ≈ 6e-6 · Σ|wᵢ·yᵢ|`. The check
/// allows `|analytic − numeric| ≤ atol + rtol · |numeric|` with `rtol = 1e-2` and
/// `atol = 2e-3 + 2e-5 · Σ|wᵢ·yᵢ|` (≥ 3× those bounds). Inputs of non-smooth ops are kept at
/// least 0.05 away from kinks (≫ ε), so no difference straddles one.
struct GradientCheck {
  var epsilon: Float = 1e-2
  var relativeTolerance = 1e-2

  /// The worst `|analytic − numeric| / allowed` over all input elements (≤ 1 passes) and a
  /// description of where it occurred.
  func worstError(
    _ inputs: [Tensor], seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor
  ) -> (ratio: Double, detail: String) {
    let variables = inputs.map { $0.variable() }
    let output = f(variables)
    var generator = SplitMix64(seed: seed)
    let weights = Tensor.randomUniform(
      shape: output.shape, lowerBound: -1, upperBound: 1, using: &generator)
    let analytic = output.gradients(of: variables, seed: weights)
    let magnitude = zip(output.scalars, weights.scalars).reduce(0.0) {
      $0 + Swift.abs(Double($1.0) * Double($1.1))
    }
    let absoluteTolerance = 2e-3 + 2e-5 * magnitude

    func loss(_ values: [Tensor]) -> Double {
      let y = f(values)
      return zip(y.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    var worst = (ratio: 0.0, detail: "no elements")
    for (k, input) in inputs.enumerated() {
      for i in 0..<input.count {
        var plus = inputs
        var minus = inputs
        var up = input.scalars
        var down = input.scalars
        up[i] += epsilon
        down[i] -= epsilon
        plus[k] = Tensor(shape: input.shape, scalars: up)
        minus[k] = Tensor(shape: input.shape, scalars: down)
        // The perturbation actually applied, after Float rounding.
        let step = Double(up[i]) - Double(down[i])
        let numeric = (loss(plus) - loss(minus)) / step
        let exact = Double(analytic[k].scalars[i])
        let allowed = absoluteTolerance + relativeTolerance * Swift.abs(numeric)
        let ratio = Swift.abs(exact - numeric) / allowed
        if ratio > worst.ratio || worst.detail == "no elements" {
          worst = (ratio, "input \(k) element \(i): analytic \(exact), numeric \(numeric)")
        }
      }
    }
    return worst
  }
}

/// Random test tensors.
enum Sample {
  /// Uniform in `[-2, 2)`, moved at least `gap` away from each of `kinks`.
  static func tensor(
    _ shape: [Int], seed: UInt64, range: ClosedRange<Float> = -2...2,
    awayFrom kinks: [Float] = [], gap: Float = 0.05
  ) -> Tensor {
    var generator = SplitMix64(seed: seed)
    var t = Tensor.randomUniform(
      shape: shape, lowerBound: range.lowerBound, upperBound: range.upperBound, using: &generator)
    var values = t.scalars
    for i in values.indices {
      for kink in kinks where Swift.abs(values[i] - kink) < gap {
        values[i] = kink + (values[i] >= kink ? gap : -gap)
      }
    }
    t = Tensor(shape: shape, scalars: values)
    return t
  }

  /// Distinct values (a shuffled ramp), so maxima and comparisons have no ties.
  static func distinct(_ shape: [Int], seed: UInt64, spacing: Float = 0.1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let n = shape.reduce(1, *)
    var values = (0..<n).map { Float($0) * spacing - Float(n) * spacing / 2 }
    values.shuffle(using: &generator)
    return Tensor(shape: shape, scalars: values)
  }
}
