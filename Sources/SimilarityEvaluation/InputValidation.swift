/// Checks shared by every evaluation entry point. Each throws the first problem it finds, so the
/// message names one concrete value rather than a count of failures.
enum InputValidation {
  /// One non-empty, NaN-free, nearest-first lookup list per query label, and at least one query.
  static func check(queryCount: Int, lookups: [[LookupResult]]) throws {
    guard queryCount == lookups.count else {
      throw EvaluationError.countMismatch(queryLabels: queryCount, lookups: lookups.count)
    }
    guard queryCount > 0 else { throw EvaluationError.noQueries }
    for (query, results) in lookups.enumerated() {
      guard !results.isEmpty else { throw EvaluationError.emptyLookups(query: query) }
      for (neighbor, result) in results.enumerated() {
        guard !result.distance.isNaN else {
          throw EvaluationError.nanDistance(query: query, neighbor: neighbor)
        }
        if neighbor > 0, result.distance < results[neighbor - 1].distance {
          throw EvaluationError.lookupsNotSorted(
            query: query, neighbor: neighbor, previous: results[neighbor - 1].distance,
            distance: result.distance)
        }
      }
    }
  }

  /// At least one threshold, none NaN, in ascending (non-decreasing) order.
  static func check(thresholds: [Float]) throws {
    guard !thresholds.isEmpty else { throw EvaluationError.noThresholds }
    for (index, threshold) in thresholds.enumerated() {
      guard !threshold.isNaN else { throw EvaluationError.nanThreshold(index: index) }
      if index > 0, threshold < thresholds[index - 1] {
        throw EvaluationError.thresholdsNotSorted(
          index: index, previous: thresholds[index - 1], threshold: threshold)
      }
    }
  }
}

/// Rounds a distance to 8 decimal places, half to even, as TF Similarity does
/// (`distance_rounding=8`) before it compares distances with thresholds. Calibration thresholds
/// and matching both go through this, so a calibrated cutpoint distance admits exactly the
/// lookups it admitted during calibration. Infinite distances are returned unchanged.
func roundedDistance(_ distance: Float) -> Float {
  guard distance.isFinite else { return distance }
  return Float((Double(distance) * 1e8).rounded(.toNearestOrEven) / 1e8)
}
