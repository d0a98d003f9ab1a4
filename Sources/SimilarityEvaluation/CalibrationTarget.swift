/// A value a classification metric must reach at a calibrated distance threshold, such as
/// "precision at least 0.99".
///
/// A maximized metric reaches `value` where it is `≥ value`; ``ClassificationMetric/falsePositiveRate``,
/// the one metric where lower is better, reaches it where it is `≤ value`. Among the thresholds
/// that reach the target, calibration takes the one at the edge of that range: the first when
/// the metric improves as the threshold grows, the last when it worsens. For maximized metrics
/// this is TF Similarity's rule ("first if increasing, else last"); for precision it gives the
/// largest distance that still keeps precision ≥ `value`, for recall the smallest distance that
/// gets recall ≥ `value`.
public struct CalibrationTarget: Hashable, Codable, Sendable, CustomStringConvertible {
  /// The metric the target is stated in.
  public var metric: ClassificationMetric
  /// The value the metric must reach.
  public var value: Float

  /// Creates a target; `value` must not be NaN.
  public init(_ metric: ClassificationMetric, reaching value: Float) {
    precondition(!value.isNaN, "CalibrationTarget(\(metric)): the target value is NaN")
    self.metric = metric
    self.value = value
  }

  /// Precision of at least `value`.
  public static func precision(atLeast value: Float) -> CalibrationTarget {
    CalibrationTarget(.precision, reaching: value)
  }

  /// Recall of at least `value`.
  public static func recall(atLeast value: Float) -> CalibrationTarget {
    CalibrationTarget(.recall, reaching: value)
  }

  /// F1 of at least `value`.
  public static func f1(atLeast value: Float) -> CalibrationTarget {
    CalibrationTarget(.f1, reaching: value)
  }

  /// Binary accuracy of at least `value`.
  public static func binaryAccuracy(atLeast value: Float) -> CalibrationTarget {
    CalibrationTarget(.binaryAccuracy, reaching: value)
  }

  /// A false positive rate of at most `value`.
  public static func falsePositiveRate(atMost value: Float) -> CalibrationTarget {
    CalibrationTarget(.falsePositiveRate, reaching: value)
  }

  /// Negative predictive value of at least `value`.
  public static func negativePredictiveValue(atLeast value: Float) -> CalibrationTarget {
    CalibrationTarget(.negativePredictiveValue, reaching: value)
  }

  /// Whether `metricValue` reaches the target.
  public func isReached(by metricValue: Float) -> Bool {
    metric.isMaximized ? metricValue >= value : metricValue <= value
  }

  /// The name of the cutpoint calibrated for this target, for example `precision>=0.99`.
  public var description: String {
    "\(metric.rawValue)\(metric.isMaximized ? ">=" : "<=")\(value)"
  }

  /// The index in `curve` (the metric at ascending thresholds) chosen for this target, or `nil`
  /// when no threshold reaches it.
  func cutpointIndex(in curve: [Float]) -> Int? {
    let improvesWithDistance = metric.increasesWithDistance == metric.isMaximized
    return improvesWithDistance
      ? curve.firstIndex(where: isReached(by:)) : curve.lastIndex(where: isReached(by:))
  }
}
