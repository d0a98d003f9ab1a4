extension Calibration {
  /// Checks that the parts of a calibration agree, as they do when
  /// ``init(queryLabels:lookups:optimizing:targets:strategy:)`` made it: thresholds ascending, unique and not NaN; one curve per metric with one value in
  /// [0, 1] per threshold; the optimal cutpoint and each reached target's cutpoint at the
  /// threshold the calibration rules pick from the curves, with the curves' values; every
  /// target in [0, 1]. ``init(jsonData:)`` runs it, so a hand-edited `calibration.json` is
  /// refused instead of shown or used as if valid.
  ///
  /// - Throws: ``CalibrationError``.
  public func validate() throws(CalibrationError) {
    func fail(_ reason: String) -> CalibrationError { .inconsistent(reason) }
    for target in targets { try target.validate() }
    guard !thresholds.isEmpty else { throw fail("no thresholds") }
    for (index, threshold) in thresholds.enumerated() {
      guard !threshold.isNaN else { throw fail("thresholds[\(index)] is NaN") }
      if index > 0, !(threshold > thresholds[index - 1]) {
        throw fail(
          "thresholds are not ascending and unique: thresholds[\(index)] = \(threshold) after "
            + "\(thresholds[index - 1])")
      }
    }
    for metric in ClassificationMetric.allCases {
      guard let curve = curves[metric] else { throw fail("no \(metric.rawValue) curve") }
      guard curve.count == thresholds.count else {
        throw fail(
          "the \(metric.rawValue) curve has \(curve.count) values for \(thresholds.count) "
            + "thresholds")
      }
      if let bad = curve.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
        throw fail("\(metric.rawValue)[\(bad)] = \(curve[bad]) is not a rate in [0, 1]")
      }
    }
    let curve = curves[metric]!
    let best = metric.isMaximized ? curve.max()! : curve.min()!
    try check(optimal, at: curve.lastIndex(of: best)!, named: "optimal", by: metric)
    let reached = targets.compactMap { target in
      target.cutpointIndex(in: curves[target.metric]!).map { (target, $0) }
    }
    guard cutpoints.count == reached.count else {
      throw fail(
        "\(cutpoints.count) target cutpoints stored, but the curves reach \(reached.count) of "
          + "the \(targets.count) targets")
    }
    for (cutpoint, (target, index)) in zip(cutpoints, reached) {
      try check(cutpoint, at: index, named: target.description, by: target.metric)
    }
  }

  /// Throws unless `cutpoint` is named `name` and sits at `thresholds[index]` with the curves'
  /// values there (`metric` chose it).
  private func check(
    _ cutpoint: Cutpoint, at index: Int, named name: String, by metric: ClassificationMetric
  ) throws(CalibrationError) {
    guard cutpoint.name == name, cutpoint.distance == thresholds[index] else {
      throw .inconsistent(
        "cutpoint \"\(cutpoint.name)\" at distance \(cutpoint.distance); the curves put "
          + "\"\(name)\" at distance \(thresholds[index])")
    }
    let atIndex = curves.mapValues { $0[index] }
    guard cutpoint.value == atIndex[metric], cutpoint.metrics == atIndex else {
      throw .inconsistent(
        "cutpoint \"\(name)\" at distance \(cutpoint.distance) stores values that differ from "
          + "the curves at that threshold")
    }
  }
}
