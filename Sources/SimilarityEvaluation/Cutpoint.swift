/// A calibrated distance threshold and every classification metric at it.
///
/// Equivalent to one entry of TF Similarity's `CalibrationResults.cutpoints`, typed: the metrics
/// are keyed by ``ClassificationMetric`` rather than mixed into the dict with `name`, `value`
/// and `distance`.
public struct Cutpoint: Hashable, Codable, Sendable {
  /// `optimal` for the optimal cutpoint, otherwise the target's description, such as
  /// `precision>=0.99`.
  public var name: String
  /// The distance threshold: accept a derived match whose distance is `≤ distance`.
  public var distance: Float
  /// The value, at `distance`, of the metric that chose this cutpoint (the calibration metric
  /// for `optimal`, the target's metric otherwise).
  public var value: Float
  /// Every classification metric at `distance`.
  public var metrics: [ClassificationMetric: Float]

  /// Creates a cutpoint.
  public init(name: String, distance: Float, value: Float, metrics: [ClassificationMetric: Float]) {
    self.name = name
    self.distance = distance
    self.value = value
    self.metrics = metrics
  }

  /// The value of `metric` at this cutpoint.
  public subscript(metric: ClassificationMetric) -> Float? { metrics[metric] }
}
