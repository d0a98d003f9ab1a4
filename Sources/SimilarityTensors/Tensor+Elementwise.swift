// Element-wise math. Each op records `g · f'(x)` computed from the saved input and output.
extension Tensor {
  /// `eˣ`. Derivative: `g · eˣ`.
  public func exp() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Exp())
  }

  /// Natural logarithm. Derivative: `g / x`.
  public func log() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Log())
  }

  /// Square root. Derivative: `g / (2√x)`.
  public func sqrt() -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, SquareRoot())
  }

  /// `x²`. Derivative: `2x · g`.
  public func squared() -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, Square())
  }

  /// `xᵖ`. Derivative: `p · xᵖ⁻¹ · g`.
  public func pow(_ exponent: Float) -> Tensor {
    if exponent == 2 { return squared() }
    if exponent == 1 { return unaryLinear(scale: 1, offset: 0) }
    return unaryOp(grain: ParallelGrain.transcendental, Power(exponent: exponent))
  }

  /// `|x|`. Derivative: `sign(x) · g` (0 at 0).
  public func abs() -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, Absolute())
  }

  /// The logistic function `1 / (1 + e⁻ˣ)`. Derivative: `y(1 − y) · g`.
  public func sigmoid() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Sigmoid())
  }

  /// Hyperbolic tangent. Derivative: `(1 − y²) · g`.
  public func tanh() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, HyperbolicTangent())
  }

  /// `log(1 + eˣ)`, computed as `max(x, 0) + log1p(e^−|x|)`. Derivative: `sigmoid(x) · g`.
  public func softplus() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Softplus())
  }

  /// Values limited to `[min, max]`. Derivative: `g` inside the interval, 0 outside.
  public func clipped(min lower: Float, max upper: Float) -> Tensor {
    precondition(lower <= upper, "clipped: min \(lower) > max \(upper)")
    return unaryOp(grain: ParallelGrain.cheap, Clip(lower: lower, upper: upper))
  }

  /// `max(x, c)` element-wise. Derivative: `g` where `x ≥ c`, else 0.
  public func maximum(_ value: Float) -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, Clip(lower: value, upper: .infinity))
  }

  /// `min(x, c)` element-wise. Derivative: `g` where `x ≤ c`, else 0.
  public func minimum(_ value: Float) -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, Clip(lower: -.infinity, upper: value))
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
    let choice = Tensor.broadcastBinary(
      self, other, outShape: shape, grain: ParallelGrain.cheap, Extreme(isMax: isMax, mask: true))
    let output = Tensor.broadcastBinary(
      self, other, outShape: shape, grain: ParallelGrain.cheap, Extreme(isMax: isMax, mask: false))
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
