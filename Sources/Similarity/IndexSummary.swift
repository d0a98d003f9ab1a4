import Foundation
import SimilarityEvaluation
import SimilaritySearch

/// A description of a ``SimilarityModel``'s index and calibration (TF Similarity's
/// `index_summary`, returned instead of printed).
public struct IndexSummary: Equatable, Sendable, CustomStringConvertible {
  /// The distance the index ranks by.
  public var distance: Distance
  /// Exact or HNSW.
  public var indexKind: IndexKind
  /// Embedding size.
  public var dimension: Int
  /// Number of indexed items.
  public var count: Int
  /// Items per label.
  public var classSizes: [Int: Int]
  /// Items without a label.
  public var unlabelledCount: Int
  /// The calibration metric, if calibrated.
  public var calibrationMetric: ClassificationMetric?
  /// The optimal cutpoint, if calibrated.
  public var optimalCutpoint: Cutpoint?
  /// The match strategy calibrated with, if calibrated.
  public var calibrationStrategy: MatchStrategy?

  /// Whether the model has been calibrated.
  public var isCalibrated: Bool { optimalCutpoint != nil }

  /// A two-column table, one property per line.
  public var description: String {
    var rows: [(String, String)] = [
      ("distance", distance.rawValue),
      ("search", indexKind.description),
      ("embedding size", "\(dimension)"),
      ("items", "\(count)"),
      (
        "classes",
        "\(classSizes.count)"
          + (classSizes.isEmpty
            ? ""
            : " ("
              + classSizes.keys.sorted().map {
                "\($0): \(classSizes[$0]!)"
              }.joined(separator: ", ") + ")")
      ),
      ("unlabelled items", "\(unlabelledCount)"),
      ("calibrated", isCalibrated ? "yes" : "no"),
    ]
    if let calibrationMetric, let optimalCutpoint {
      rows.append(("calibration metric", calibrationMetric.rawValue))
      rows.append(
        (
          "optimal cutpoint",
          "distance \(optimalCutpoint.distance), "
            + "\(calibrationMetric.rawValue) \(optimalCutpoint.value)"
        ))
    }
    if let calibrationStrategy { rows.append(("match strategy", calibrationStrategy.rawValue)) }
    let width = rows.map(\.0.count).max() ?? 0
    return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
      .joined(separator: "\n")
  }
}
