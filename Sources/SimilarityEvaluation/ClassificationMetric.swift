/// A metric of a thresholded matcher, computed from its ``MatchCounts`` at every threshold.
///
/// The formulas and flags are TF Similarity's `classification_metrics`: every division is
/// *divide-no-nan* (0 when the denominator is 0). The raw values are the names stored in JSON.
public enum ClassificationMetric: String, CaseIterable, Codable, CodingKeyRepresentable,
  Sendable
{
  /// Harmonic mean of precision and recall, `2PR / (P + R)`. Uses the plain precision, without
  /// the first-threshold adjustment of ``precision``.
  case f1
  /// `tp / (tp + fp)`: how often an accepted match is right.
  ///
  /// When nothing is accepted at the first threshold (`tp + fp == 0`) and there is more than one
  /// threshold, the first value is 1 rather than 0, so a precision–recall curve starts at
  /// (recall 0, precision 1) as in Manning et al., *Introduction to Information Retrieval*
  /// §8.4. TF Similarity applies the same rule, including the "more than one threshold" part.
  case precision
  /// `tp / (tp + fn)`: how many of the queries the matcher could get right it accepts.
  case recall
  /// `tp / queryCount`: the fraction of all queries that are accepted and right (TF
  /// Similarity's `BinaryAccuracy`; precision × query coverage, not `(tp + tn) / count`).
  case binaryAccuracy
  /// `fp / (fp + tn)`: how many of the wrong derived labels are accepted. Lower is better.
  case falsePositiveRate
  /// `tn / (tn + fn)`: how often a rejected query would indeed have been wrong.
  case negativePredictiveValue

  /// Whether larger values are better: `false` only for ``falsePositiveRate``. Calibration takes
  /// the last argmax of a maximized metric and the last argmin of the others.
  public var isMaximized: Bool { self != .falsePositiveRate }

  /// Whether the metric tends to grow as the distance threshold grows (TF Similarity's
  /// `increasing`): `false` only for ``precision``. A ``CalibrationTarget`` uses it to pick the
  /// end of the range of thresholds that reach the target.
  public var increasesWithDistance: Bool { self != .precision }

  /// The metric at every threshold of `counts`.
  /// - Complexity: O(t) for t thresholds.
  public func values(for counts: MatchCounts) -> [Float] {
    let total = Double(counts.queryCount)
    return counts.thresholds.indices.map { i in
      let tp = Double(counts.truePositives[i])
      let fp = Double(counts.falsePositives[i])
      let tn = Double(counts.trueNegatives[i])
      let fn = Double(counts.falseNegatives[i])
      let value: Double
      switch self {
      case .f1:
        let precision = divideNoNaN(tp, tp + fp)
        let recall = divideNoNaN(tp, tp + fn)
        value = divideNoNaN(2 * precision * recall, precision + recall)
      case .precision:
        let startsEmpty = i == 0 && tp + fp == 0 && counts.thresholds.count > 1
        value = startsEmpty ? 1 : divideNoNaN(tp, tp + fp)
      case .recall:
        value = divideNoNaN(tp, tp + fn)
      case .binaryAccuracy:
        value = divideNoNaN(tp, total)
      case .falsePositiveRate:
        value = divideNoNaN(fp, fp + tn)
      case .negativePredictiveValue:
        value = divideNoNaN(tn, tn + fn)
      }
      return Float(value)
    }
  }
}

/// `numerator / denominator`, or 0 when the denominator is 0 (TensorFlow's `divide_no_nan`).
func divideNoNaN(_ numerator: Double, _ denominator: Double) -> Double {
  denominator == 0 ? 0 : numerator / denominator
}
