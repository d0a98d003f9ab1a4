// Element-wise math. Each op records `g · f'(x)` computed from the saved input and output.
extension Tensor {
  /// `eˣ`. Derivative: `g · eˣ`.
  public func exp() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, { ScalarMath.exp($0) }, derivative: { _, y in y })
  }

  /// Natural logarithm. Derivative: `g / x`.
  public func log() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, { ScalarMath.log($0) }, derivative: { x, _ in 1 / x })
  }

  /// Square root. Derivative: `g / (2√x)`.
  public func sqrt() -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, { $0.squareRoot() }, derivative: { _, y in 0.5 / y })
  }

  /// `x²`. Derivative: `2x · g`.
  public func squared() -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, { $0 * $0 }, derivative: { x, _ in 2 * x })
  }

  /// `xᵖ`. Derivative: `p · xᵖ⁻¹ · g`.
  public func pow(_ exponent: Float) -> Tensor {
    if exponent == 2 { return squared() }
    if exponent == 1 { return unaryLinear(scale: 1, offset: 0) }
    return unaryOp(
      grain: ParallelGrain.transcendental, { ScalarMath.pow($0, exponent) },
      derivative: { x, _ in exponent * ScalarMath.pow(x, exponent - 1) })
  }

  /// `|x|`. Derivative: `sign(x) · g` (0 at 0).
  public func abs() -> Tensor {
    unaryOp(
      grain: ParallelGrain.cheap, { Swift.abs($0) },
      derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
  }

  /// The logistic function `1 / (1 + e⁻ˣ)`. Derivative: `y(1 − y) · g`.
  public func sigmoid() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, { Tensor.sigmoid($0) }, derivative: { _, y in y * (1 - y) })
  }

  @inline(__always)
  static func sigmoid(_ x: Float) -> Float {
    // Never exponentiates a positive number, so it cannot overflow.
    if x >= 0 { return 1 / (1 + ScalarMath.exp(-x)) }
    let e = ScalarMath.exp(x)
    return e / (1 + e)
  }

  /// Hyperbolic tangent. Derivative: `(1 − y²) · g`.
  public func tanh() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, { ScalarMath.tanh($0) }, derivative: { _, y in 1 - y * y })
  }

  /// `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^−|x|)`. Derivative: `sigmoid(x) · g`.
  public func softplus() -> Tensor {
    unaryOp(
      grain: ParallelGrain.transcendental,
      { Swift.max($0, 0) + ScalarMath.log1p(ScalarMath.exp(-Swift.abs($0))) },
      derivative: { x, _ in Tensor.sigmoid(x) })
  }

  /// Values limited to `[min, max]`. Derivative: `g` inside the interval, 0 outside.
  public func clipped(min lower: Float, max upper: Float) -> Tensor {
    precondition(lower <= upper, "clipped: min \(lower) > max \(upper)")
    return unaryOp(
      grain: ParallelGrain.cheap, { Swift.min(Swift.max($0, lower), upper) },
      derivative: { x, _ in x >= lower && x <= upper ? 1 : 0 })
  }

  /// `max(x, c)` element-wise. Derivative: `g` where `x ≥ c`, else 0.
  public func maximum(_ value: Float) -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, { Swift.max($0, value) }, derivative: { x, _ in x >= value ? 1 : 0 })
  }

  /// `min(x, c)` element-wise. Derivative: `g` where `x ≤ c`, else 0.
  public func minimum(_ value: Float) -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, { Swift.min($0, value) }, derivative: { x, _ in x <= value ? 1 : 0 })
  }

  /// `max(a, b)` element-wise with broadcasting. Derivative: to `a` where `a ≥ b`, else to `b`.
  public func maximum(_ other: Tensor) -> Tensor {
    selectExtreme(other, isMax: true)
  }

  /// `min(a, b)` element-wise with broadcasting. Derivative: to `a` where `a ≤ b`, else to `b`.
  public func minimum(_ other: Tensor) -> Tensor {
    selectExtreme(other, isMax: false)
  }

  private func selectExtreme(_ other: Tensor, isMax: Bool) -> Tensor {
    let shape = Tensor.broadcastShape(self.shape, other.shape, isMax ? "maximum" : "minimum")
    // 1 where `self` is chosen.
    let choice = Tensor.broadcastBinary(self, other, outShape: shape, grain: ParallelGrain.cheap) {
      (isMax ? $0 >= $1 : $0 <= $1) ? 1 : 0
    }
    let output = Tensor.broadcastBinary(self, other, outShape: shape, grain: ParallelGrain.cheap) {
      isMax ? Swift.max($0, $1) : Swift.min($0, $1)
    }
    let (ls, rs) = (self.shape, other.shape)
    return Tensor.recording(shape: shape, scalars: output, inputs: [self, other]) { g, needed in
      let chosen = Tensor(shape: shape, scalars: choice)
      return [
        needed[0] ? (g * chosen).summed(toShape: ls) : nil,
        needed[1] ? (g * (1 - chosen)).summed(toShape: rs) : nil,
      ]
    }
  }
}
