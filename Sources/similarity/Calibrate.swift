import ArgumentParser
import Foundation
import Similarity
import SimilarityEvaluation

/// `similarity calibrate MODEL_DIR`: recalibrates a saved model's distance threshold.
struct Calibrate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Calibrate the match threshold of a saved model and save it again.",
    discussion: """
      Looks up the first --count training images of the model's data set in its index, finds \
      the distance threshold with the best --metric (and any --target cutpoints), prints them \
      and stores the calibration in MODEL_DIR.
      """)

  @Argument(help: "A directory written by `similarity train` or `hello-world --out`.")
  var modelDirectory: String
  @Option(help: "Data set (default: the one recorded in run.json, else mnist).")
  var dataset: DatasetChoice?
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(parsing: .unconditional, help: "Calibration images: the first N of the training set.")
  var count = 1000
  @Option(help: "Metric to optimise: f1, precision, recall, binaryAccuracy.")
  var metric: String = "f1"
  @Option(help: "Match strategy: nearest or majority-vote.") var strategy: String = "nearest"
  @Option(parsing: .unconditional, help: "Neighbours per query (for majority vote).")
  var k: Int = 1
  @Option(help: "Extra cutpoint such as precision:0.99 (repeatable).") var target: [String] = []

  func validate() throws {
    try OptionCheck.positive(count, "--count")
    try OptionCheck.positive(k, "--k")
    _ = try target.map(parseTarget)
  }

  func run() throws {
    let directory = URL(fileURLWithPath: modelDirectory)
    let (model, data) = try loadModelAndData(
      modelDirectory, dataset: dataset, split: .train, dataDirectory: dataDir, count: count)
    guard let optimizing = ClassificationMetric(rawValue: metric) else {
      throw ValidationError(
        "--metric \(metric): expected one of "
          + ClassificationMetric.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let matchStrategy: MatchStrategy
    switch strategy.lowercased() {
    case "nearest": matchStrategy = .nearest
    case "majority-vote", "majorityvote": matchStrategy = .majorityVote
    default: throw ValidationError("--strategy \(strategy): expected nearest or majority-vote")
    }
    let targets = try target.map(parseTarget)
    let calibration = try model.calibrate(
      data.examples, labels: data.labels, targets: targets, optimizing: optimizing,
      strategy: matchStrategy, k: k)
    for cutpoint in [calibration.optimal] + calibration.cutpoints {
      print(
        "\(cutpoint.name): distance \(format(cutpoint.distance)) "
          + cutpoint.metrics.sorted { $0.key.rawValue < $1.key.rawValue }
          .map { "\($0.key.rawValue)=\(format($0.value))" }.joined(separator: " "))
    }
    for unreached in calibration.unreachedTargets { print("\(unreached): not reached") }
    // Saving replaces the model's own files only: run.json, a report and the user's files stay.
    try model.save(to: directory)
    print("Saved calibration to \(directory.path)")
  }
}
