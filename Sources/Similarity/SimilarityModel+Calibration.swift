import SimilarityEvaluation
import SimilarityMetricLearning
import SimilaritySearch

/// Which distance threshold ``SimilarityModel/match(_:cutpoint:)`` accepts matches below.
public enum CutpointChoice: Equatable, Sendable {
  /// The calibration's optimal cutpoint (TF Similarity's `"optimal"`).
  case optimal
  /// The cutpoint calibrated for a target such as `.precision(atLeast: 0.99)`.
  case target(CalibrationTarget)
  /// An explicit distance.
  case distance(Float)
}

/// A classification metric's values at one calibrated cutpoint.
public struct CutpointEvaluation: Equatable, Sendable {
  /// The cutpoint (its name, distance and calibration-time metrics).
  public var cutpoint: Cutpoint
  /// Each requested metric at the cutpoint's distance on the evaluated queries.
  public var values: [ClassificationMetric: Float]
}

extension SimilarityModel {
  /// Lookup results as the evaluation module takes them.
  static func lookupResults(_ neighbors: [[Neighbor]]) -> [[LookupResult]] {
    neighbors.map { $0.map { LookupResult(distance: $0.distance, label: $0.label) } }
  }

  func labelledLookups(
    _ examples: ExampleMatrix, labels: [Int], k: Int, operation: String
  ) throws -> [[LookupResult]] {
    guard labels.count == examples.count else {
      throw SimilarityModelError.countMismatch(
        what: "labels", expected: examples.count, found: labels.count)
    }
    guard examples.count > 0 else { throw SimilarityModelError.noExamples(operation: operation) }
    guard index.count > 0 else { throw SimilarityModelError.emptyIndex(operation: operation) }
    let neighbors = try lookup(embeddings: embed(examples), k: k, operation: operation)
    return Self.lookupResults(neighbors)
  }

  /// Finds the distance thresholds at which matching `examples` against the index works best
  /// (TF Similarity's `calibrate`), stores the result in the model and returns it.
  ///
  /// - Parameters:
  ///   - examples: calibration queries (TF Similarity's notebook uses `x_train[:1000]`).
  ///   - labels: their true labels.
  ///   - targets: extra cutpoints to find, e.g. `.precision(atLeast: 0.99)`.
  ///   - metric: the metric whose best value is the optimal cutpoint (F1 by default).
  ///   - strategy: nearest neighbour or majority vote over `k` neighbours.
  ///   - k: neighbours per query (1 for `.nearest`).
  /// - Throws: ``SimilarityModelError`` for mismatched counts, no queries or an empty index.
  @discardableResult
  public func calibrate(
    _ examples: ExampleMatrix, labels: [Int], targets: [CalibrationTarget] = [],
    optimizing metric: ClassificationMetric = .f1, strategy: MatchStrategy = .nearest,
    k: Int = 1
  ) throws -> Calibration {
    precondition(k >= 1, "calibrate: k \(k) must be at least 1")
    let lookups = try labelledLookups(examples, labels: labels, k: k, operation: "calibrate")
    let result = try Calibration(
      queryLabels: labels, lookups: lookups, optimizing: metric, targets: targets,
      strategy: strategy)
    calibration = result
    calibrationK = k
    return result
  }

  /// The distance threshold of `cutpoint`.
  /// - Throws: ``SimilarityModelError/notCalibrated(operation:)`` or
  ///   ``SimilarityModelError/unreachedTarget(_:)``.
  public func threshold(for cutpoint: CutpointChoice) throws(SimilarityModelError) -> Float {
    if case .distance(let value) = cutpoint { return value }
    guard let calibration else { throw .notCalibrated(operation: "match") }
    switch cutpoint {
    case .optimal: return calibration.optimal.distance
    case .target(let target):
      guard let found = calibration[target] else { throw .unreachedTarget(target.description) }
      return found.distance
    case .distance(let value): return value
    }
  }

