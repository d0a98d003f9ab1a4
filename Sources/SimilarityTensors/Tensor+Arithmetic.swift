// Arithmetic operators with NumPy broadcasting. The gradient of a broadcast operand is summed
// back to its own shape.
extension Tensor {
  /// Element-wise sum with broadcasting. Derivative: `dA = g`, `dB = g` (reduced to shape).
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    let shape = broadcastShape(lhs.shape, rhs.shape, "+")
    let output = broadcastBinary(lhs, rhs, outShape: shape, grain: ParallelGrain.cheap, Add())
    let (ls, rs) = (lhs.shape, rhs.shape)
    return recording(shape: shape, scalars: output, inputs: [lhs, rhs]) { g, needed in
      [needed[0] ? g.summed(toShape: ls) : nil, needed[1] ? g.summed(toShape: rs) : nil]
    }
  }

  /// Element-wise difference with broadcasting. Derivative: `dA = g`, `dB = -g`.
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    let shape = broadcastShape(lhs.shape, rhs.shape, "-")
    let output = broadcastBinary(lhs, rhs, outShape: shape, grain: ParallelGrain.cheap, Subtract())
    let (ls, rs) = (lhs.shape, rhs.shape)
    return recording(shape: shape, scalars: output, inputs: [lhs, rhs]) { g, needed in
      [needed[0] ? g.summed(toShape: ls) : nil, needed[1] ? (-g).summed(toShape: rs) : nil]
    }
  }

  /// Element-wise product with broadcasting. Derivative: `dA = g·b`, `dB = g·a`.
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    let shape = broadcastShape(lhs.shape, rhs.shape, "*")
    let output = broadcastBinary(lhs, rhs, outShape: shape, grain: ParallelGrain.cheap, Multiply())
    let (a, b) = (lhs.detached, rhs.detached)
    return recording(shape: shape, scalars: output, inputs: [lhs, rhs]) { g, needed in
      [
        needed[0] ? (g * b).summed(toShape: a.shape) : nil,
        needed[1] ? (g * a).summed(toShape: b.shape) : nil,
      ]
    }
  }

  /// Element-wise quotient with broadcasting. Derivative: `dA = g/b`, `dB = -g·a/b²`.
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    let shape = broadcastShape(lhs.shape, rhs.shape, "/")
    let output = broadcastBinary(lhs, rhs, outShape: shape, grain: ParallelGrain.cheap, Divide())
    let (a, b) = (lhs.detached, rhs.detached)
    let quotient = Tensor(shape: shape, scalars: output)
    return recording(shape: shape, scalars: output, inputs: [lhs, rhs]) { g, needed in
      [
        needed[0] ? (g / b).summed(toShape: a.shape) : nil,
        needed[1] ? (-(g * quotient) / b).summed(toShape: b.shape) : nil,
      ]
    }
  }

  /// Negation. Derivative: `-g`.
  public static prefix func - (x: Tensor) -> Tensor {
    x.unaryLinear(scale: -1, offset: 0)
  }

  /// `scale · x + offset` element-wise, one primitive. Derivative: `scale · g`.
  func unaryLinear(scale: Float, offset: Float) -> Tensor {
    let output = Tensor.map(scalars, grain: ParallelGrain.cheap, Affine(scale: scale, offset: offset))
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { g, _ in
      [scale == 1 ? g : Tensor(shape: g.shape, scalars: Tensor.map(g.scalars, grain: ParallelGrain.cheap, Affine(scale: scale, offset: 0)))]
    }
  }

  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs.unaryLinear(scale: 1, offset: rhs) }
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs.unaryLinear(scale: 1, offset: lhs) }
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs.unaryLinear(scale: 1, offset: -rhs) }
  public static func - (lhs: Float, rhs: Tensor) -> Tensor { rhs.unaryLinear(scale: -1, offset: lhs) }
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs.unaryLinear(scale: rhs, offset: 0) }
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs.unaryLinear(scale: lhs, offset: 0) }

  /// Division by a constant: `x · (1/c)`.
  public static func / (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.unaryLinear(scale: 1 / rhs, offset: 0)
  }

  /// `c / x` element-wise. Derivative: `-c·g/x²`.
  public static func / (lhs: Float, rhs: Tensor) -> Tensor {
    rhs.unaryOp(grain: ParallelGrain.cheap, ScaledReciprocal(numerator: lhs))
  }

  public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
  public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
  public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
  public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
  public static func += (lhs: inout Tensor, rhs: Float) { lhs = lhs + rhs }
  public static func -= (lhs: inout Tensor, rhs: Float) { lhs = lhs - rhs }
  public static func *= (lhs: inout Tensor, rhs: Float) { lhs = lhs * rhs }
  public static func /= (lhs: inout Tensor, rhs: Float) { lhs = lhs / rhs }

  /// Adds `bias` (`[channels]`) to every row of a `[..., channels]` tensor; the same as `+`
  /// with a trailing-row broadcast, named for layers.
  public func addingBias(_ bias: Tensor) -> Tensor {
    precondition(
      bias.rank == 1 && rank >= 1 && shape[rank - 1] == bias.shape[0],
      "addingBias: bias \(bias.shape) does not match the last axis of \(shape)")
    return self + bias
  }
}
