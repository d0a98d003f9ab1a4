// The scalar functions of the element-wise ops (see ElementwiseKernels.swift).

struct Add: BinaryScalarFunction {
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x + y }
}

struct Subtract: BinaryScalarFunction {
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x - y }
}

struct Multiply: BinaryScalarFunction {
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x * y }
}

struct Divide: BinaryScalarFunction {
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { x / y }
}

/// `max(x, y)` (or `min`), and with `mask` 1 where `x` is chosen (ties go to `x`).
struct Extreme: BinaryScalarFunction {
  let isMax: Bool
  let mask: Bool
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float {
    let first = isMax ? x >= y : x <= y
    return mask ? (first ? 1 : 0) : (first ? x : y)
  }
}

/// `f(x, c)` with the second argument fixed.
struct BindSecond<F: BinaryScalarFunction>: UnaryScalarFunction {
  let f: F
  let y: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { f(x, y) }
}

/// `f(c, y)` with the first argument fixed.
struct BindFirst<F: BinaryScalarFunction>: UnaryScalarFunction {
  let f: F
  let x: Float
  @inline(__always) func callAsFunction(_ y: Float) -> Float { f(x, y) }
}

/// `scale · x + offset`.
struct Affine: UnaryScalarFunction {
  let scale: Float
  let offset: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scale + offset }
}

/// ReLU's pullback from the output: `g` where `y > 0`.
struct ReluGradient: BinaryScalarFunction {
  @inline(__always) func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 }
}

struct Relu: UnaryScalarFunction {
  @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}

struct Exp: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { ScalarMath.exp(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { y }
}

struct Log: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { ScalarMath.log(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
}

struct SquareRoot: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { x.squareRoot() }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
}

struct Square: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { x * x }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { 2 * x }
}

struct Power: DifferentiableScalarFunction {
  let exponent: Float
  @inline(__always) func value(_ x: Float) -> Float { ScalarMath.pow(x, exponent) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    exponent * ScalarMath.pow(x, exponent - 1)
  }
}

/// `c / x`.
struct ScaledReciprocal: DifferentiableScalarFunction {
  let numerator: Float
  @inline(__always) func value(_ x: Float) -> Float { numerator / x }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { -y / x }
}

struct Absolute: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { Swift.abs(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    x > 0 ? 1 : (x < 0 ? -1 : 0)
  }
}

struct Sigmoid: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { Sigmoid.of(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }

  /// Never exponentiates a positive number, so it cannot overflow.
  @inline(__always) static func of(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + ScalarMath.exp(-x)) }
    let e = ScalarMath.exp(x)
    return e / (1 + e)
  }
}

struct HyperbolicTangent: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { ScalarMath.tanh(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
}

/// `max(x, 0) + log1p(e^−|x|)`.
struct Softplus: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float {
    Swift.max(x, 0) + ScalarMath.log1p(ScalarMath.exp(-Swift.abs(x)))
  }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { Sigmoid.of(x) }
}

/// `min(max(x, lower), upper)`; the gradient passes inside `[lower, upper]`. Also `maximum(c)`
/// (upper = +∞) and `minimum(c)` (lower = −∞).
struct Clip: DifferentiableScalarFunction {
  let lower: Float
  let upper: Float
  @inline(__always) func value(_ x: Float) -> Float { Swift.min(Swift.max(x, lower), upper) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    x >= lower && x <= upper ? 1 : 0
  }
}

struct LeakyRelu: DifferentiableScalarFunction {
  let alpha: Float
  @inline(__always) func value(_ x: Float) -> Float { x > 0 ? x : alpha * x }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : alpha }
}

/// `x · Φ(x)` with `erf`.
struct Gelu: DifferentiableScalarFunction {
  static let invSqrt2: Float = 0.7071067811865476
  static let invSqrt2Pi: Float = 0.3989422804014327
  @inline(__always) func value(_ x: Float) -> Float {
    0.5 * x * (1 + ScalarMath.erf(x * Gelu.invSqrt2))
  }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    0.5 * (1 + ScalarMath.erf(x * Gelu.invSqrt2)) + x * Gelu.invSqrt2Pi * ScalarMath.exp(-0.5 * x * x)
  }
}

/// `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
struct GeluTanh: DifferentiableScalarFunction {
  static let c: Float = 0.7978845608028654  // √(2/π)
  @inline(__always) func value(_ x: Float) -> Float {
    0.5 * x * (1 + ScalarMath.tanh(GeluTanh.c * (x + 0.044715 * x * x * x)))
  }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    let t = ScalarMath.tanh(GeluTanh.c * (x + 0.044715 * x * x * x))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GeluTanh.c * (1 + 3 * 0.044715 * x * x)
  }
}
