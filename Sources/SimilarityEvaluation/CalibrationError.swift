/// Why a calibration cannot be made with the given targets, or why a stored calibration (for
/// example a `calibration.json` read back) cannot be trusted. Each case names the value.
public enum CalibrationError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A target value outside [0, 1]: every classification metric is a rate, so such a target is
  /// impossible (or trivially met), never a real requirement.
  case invalidTarget(CalibrationTarget)
  /// The stored parts disagree: thresholds, curves, the optimal cutpoint and the target
  /// cutpoints are not what calibrating with these thresholds and curves gives.
  case inconsistent(String)

  public var description: String {
    switch self {
    case .invalidTarget(let target):
      return "calibration target \(target.metric.rawValue) \(target.value) is impossible: "
        + "\(target.metric.rawValue) is a rate, so the target must be a number in [0, 1]"
    case .inconsistent(let reason):
      return "inconsistent calibration: \(reason)"
    }
  }
}

extension CalibrationTarget {
  /// Throws ``CalibrationError/invalidTarget(_:)`` unless ``value`` is in [0, 1].
  public func validate() throws(CalibrationError) {
    guard value >= 0 && value <= 1 else { throw .invalidTarget(self) }
  }
}
