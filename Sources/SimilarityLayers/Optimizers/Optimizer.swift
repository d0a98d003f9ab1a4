import SimilarityTensors

/// Updates parameters from their gradients (Keras' `optimizer.apply_gradients`).
///
/// Optimizer state (momentum, moment estimates) is keyed by each ``Parameter``'s identity,
/// so the same optimizer can serve any set of parameters and a parameter keeps its state
/// across calls. Only trainable parameters are updated; the gradients of the others are
/// ignored. ``iterations`` counts calls to ``update(_:gradients:)``; the learning rate of a
/// call is `learningRate(step: iterations)` read before the count is incremented, as in Keras.
///
/// ```swift
/// let (loss, gradients) = valueWithGradient(at: model.trainableParameters) { … }
/// optimizer.update(model.trainableParameters, gradients: gradients)
/// ```
public protocol Optimizer: AnyObject {
  /// The learning-rate schedule, read once per update.
  var learningRate: LearningRateSchedule { get set }

  /// The number of updates applied so far (Keras' `optimizer.iterations`).
  var iterations: Int { get }

  /// Applies one step to every trainable parameter in `parameters`, using the gradient at the
  /// same position in `gradients` (same shape as the parameter).
  func update(_ parameters: [Parameter], gradients: [Tensor])
}

/// Per-parameter state arrays ("slots"), created as zeros on first use.
///
/// The parameter itself is kept alive in the table so its identity cannot be reused by a new
/// object while the optimizer exists.
struct OptimizerSlots {
  private var table: [ObjectIdentifier: (parameter: Parameter, slots: [[Float]])] = [:]
  let slotCount: Int

  init(slotCount: Int) {
    self.slotCount = slotCount
  }

  /// Runs `body` on the slots of `parameter` (zeros of its size the first time).
  mutating func withSlots<R>(
    of parameter: Parameter, _ body: (inout [[Float]]) -> R
  ) -> R {
    let id = ObjectIdentifier(parameter)
    var entry =
      table[id] ?? (
        parameter,
        Array(repeating: Array(repeating: 0, count: parameter.value.count), count: slotCount)
      )
    table[id] = nil  // keep the slots uniquely referenced while `body` mutates them
    let result = body(&entry.slots)
    table[id] = entry
    return result
  }

  /// The slot arrays of `parameter`, if it has been updated.
  func slots(of parameter: Parameter) -> [[Float]]? {
    table[ObjectIdentifier(parameter)]?.slots
  }
}

/// Checks the pairing of parameters and gradients and calls `body` for each trainable pair
/// with the current scalars; `body` returns the new scalars.
func forEachTrainable(
  _ parameters: [Parameter], _ gradients: [Tensor], optimizer: String,
  _ body: (Parameter, _ values: inout [Float], _ gradient: [Float]) -> Void
) {
  precondition(
    parameters.count == gradients.count,
    "\(optimizer).update: \(parameters.count) parameters but \(gradients.count) gradients")
  for (parameter, gradient) in zip(parameters, gradients) where parameter.isTrainable {
    precondition(
      parameter.shape == gradient.shape,
      "\(optimizer).update: gradient shape \(gradient.shape) != parameter shape \(parameter.shape)")
    var values = parameter.value.scalars
    body(parameter, &values, gradient.scalars)
    parameter.value = Tensor(shape: parameter.shape, scalars: values)
  }
}
