#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import SimilarityKernels

// The remaining `keras.activations` as element-wise primitives, each value beside its
// derivative (`DifferentiableScalarFunction`, run by `unaryOp`).

extension Tensor {
  /// `min(max(x, 0), 6)` (Keras `relu6`). Derivative: `g` inside `[0, 6]`, else 0.
  public func relu6() -> Tensor { clipped(min: 0, max: 6) }

  /// Swish / SiLU, `x · sigmoid(x)` (Keras `swish`, `silu`).
  /// Derivative: `σ(x) · (1 + x · (1 − σ(x)))`.
  public func swish() -> Tensor { unaryOp(grain: ParallelGrain.transcendental, Swish()) }

  /// Keras 2's hard sigmoid (tf-keras 2.21 `hard_sigmoid`): `min(max(0.2·x + 0.5, 0), 1)`.
  /// Derivative: 0.2 inside `(−2.5, 2.5)`, else 0.
  public func hardSigmoid() -> Tensor { unaryOp(grain: ParallelGrain.cheap, HardSigmoid()) }

  /// Hard swish (MobileNetV3, Keras 3 `hard_swish`/`hard_silu`): `x · relu6(x + 3) / 6`.
  /// Derivative: 0 below −3, 1 above 3, `(2x + 3) / 6` between.
  public func hardSwish() -> Tensor { unaryOp(grain: ParallelGrain.cheap, HardSwish()) }

  /// Exponential linear unit: `x` for `x > 0`, else `alpha · (eˣ − 1)` (Keras `elu`, alpha 1).
  /// Derivative: 1 for `x > 0`, else `alpha · eˣ`.
  public func elu(alpha: Float = 1) -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Elu(alpha: alpha, scale: 1))
  }

  /// Scaled ELU (Klambauer et al. 2017): `scale · elu(x, alpha)` with Keras' constants
  /// `alpha = 1.67326324`, `scale = 1.05070098`.
  public func selu() -> Tensor {
    unaryOp(grain: ParallelGrain.transcendental, Elu(alpha: Elu.seluAlpha, scale: Elu.seluScale))
  }

  /// `x / (1 + |x|)` (Keras `softsign`). Derivative: `1 / (1 + |x|)²`.
  public func softsign() -> Tensor { unaryOp(grain: ParallelGrain.cheap, Softsign()) }
}

struct Swish: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { x * Sigmoid.of(x) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    let s = Sigmoid.of(x)
    return s * (1 + x * (1 - s))
  }
}

struct HardSigmoid: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { Swift.min(Swift.max(0.2 * x + 0.5, 0), 1) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    x > -2.5 && x < 2.5 ? 0.2 : 0
  }
}

struct HardSwish: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float {
    x * Swift.min(Swift.max(x + 3, 0), 6) / 6
  }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6
  }
}

struct Elu: DifferentiableScalarFunction {
  static let seluAlpha: Float = 1.6732632423543772848170429916717
  static let seluScale: Float = 1.0507009873554804934193349852946
  let alpha: Float
  let scale: Float
  @inline(__always) func value(_ x: Float) -> Float {
    scale * (x > 0 ? x : alpha * expm1f(x))
  }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    scale * (x > 0 ? 1 : alpha * ScalarMath.exp(x))
  }
}

struct Softsign: DifferentiableScalarFunction {
  @inline(__always) func value(_ x: Float) -> Float { x / (1 + Swift.abs(x)) }
  @inline(__always) func derivative(_ x: Float, _ y: Float) -> Float {
    let d = 1 + Swift.abs(x)
    return 1 / (d * d)
  }
}
