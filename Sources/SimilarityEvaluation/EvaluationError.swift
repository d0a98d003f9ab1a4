/// Why an evaluation could not run on the data it was given. Every case names the offending
/// values; lookups are addressed as `lookups[query][neighbor]`, both 0-based.
public enum EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
  /// There is not one list of lookups per query label.
  case countMismatch(queryLabels: Int, lookups: Int)
  /// There are no queries at all.
  case noQueries
  /// A query has an empty list of lookups.
  case emptyLookups(query: Int)
  /// A lookup distance is NaN.
  case nanDistance(query: Int, neighbor: Int)
  /// A query's lookups are not ranked nearest first.
  case lookupsNotSorted(query: Int, neighbor: Int, previous: Float, distance: Float)
  /// No distance thresholds were given.
  case noThresholds
  /// A distance threshold is NaN.
  case nanThreshold(index: Int)
  /// The distance thresholds are not in ascending order.
  case thresholdsNotSorted(index: Int, previous: Float, threshold: Float)
  /// A retrieval metric was asked for a non-positive number of neighbours.
  case invalidK(metric: RetrievalMetric)
  /// A query has fewer lookups than a retrieval metric needs.
  case tooFewLookups(query: Int, count: Int, required: Int, metric: RetrievalMetric)
  /// A retrieval metric divides by class sizes, but none were given.
  case missingClassSizes(metric: RetrievalMetric)
  /// A query's label has no entry in the class sizes.
  case missingClassSize(label: Int, metric: RetrievalMetric)
  /// There is not one predicted label per true label.
  case predictionCountMismatch(trueLabels: Int, predictedLabels: Int)

  public var description: String {
    switch self {
    case .countMismatch(let queryLabels, let lookups):
      return "\(queryLabels) query labels but \(lookups) lookup lists; expected one list per query"
    case .noQueries:
      return "no queries: evaluation needs at least one query label and its lookups"
    case .emptyLookups(let query):
      return "lookups[\(query)] is empty; every query needs at least one neighbour"
    case .nanDistance(let query, let neighbor):
      return "lookups[\(query)][\(neighbor)].distance is NaN"
    case .lookupsNotSorted(let query, let neighbor, let previous, let distance):
      return "lookups[\(query)] is not ranked nearest first: neighbour \(neighbor) is at "
        + "distance \(distance) after \(previous)"
    case .noThresholds:
      return "no distance thresholds; pass at least one (for example [.infinity])"
    case .nanThreshold(let index):
      return "thresholds[\(index)] is NaN"
    case .thresholdsNotSorted(let index, let previous, let threshold):
      return "thresholds are not ascending: thresholds[\(index)] = \(threshold) follows "
        + "\(previous)"
    case .invalidK(let metric):
      return "\(metric): k must be at least 1, got \(metric.k)"
    case .tooFewLookups(let query, let count, let required, let metric):
      return "\(metric) needs \(required) neighbours per query, but lookups[\(query)] has "
        + "\(count)"
    case .missingClassSizes(let metric):
      return "\(metric) divides by the number of indexed examples of each class; pass classSizes"
    case .missingClassSize(let label, let metric):
      return "\(metric): classSizes has no entry for query label \(label)"
    case .predictionCountMismatch(let trueLabels, let predictedLabels):
      return "\(trueLabels) true labels but \(predictedLabels) predicted labels"
    }
  }
}
