import SimilarityKernels
import SimilarityTensors

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam (Kingma & Ba 2015, https://arxiv.org/abs/1412.6980), Keras' `Adam`.
///
/// At update `t` (1 for the first) with learning rate `η`:
///
///     m ← m + (1 − β₁)·(g − m)
///     v ← v + (1 − β₂)·(g² − v)
///     α = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)
///     w ← w − α·m / (√v + ε)
///
/// `ε` is the paper's "epsilon hat" (the form just before its section 2.1), as in Keras, so it
/// is not bias-corrected. Defaults are Keras': `learningRate` 0.001, `beta1` 0.9, `beta2`
/// 0.999, `epsilon` 1e-7.
public final class Adam: Optimizer {
  /// The learning-rate schedule.
  public var learningRate: LearningRateSchedule
  /// Decay of the first-moment estimate.
  public let beta1: Float
  /// Decay of the second-moment estimate.
  public let beta2: Float
  /// Added to `√v` in the denominator.
  public let epsilon: Float
  /// The number of updates applied so far.
  public var iterations: Int { state.iterations }
  var state: AdamState

  /// Creates the optimizer with Keras' defaults.
  public init(
    learningRate: LearningRateSchedule = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-7
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    state = AdamState(beta1: beta1, beta2: beta2, epsilon: epsilon)
  }

  /// Applies one step to every trainable parameter.
  public func update(_ parameters: [Parameter], gradients: [Tensor]) {
    state.step(
      parameters, gradients, rate: learningRate(step: iterations), weightDecay: 0, name: "Adam")
  }
}

/// AdamW (Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101), Keras 3's `AdamW`:
/// Adam with decoupled weight decay. Before the Adam step each trainable parameter shrinks
/// by `w ← w − η·λ·w` with the same learning rate `η`.
///
/// Defaults are Keras 3's: `learningRate` 0.001, `weightDecay` 0.004, `beta1` 0.9, `beta2`
/// 0.999, `epsilon` 1e-7.
public final class AdamW: Optimizer {
  /// The learning-rate schedule.
  public var learningRate: LearningRateSchedule
  /// The decoupled weight-decay factor `λ`.
  public let weightDecay: Float
  /// Decay of the first-moment estimate.
  public let beta1: Float
  /// Decay of the second-moment estimate.
  public let beta2: Float
  /// Added to `√v` in the denominator.
  public let epsilon: Float
  /// The number of updates applied so far.
  public var iterations: Int { state.iterations }
  var state: AdamState

  /// Creates the optimizer with Keras 3's defaults.
  public init(
    learningRate: LearningRateSchedule = 0.001, weightDecay: Float = 0.004, beta1: Float = 0.9,
    beta2: Float = 0.999, epsilon: Float = 1e-7
  ) {
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    state = AdamState(beta1: beta1, beta2: beta2, epsilon: epsilon)
  }

  /// Applies weight decay, then one Adam step, to every trainable parameter.
  public func update(_ parameters: [Parameter], gradients: [Tensor]) {
    state.step(
      parameters, gradients, rate: learningRate(step: iterations), weightDecay: weightDecay,
      name: "AdamW")
  }
}

/// The moment estimates and step count shared by ``Adam`` and ``AdamW``.
struct AdamState {
  let beta1: Float
  let beta2: Float
  let epsilon: Float
  private(set) var iterations = 0
  private var moments = OptimizerSlots(slotCount: 2)

  init(beta1: Float, beta2: Float, epsilon: Float) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  mutating func step(
    _ parameters: [Parameter], _ gradients: [Tensor], rate: Float, weightDecay: Float, name: String
  ) {
    let t = Double(iterations + 1)
    let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
    let correction = Float(
      (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
    let alpha = rate * correction
    forEachTrainable(parameters, gradients, optimizer: name) { parameter, count, w, g in
      if weightDecay != 0 {
        for i in 0..<count { w[i] -= w[i] * weightDecay * rate }
      }
      moments.withSlots(of: parameter, count: count) { slots in
        // m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= α·m / (√v + ε), vectorised in C.
        OptimizerKernels.adam(
          weights: w, gradient: g, firstMoment: slots[0], secondMoment: slots[1], count: count,
          alpha: alpha, beta1: beta1, beta2: beta2, epsilon: epsilon)
      }
    }
    iterations += 1
  }
}
