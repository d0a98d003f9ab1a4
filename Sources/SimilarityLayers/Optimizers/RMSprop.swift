import SimilarityKernels
import SimilarityTensors

/// RMSprop (Hinton, Srivastava & Swersky 2012, Coursera lecture 6e), Keras 3's `RMSprop`.
///
/// With learning rate `η`, decay `ρ`, velocity `s`, optional average gradient `ḡ` and
/// momentum buffer `m` (all zeros at first):
///
///     s ← ρ·s + (1 − ρ)·g²
///     centered:  ḡ ← ρ·ḡ + (1 − ρ)·g;   d = s − ḡ² + ε      otherwise d = s + ε
///     Δ = η·g / √d
///     momentum > 0:  m ← momentum·m + Δ;  w ← w − m          otherwise w ← w − Δ
///
/// Note where `ε` goes. Keras 3 and `tf.keras` (optimizer v2 and the newer one) add it
/// *inside* the square root, `√(s + ε)`, and that is what this type does. Standalone Keras
/// up to 2.3, the version of the classic `mnist_siamese.py` example, divided by `√s + ε`
/// instead. With the default `ε = 1e-7` the two differ only where `s` is tiny (the first
/// steps of a parameter with near-zero gradients).
///
/// Defaults are Keras': `learningRate` 0.001, `rho` 0.9, `momentum` 0, `epsilon` 1e-7,
/// `centered` false.
public final class RMSprop: Optimizer {
  /// The learning-rate schedule.
  public var learningRate: LearningRateSchedule
  /// The decay `ρ` of the squared-gradient average.
  public let rho: Float
  /// The momentum factor (0 disables the momentum buffer).
  public let momentum: Float
  /// Added to the average squared gradient before the square root.
  public let epsilon: Float
  /// Whether to divide by the estimated variance instead of the second moment.
  public let centered: Bool
  /// The number of updates applied so far.
  public private(set) var iterations = 0
  // Slots: 0 velocity s, 1 average gradient ḡ, 2 momentum m.
  private var slots = OptimizerSlots(slotCount: 3)

  /// Creates the optimizer with Keras' defaults.
  public init(
    learningRate: LearningRateSchedule = 0.001, rho: Float = 0.9, momentum: Float = 0,
    epsilon: Float = 1e-7, centered: Bool = false
  ) {
    precondition(rho >= 0 && rho < 1, "RMSprop: rho \(rho) not in [0, 1)")
    self.learningRate = learningRate
    self.rho = rho
    self.momentum = momentum
    self.epsilon = epsilon
    self.centered = centered
  }

  /// Applies one step to every trainable parameter.
  public func update(_ parameters: [Parameter], gradients: [Tensor]) {
    let (rate, rho, momentum, epsilon, centered) = (
      learningRate(step: iterations), rho, momentum, epsilon, centered
    )
    forEachTrainable(parameters, gradients, optimizer: "RMSprop") { parameter, count, w, g in
      slots.withSlots(of: parameter, count: count) { state in
        let (velocity, average, moment) = (state[0], state[1], state[2])
        if !centered && momentum == 0 {
          // The default configuration, as a vectorised C kernel (same formula).
          OptimizerKernels.rmsprop(
            weights: w, gradient: g, velocity: velocity, count: count, rate: rate, rho: rho,
            epsilon: epsilon)
          return
        }
        for i in 0..<count {
          velocity[i] = rho * velocity[i] + (1 - rho) * g[i] * g[i]
          var denominator = velocity[i] + epsilon
          if centered {
            average[i] = rho * average[i] + (1 - rho) * g[i]
            denominator -= average[i] * average[i]
          }
          let increment = rate * g[i] / denominator.squareRoot()
          if momentum > 0 {
            moment[i] = momentum * moment[i] + increment
            w[i] -= moment[i]
          } else {
            w[i] -= increment
          }
        }
      }
    }
    iterations += 1
  }
}
