import SimilarityTensors

/// Stochastic gradient descent with optional (Nesterov) momentum, Keras' `SGD`.
///
/// With learning rate `η`, momentum `μ` and velocity `v` (zeros at first):
///
///     μ = 0:        w ← w − η·g
///     μ > 0:        v ← μ·v − η·g;   w ← w + v
///     nesterov:     v ← μ·v − η·g;   w ← w + μ·v − η·g
///
/// Defaults are Keras': `learningRate` 0.01, `momentum` 0, `nesterov` false.
public final class SGD: Optimizer {
  /// The learning-rate schedule.
  public var learningRate: LearningRateSchedule
  /// The momentum factor `μ` in `[0, 1)`.
  public let momentum: Float
  /// Whether to use Nesterov momentum (Sutskever et al. 2013).
  public let nesterov: Bool
  /// The number of updates applied so far.
  public private(set) var iterations = 0
  private var velocities = OptimizerSlots(slotCount: 1)

  /// Creates the optimizer with Keras' defaults.
  public init(
    learningRate: LearningRateSchedule = 0.01, momentum: Float = 0, nesterov: Bool = false
  ) {
    precondition(momentum >= 0 && momentum < 1, "SGD: momentum \(momentum) not in [0, 1)")
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
  }

  /// Applies one step to every trainable parameter.
  public func update(_ parameters: [Parameter], gradients: [Tensor]) {
    let rate = learningRate(step: iterations)
    let momentum = momentum
    let nesterov = nesterov
    forEachTrainable(parameters, gradients, optimizer: "SGD") { parameter, count, w, g in
      guard momentum > 0 else {
        for i in 0..<count { w[i] -= rate * g[i] }
        return
      }
      velocities.withSlots(of: parameter, count: count) { slots in
        let velocity = slots[0]
        for i in 0..<count {
          let v = momentum * velocity[i] - rate * g[i]
          velocity[i] = v
          w[i] += nesterov ? momentum * v - rate * g[i] : v
        }
      }
    }
    iterations += 1
  }
}
