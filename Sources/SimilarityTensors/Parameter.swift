/// A trainable tensor owned by a layer. Gradients and optimizer state are keyed by the
/// parameter's identity, which is why it is a class.
public final class Parameter: @unchecked Sendable {
  /// The current value. Optimizers replace it; ``valueWithGradient(at:of:)`` swaps in a
  /// differentiable copy while it runs.
  public var value: Tensor
  /// Whether optimizers update it (Keras' `trainable`): a trainable kind of weight whose
  /// layer is not frozen. Non-trainable parameters such as batch-norm running statistics are
  /// still saved and loaded. Setting it sets ``isTrainableWeight``.
  public var isTrainable: Bool {
    get { isTrainableWeight && !isFrozen }
    set { isTrainableWeight = newValue }
  }
  /// Whether the weight is of a trainable kind (`false` for moving statistics), whatever its
  /// layer's `trainable` flag.
  public var isTrainableWeight: Bool
  /// Whether the layer owning it was frozen (Keras' `layer.trainable = False`); a frozen
  /// parameter is not trainable.
  public var isFrozen = false

  /// Creates a parameter holding `value`.
  public init(_ value: Tensor, isTrainable: Bool = true) {
    self.value = value.detached
    self.isTrainableWeight = isTrainable
  }

  /// The shape of the value.
  public var shape: [Int] { value.shape }
}
