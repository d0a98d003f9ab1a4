import SimilarityEvaluation
import SimilarityMetricLearning
import SimilaritySearch

/// Scores a model during training (TF Similarity's `EvalCallback`): after each epoch it
/// embeds the targets into a fresh index (the model's own index is left alone), looks up the
/// queries and computes retrieval metrics and the binary accuracy of nearest-neighbour
/// matching. With `knownClasses`, queries are also scored separately for classes seen in
/// training (`…_known_classes`) and the others (`…_unknown_classes`).
public struct EvaluationCallback: Sendable {
  /// The query examples.
  public var queries: ExampleMatrix
  /// Their labels.
  public var queryLabels: [Int]
  /// The examples indexed for the evaluation.
  public var targets: ExampleMatrix
  /// Their labels.
  public var targetLabels: [Int]
  /// Classes the model is trained on; `nil` scores all queries together only.
  public var knownClasses: Set<Int>?
  /// Retrieval metrics to compute; a metric needing more lookups than there are targets is left
  /// out, and R (for MAP and the clipped metrics) is the number of targets of each class.
  public var metrics: [RetrievalMetric]

  /// - Throws: ``SimilarityModelError/countMismatch(what:expected:found:)`` when labels and
  ///   examples differ in count, ``SimilarityModelError/noExamples(operation:)`` without
  ///   queries or targets.
  public init(
    queries: ExampleMatrix, queryLabels: [Int], targets: ExampleMatrix, targetLabels: [Int],
    knownClasses: Set<Int>? = nil, metrics: [RetrievalMetric] = [.recall(k: 1)]
  ) throws(SimilarityModelError) {
    guard queries.count == queryLabels.count else {
      throw .countMismatch(what: "queryLabels", expected: queries.count, found: queryLabels.count)
    }
    guard targets.count == targetLabels.count else {
      throw .countMismatch(
        what: "targetLabels", expected: targets.count, found: targetLabels.count)
    }
    guard queries.count > 0, targets.count > 0 else {
      throw .noExamples(operation: "EvaluationCallback")
    }
    self.queries = queries
    self.queryLabels = queryLabels
    self.targets = targets
    self.targetLabels = targetLabels
    self.knownClasses = knownClasses
    self.metrics = metrics
  }

  /// The metrics by name: `binary_accuracy`, each retrieval metric's description, and with
  /// ``knownClasses`` the same with `_known_classes` / `_unknown_classes` appended.
  public func evaluate(_ model: SimilarityModel) throws -> [String: Double] {
    let index = model.indexKind.makeIndex(
      dimension: model.dimension, distance: model.distance, seed: 0)
    try index.add(
      vectors: model.embed(targets).scalars, ids: nil, labels: targetLabels.map { $0 },
      payloads: nil)
    let k = min(metrics.map(\.requiredLookupCount).max() ?? 1, index.count)
    let lookups = SimilarityModel.lookupResults(
      try index.search(queries: model.embed(queries).scalars, k: max(k, 1)))
    let targetClassSizes = targetLabels.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
    var results: [String: Double] = [:]
    func score(_ rows: [Int], suffix: String) throws {
      guard !rows.isEmpty else { return }
      let labels = rows.map { queryLabels[$0] }
      let subset = rows.map { lookups[$0] }
      let correct = zip(labels, subset).filter { $0.0 == $0.1.first?.label }.count
      results["binary_accuracy" + suffix] = Double(correct) / Double(rows.count)
      let sizes = SimilarityModel.retrievalClassSizes(targetClassSizes, queryLabels: labels)
      for metric in metrics where metric.requiredLookupCount <= k {
        results[metric.description + suffix] = Double(
          try metric.value(queryLabels: labels, lookups: subset, classSizes: sizes))
      }
    }
    let all = Array(0..<queryLabels.count)
    try score(all, suffix: "")
    if let knownClasses {
      try score(all.filter { knownClasses.contains(queryLabels[$0]) }, suffix: "_known_classes")
      try score(all.filter { !knownClasses.contains(queryLabels[$0]) }, suffix: "_unknown_classes")
    }
    return results
  }
}
