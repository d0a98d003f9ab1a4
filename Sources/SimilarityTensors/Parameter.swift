/// A trainable tensor owned by a layer. Gradients and optimizer state are keyed by the
/// parameter's identity, which is why it is a class.
public final class Parameter: @unchecked Sendable {
  /// The current value. Optimizers replace it; ``valueWithGradient(at:of:)`` swaps in a
  /// differentiable copy while it runs.
  public var value: Tensor
  /// Whether optimizers update it (Keras' `trainable`). Non-trainable parameters such as
  /// batch-norm running statistics are still saved and loaded.
  public var isTrainable: Bool

  /// Creates a parameter holding `value`.
  public init(_ value: Tensor, isTrainable: Bool = true) {
    self.value = value.detached
    self.isTrainable = isTrainable
  }

  /// The shape of the value.
  public var shape: [Int] { value.shape }
}
