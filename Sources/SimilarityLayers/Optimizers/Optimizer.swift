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
/// Each slot is one heap buffer whose address stays fixed, so update loops run over raw
/// pointers without copy-on-write or exclusivity checks per element. The parameter itself is
/// kept alive in the table so its identity cannot be reused by a new object while the
/// optimizer exists.
struct OptimizerSlots {
  private var table: [ObjectIdentifier: (parameter: Parameter, slots: [SlotBuffer])] = [:]
  let slotCount: Int

  init(slotCount: Int) {
    self.slotCount = slotCount
  }

  /// Runs `body` on pointers to the `count` elements of each slot of `parameter` (zeros the
  /// first time).
  mutating func withSlots<R>(
    of parameter: Parameter, count: Int, _ body: ([UnsafeMutablePointer<Float>]) -> R
  ) -> R {
    let id = ObjectIdentifier(parameter)
    if table[id] == nil {
      table[id] = (parameter, (0..<slotCount).map { _ in SlotBuffer(count: count) })
    }
    let buffers = table[id]!.slots
    precondition(
      buffers.allSatisfy { $0.count == count },
      "optimizer: parameter changed size from \(buffers.first?.count ?? 0) to \(count) elements")
    return withExtendedLifetime(buffers) { body(buffers.map(\.pointer)) }
  }

  /// Copies of the slot arrays of `parameter`, if it has been updated.
  func slots(of parameter: Parameter) -> [[Float]]? {
    table[ObjectIdentifier(parameter)]?.slots.map { Array(UnsafeBufferPointer(start: $0.pointer, count: $0.count)) }
  }
}

/// One zero-initialised `Float` buffer with a fixed address.
final class SlotBuffer {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    pointer = .allocate(capacity: Swift.max(count, 1))
    pointer.initialize(repeating: 0, count: Swift.max(count, 1))
  }

  deinit {
    pointer.deallocate()
  }
}

/// Checks the pairing of parameters and gradients and calls `body` for each trainable pair
/// with the element count, the parameter's new scalars (a private copy of the current ones,
/// to update in place) and the gradient; the copy then becomes the parameter's value.
func forEachTrainable(
  _ parameters: [Parameter], _ gradients: [Tensor], optimizer: String,
  _ body: (Parameter, _ count: Int, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>) -> Void
) {
  precondition(
    parameters.count == gradients.count,
    "\(optimizer).update: \(parameters.count) parameters but \(gradients.count) gradients")
  for (parameter, gradient) in zip(parameters, gradients) where parameter.isTrainable {
    precondition(
      parameter.shape == gradient.shape,
      "\(optimizer).update: gradient shape \(gradient.shape) != parameter shape \(parameter.shape)")
    let shape = parameter.shape
    var values = parameter.value.scalars
    parameter.value = Tensor(shape: [0], scalars: [])  // let `values` be uniquely referenced
    values.withUnsafeMutableBufferPointer { w in
      gradient.scalars.withUnsafeBufferPointer { g in
        body(parameter, w.count, w.baseAddress!, g.baseAddress!)
      }
    }
    parameter.value = Tensor(shape: shape, scalars: values)
  }
}
