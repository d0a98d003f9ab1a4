#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The learning rate as a function of the optimizer step (Keras'
/// `keras.optimizers.schedules`). Step 0 is the first update.
///
/// A float literal is a constant schedule, so `Adam(learningRate: 1e-3)` reads as in Keras.
public enum LearningRateSchedule: Equatable, Sendable, Codable, ExpressibleByFloatLiteral {
  /// The same rate at every step.
  case constant(Float)
  /// `values[0]` while `step <= boundaries[0]`, `values[i]` while
  /// `boundaries[i-1] < step <= boundaries[i]`, the last value after the last boundary
  /// (Keras' `PiecewiseConstantDecay`; `values.count == boundaries.count + 1`).
  case piecewiseConstant(boundaries: [Int], values: [Float])
  /// `initial · rate^(step / decaySteps)`, with the exponent floored when `staircase`
  /// (Keras' `ExponentialDecay`). A staircase exponential decay is the classic step decay;
  /// see ``stepDecay(initial:factor:every:)``.
  case exponentialDecay(initial: Float, decaySteps: Int, decayRate: Float, staircase: Bool)
  /// `initial · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`
  /// (Keras' `CosineDecay` without warmup; Loshchilov & Hutter 2017, SGDR).
  case cosineDecay(initial: Float, decaySteps: Int, alpha: Float)
  /// TF Similarity's `WarmUpCosine`: the cosine decay above multiplied by a linear warmup
  /// factor `min(1, warmupLearningRate/initial + step · (1 − warmupLearningRate/initial) /
  /// warmupSteps)`, so the rate climbs from `warmupLearningRate` for `warmupSteps` steps.
  case warmupCosineDecay(
    initial: Float, decaySteps: Int, warmupSteps: Int, warmupLearningRate: Float, alpha: Float)

  /// A constant schedule from a literal.
  public init(floatLiteral value: Float) {
    self = .constant(value)
  }

  /// Step decay: `initial · factor^⌊step / every⌋`.
  public static func stepDecay(initial: Float, factor: Float, every: Int) -> Self {
    .exponentialDecay(initial: initial, decaySteps: every, decayRate: factor, staircase: true)
  }

  /// The learning rate at `step` (0 for the first update).
  public func callAsFunction(step: Int) -> Float {
    precondition(step >= 0, "LearningRateSchedule: negative step \(step)")
    switch self {
    case .constant(let rate):
      return rate
    case .piecewiseConstant(let boundaries, let values):
      precondition(
        values.count == boundaries.count + 1,
        "piecewiseConstant: \(values.count) values for \(boundaries.count) boundaries")
      let index = boundaries.firstIndex { step <= $0 } ?? boundaries.count
      return values[index]
    case .exponentialDecay(let initial, let decaySteps, let decayRate, let staircase):
      precondition(decaySteps > 0, "exponentialDecay: decaySteps \(decaySteps) must be positive")
      var exponent = Double(step) / Double(decaySteps)
      if staircase { exponent.round(.down) }
      return initial * Float(pow(Double(decayRate), exponent))
    case .cosineDecay(let initial, let decaySteps, let alpha):
      return initial * Self.cosineFactor(step: step, decaySteps: decaySteps, alpha: alpha)
    case .warmupCosineDecay(let initial, let decaySteps, let warmupSteps, let warmupRate, let alpha):
      precondition(
        warmupSteps <= decaySteps,
        "warmupCosineDecay: warmupSteps \(warmupSteps) exceeds decaySteps \(decaySteps)")
      precondition(
        warmupRate <= initial,
        "warmupCosineDecay: warmupLearningRate \(warmupRate) exceeds initial \(initial)")
      let start = Double(warmupRate / initial)
      let increment = warmupSteps > 0 ? (1 - start) / Double(warmupSteps) : 0
      let warmup = increment == 0 ? 1 : min(1, increment * Double(step) + start)
      return initial * Self.cosineFactor(step: step, decaySteps: decaySteps, alpha: alpha)
        * Float(warmup)
    }
  }

  private static func cosineFactor(step: Int, decaySteps: Int, alpha: Float) -> Float {
    precondition(decaySteps > 0, "cosineDecay: decaySteps \(decaySteps) must be positive")
    let progress = Double(min(step, decaySteps)) / Double(decaySteps)
    let cosine = 0.5 * (1 + cos(Double.pi * progress))
    return Float((1 - Double(alpha)) * cosine + Double(alpha))
  }
}
