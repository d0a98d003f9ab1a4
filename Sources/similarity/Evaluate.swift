import ArgumentParser
import Foundation
import Similarity
import SimilarityEvaluation

/// `similarity evaluate MODEL_DIR`: retrieval and classification metrics on the test set.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a saved, calibrated model on the test set.",
    discussion: """
      Queries the first --count test images the model's index does not hold (run.json records \
      which images it indexed; `hello-world --out` indexes test images) against the index: \
      recall@1/5/10, precision@1/5 (relevant neighbours among the first k, divided by k), \
      MAP@10 and MAP@R (divided by R, the indexed examples of the query's class), NDCG@10, \
      classification metrics at every calibrated cutpoint, and the confusion matrix of \
      matching at the optimal cutpoint (last column: unknown).
      """)

  @Argument(help: "A directory written by `similarity train` or `hello-world --out`.")
  var modelDirectory: String
  @Option(help: "Data set (default: the one recorded in run.json, else mnist).")
  var dataset: DatasetChoice?
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(parsing: .unconditional, help: "Number of test images to evaluate.") var count = 10_000
  @Flag(help: "Print the result as JSON.") var json = false

  func validate() throws {
    try OptionCheck.positive(count, "--count")
  }

  struct Report: Codable {
    var queries: Int
    /// Test images left out because the model's index holds them.
    var indexedTestImagesLeftOut: Int
    var retrieval: [String: Float]
    var classification: [String: [String: Float]]
    var confusionMatrix: ConfusionMatrix
    var accuracy: Float
    var unknownRate: Float
  }

  func run() throws {
    let loaded = try ModelQueries(
      modelDirectory, dataset: dataset, dataDirectory: dataDir, count: count)
    let evaluation = try ModelEvaluation(loaded)
    let report = evaluation.report
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
      return
    }
    evaluation.printSummary(indexCount: loaded.model.index.count)
  }
}

/// The figures `similarity evaluate` prints and `similarity report` shows, computed once so both
/// commands agree: retrieval metrics, classification at every calibrated cutpoint and the
/// confusion matrix of matching at the optimal cutpoint.
struct ModelEvaluation {
  /// The retrieval metrics, in display order (those needing more neighbours than the index
  /// holds are left out).
  let metrics: [RetrievalMetric]
  let retrieval: [RetrievalMetric: Float]
  let classification: [CutpointEvaluation]
  /// The match of each query at the optimal cutpoint (`nil` = unknown).
  let matches: [Int?]
  let confusion: ConfusionMatrix
  let queries: Int
  /// Test images left out of the queries because the index holds them.
  let indexedLeftOut: Int

  /// Evaluates the model (indexed and calibrated) on the queries.
  init(_ loaded: ModelQueries) throws {
    let (model, test) = (loaded.model, loaded.queries)
    let largestClass = model.indexedClassSizes.values.max() ?? 1
    metrics = [
      .recall(k: 1), .recall(k: 5), .recall(k: 10), .precision(k: 1), .precision(k: 5),
      .meanAveragePrecision(k: 10), .meanAveragePrecisionAtR(maxK: min(largestClass, 100)),
      .ndcg(k: 10),
    ].filter { $0.requiredLookupCount <= model.index.count }
    retrieval = try model.evaluateRetrieval(test.examples, labels: test.labels, metrics: metrics)
    classification = try model.evaluateClassification(test.examples, labels: test.labels)
    matches = try model.match(test.examples)
    confusion = try ConfusionMatrix(trueLabels: test.labels, predictedLabels: matches)
    queries = test.count
    indexedLeftOut = loaded.indexedLeftOut
  }

  /// E.g. "300 test queries (the 2000 test images the index holds left out)".
  var queriesDescription: String {
    "\(queries) test queries"
      + (indexedLeftOut > 0 ? " (the \(indexedLeftOut) test images the index holds left out)" : "")
  }

  /// The JSON form printed by `similarity evaluate --json`.
  var report: Evaluate.Report {
    Evaluate.Report(
      queries: queries, indexedTestImagesLeftOut: indexedLeftOut,
      retrieval: Dictionary(uniqueKeysWithValues: metrics.map { ($0.description, retrieval[$0]!) }),
      classification: Dictionary(
        uniqueKeysWithValues: classification.map { evaluation in
          (
            evaluation.cutpoint.name,
            Dictionary(uniqueKeysWithValues: evaluation.values.map { ($0.key.rawValue, $0.value) })
          )
        }),
      confusionMatrix: confusion, accuracy: confusion.accuracy, unknownRate: confusion.unknownRate)
  }

  /// Prints the figures as `similarity evaluate` shows them.
  func printSummary(indexCount: Int) {
    print("\(queriesDescription) against \(indexCount) indexed items")
    for metric in metrics { print("\(metric.description): \(format(retrieval[metric]!))") }
    for evaluation in classification {
      print(
        "cutpoint \(evaluation.cutpoint.name) (distance \(format(evaluation.cutpoint.distance))): "
          + evaluation.values.sorted { $0.key.rawValue < $1.key.rawValue }
          .map { "\($0.key.rawValue)=\(format($0.value))" }.joined(separator: " "))
    }
    print("\nConfusion matrix at the optimal cutpoint (rows: true, columns: matched, ?: unknown)")
    print("      " + (confusion.labels.map { pad($0, 5) } + ["    ?"]).joined(separator: " "))
    for (row, label) in confusion.labels.enumerated() {
      print(pad(label, 5) + " " + confusion.counts[row].map { pad($0, 5) }.joined(separator: " "))
    }
    print(
      "accuracy \(format(confusion.accuracy)), unknown rate \(format(confusion.unknownRate)), "
        + "macro F1 \(format(confusion.macroF1))")
  }
}
