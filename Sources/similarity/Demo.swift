import ArgumentParser
import Foundation
import Similarity
import SimilarityKernels

/// `similarity demo`: the project's main job — train on Fashion-MNIST, index, calibrate,
/// evaluate and write the HTML report, in a few minutes on two cores.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train on Fashion-MNIST, evaluate and write an HTML report (a few minutes).",
    discussion: """
      Runs `similarity train` on Fashion-MNIST (the reference conv model, multi-similarity \
      loss, all ten classes) with short defaults, then evaluates the saved model on the first \
      --count test images as `similarity evaluate` does and writes DIR/report.html as \
      `similarity report` does. The data comes from /usr/share/datasets/fashion-mnist (Debian \
      package dataset-fashion-mnist) unless --data-dir says otherwise, so it runs offline.
      """)

  @Option(parsing: .unconditional, help: "Epochs.") var epochs = 5
  @Option(parsing: .unconditional, help: "Steps per epoch.") var steps = 500
  @Option(parsing: .unconditional, help: "Adam learning rate.") var learningRate: Float = 5e-4
  @Option(help: "Seed for weights and sampling.") var seed: UInt64 = 7
  @Option(help: "Directory holding Fashion-MNIST's IDX files.") var dataDir: String?
  @Option(parsing: .unconditional, help: "Test images evaluated.") var count = 10_000
  @Option(parsing: .unconditional, help: "Test embeddings shown in the t-SNE projector.") var projectorPoints = 1500
  @Option(help: "Directory for the saved model and report.html (new, empty, or a saved model).")
  var out = "runs/demo-fashion-mnist"

  func validate() throws {
    try OptionCheck.positive(epochs, "--epochs")
    try OptionCheck.positive(steps, "--steps")
    try OptionCheck.positive(learningRate, "--learning-rate")
    try OptionCheck.positive(count, "--count")
    try OptionCheck.nonNegative(projectorPoints, "--projector-points")
  }

  func run() throws {
    let start = monotonicSeconds()
    let directory = URL(fileURLWithPath: out)
    let output = directory.appendingPathComponent("report.html")
    if try OutputCheck.folder("--out", out, for: .similarityModel).exists {
      try OutputCheck.file("--out", output.path)
    }
    print("== 1/3 Training (similarity train)")
    var arguments = [
      "--dataset", DatasetChoice.fashionMNIST.rawValue, "--epochs", "\(epochs)", "--steps",
      "\(steps)", "--learning-rate", "\(learningRate)", "--seed", "\(seed)", "--out", out,
    ]
    if let dataDir { arguments += ["--data-dir", dataDir] }
    let train = try Train.parse(arguments)
    try train.run()

    print("\n== 2/3 Evaluating on the test set (similarity evaluate)")
    let loaded = try ModelQueries(
      out, dataset: .fashionMNIST, dataDirectory: dataDir, count: count)
    let evaluation = try ModelEvaluation(loaded)
    evaluation.printSummary(indexCount: loaded.model.index.count)

    print("\n== 3/3 Writing the report (similarity report)")
    try writeModelReport(
      model: loaded.model, run: loaded.run, dataset: .fashionMNIST,
      test: loaded.queries, evaluation: evaluation, modelDirectory: directory,
      projectorPoints: projectorPoints, to: output)
    print("Demo finished in \(formatSeconds(monotonicSeconds() - start)); open \(output.path)")
  }
}
