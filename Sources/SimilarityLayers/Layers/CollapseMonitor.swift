import SimilarityTensors

/// A pass-through layer that measures representation collapse, TF Similarity's
/// `ActivationStdLoggingLayer`: each call records
///
///     mean over features of std over the batch of l2_normalize(x, last axis)
///
/// in ``lastValue``. Collapsed embeddings (all examples mapped to one point) give 0; for
/// unit vectors spread uniformly over `d` dimensions it is about `1/√d`. The output is the
/// input, unchanged (gradients pass straight through; the statistic is not differentiated).
public final class CollapseMonitor: Layer {
  /// `"ActivationStdLoggingLayer"` (TF Similarity's class name, used in `architecture.json`).
  public static let typeName = "ActivationStdLoggingLayer"
  /// `"activation_std_logging_layer"`.
  public static let defaultName = "activation_std_logging_layer"
  /// The layer's name.
  public var name: String
  /// The statistic of the latest call, `nil` before the first one.
  public private(set) var lastValue: Float?

  /// Creates the layer.
  public init(name: String? = nil) {
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// Returns `input` (`[batch, …, features]`) and records the statistic.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank >= 2, "CollapseMonitor '\(name)': input \(input.shape) has no batch")
    let features = input.shape[input.rank - 1]
    let rows = input.detached.reshaped([-1, features])
    let normalized = rows.l2Normalized(alongAxis: 1)
    lastValue = normalized.variance(alongAxes: [0]).sqrt().mean().item
    return input
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .collapseMonitor(NameConfiguration(name: name))
  }
}
