import ArgumentParser
import Foundation
import Similarity
import SimilarityEvaluation

/// `similarity evaluate MODEL_DIR`: retrieval and classification metrics on the test set.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a saved, calibrated model on the test set.",
    discussion: """
      Queries the first --count test images against the model's index: recall@1/5/10, \
      precision@1/5, MAP@10, classification metrics at every calibrated cutpoint, and the \
      confusion matrix of matching at the optimal cutpoint (last column: unknown).
      """)

  @Argument(help: "A directory written by `similarity train` or `hello-world --out`.")
  var modelDirectory: String
  @Option(help: "Data set (default: the one recorded in run.json, else mnist).")
  var dataset: DatasetChoice?
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(help: "Number of test images to evaluate.") var count = 10_000
  @Flag(help: "Print the result as JSON.") var json = false

  struct Report: Codable {
    var queries: Int
    var retrieval: [String: Float]
    var classification: [String: [String: Float]]
    var confusionMatrix: ConfusionMatrix
    var accuracy: Float
    var unknownRate: Float
  }

  func run() throws {
    let (model, test) = try loadModelAndData(
      modelDirectory, dataset: dataset, split: .test, dataDirectory: dataDir, count: count)
    let metrics: [RetrievalMetric] = [
      .recall(k: 1), .recall(k: 5), .recall(k: 10), .precision(k: 1), .precision(k: 5),
      .meanAveragePrecision(k: 10),
    ].filter { $0.requiredLookupCount <= model.index.count }
    let retrieval = try model.evaluateRetrieval(
      test.examples, labels: test.labels, metrics: metrics)
    let classification = try model.evaluateClassification(test.examples, labels: test.labels)
    let matches = try model.match(test.examples)
    let confusion = try ConfusionMatrix(trueLabels: test.labels, predictedLabels: matches)
    let report = Report(
      queries: test.count,
      retrieval: Dictionary(uniqueKeysWithValues: metrics.map { ($0.description, retrieval[$0]!) }),
      classification: Dictionary(
        uniqueKeysWithValues: classification.map { evaluation in
          (
            evaluation.cutpoint.name,
            Dictionary(
              uniqueKeysWithValues: evaluation.values.map {
                ($0.key.rawValue, $0.value)
              })
          )
        }),
      confusionMatrix: confusion, accuracy: confusion.accuracy, unknownRate: confusion.unknownRate)
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
      return
    }
    print("\(test.count) test queries against \(model.index.count) indexed items")
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