  /// The predicted label of each example, or `nil` ("unknown") when its derived distance is
  /// beyond the cutpoint (TF Similarity's `match` with `no_match_label`), using the strategy and
  /// k of the calibration.
  /// - Throws: ``SimilarityModelError/notCalibrated(operation:)`` before ``calibrate(_:labels:targets:optimizing:strategy:k:)``
  ///   (unless an explicit distance is given), or ``SimilarityModelError/emptyIndex(operation:)``.
  public func match(_ examples: ExampleMatrix, cutpoint: CutpointChoice = .optimal) throws
    -> [Int?]
  {
    let threshold = try threshold(for: cutpoint)
    guard examples.count > 0 else { return [] }
    let neighbors = try lookup(embeddings: embed(examples), k: calibrationK, operation: "match")
    let matcher = Matcher(threshold: threshold, strategy: calibration?.strategy ?? .nearest)
    return matcher.match(Self.lookupResults(neighbors))
  }

  /// Retrieval metrics of `examples` against the index (TF Similarity's
  /// `evaluate_retrieval`). Looks up as many neighbours as the metrics need; the class sizes
  /// R (read by MAP and the clipped-at-R metrics) are the indexed labels' counts, 0 for a query
  /// label the index does not hold, whichever metrics are asked for.
  /// - Throws: ``SimilarityModelError`` for mismatched counts, no queries or an empty index;
  ///   `EvaluationError` when the index holds fewer items than a metric's k.
  public func evaluateRetrieval(
    _ examples: ExampleMatrix, labels: [Int],
    metrics: [RetrievalMetric] = [.recall(k: 1), .recall(k: 5), .precision(k: 5)]
  ) throws -> [RetrievalMetric: Float] {
    let k = metrics.map(\.requiredLookupCount).max() ?? 1
    let lookups = try labelledLookups(
      examples, labels: labels, k: k, operation: "evaluateRetrieval")
    return try SimilarityEvaluation.evaluateRetrieval(
      queryLabels: labels, lookups: lookups, metrics: metrics,
      classSizes: Self.retrievalClassSizes(indexedClassSizes, queryLabels: labels))
  }

  /// The class sizes R that retrieval metrics read: `sizes`, plus 0 for every query label it
  /// lacks (a query whose class is not indexed scores 0 on MAP and the clipped metrics).
  static func retrievalClassSizes(_ sizes: [Int: Int], queryLabels: [Int]) -> [Int: Int] {
    var covering = sizes
    for label in queryLabels where covering[label] == nil { covering[label] = 0 }
    return covering
  }

  /// Classification metrics of matching `examples` at every calibrated cutpoint (the optimal
  /// one first, then the reached targets), TF Similarity's `evaluate_classification`.
  /// - Throws: ``SimilarityModelError/notCalibrated(operation:)`` before calibration, and the
  ///   errors of ``calibrate(_:labels:targets:optimizing:strategy:k:)``.
  public func evaluateClassification(
    _ examples: ExampleMatrix, labels: [Int],
    metrics: [ClassificationMetric] = [.f1, .precision, .recall, .binaryAccuracy]
  ) throws -> [CutpointEvaluation] {
    guard let calibration else {
      throw SimilarityModelError.notCalibrated(operation: "evaluateClassification")
    }
    let lookups = try labelledLookups(
      examples, labels: labels, k: calibrationK, operation: "evaluateClassification")
    let cutpoints = [calibration.optimal] + calibration.cutpoints
    let thresholds = Array(Set(cutpoints.map(\.distance))).sorted()
    let evaluation = try SimilarityEvaluation.evaluateClassification(
      queryLabels: labels, lookups: lookups, thresholds: thresholds, metrics: metrics,
      strategy: calibration.strategy)
    return cutpoints.map { cutpoint in
      let column = thresholds.firstIndex(of: cutpoint.distance)!
      return CutpointEvaluation(
        cutpoint: cutpoint,
        values: Dictionary(uniqueKeysWithValues: metrics.map { ($0, evaluation[$0]![column]) }))
    }
  }
}
