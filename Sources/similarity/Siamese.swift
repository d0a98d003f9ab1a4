import ArgumentParser
import Foundation
import SimilarityDatasets
import SimilarityIO
import SimilarityKernels
import SimilarityLayers
import SimilarityMetricLearning
import SimilarityTensors

/// `similarity siamese`: the Keras `mnist_siamese` example — pairs, a shared MLP tower, a
/// Euclidean distance head and the contrastive loss — trained, scored, saved and re-scored.
struct Siamese: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a siamese network with contrastive loss (the Keras mnist_siamese example).",
    discussion: """
      Trains on pairs of training images (consecutive same-class images as similar pairs, each \
      with a random other-class image as a dissimilar pair), prints train and test pair \
      accuracy, and saves the tower to --out. With --evaluate DIR it reloads a saved run and \
      scores it again.
      """)

  @Option(help: "Data set: mnist or fashion-mnist.")
  var dataset: DatasetChoice = .mnist

  @Option(help: "Directory holding the data set's IDX files (default: the usual places).")
  var dataDir: String?

  @Option(parsing: .unconditional, help: "Number of passes over the training pairs.")
  var epochs: Int = 20

  @Option(parsing: .unconditional, help: "Pairs per training step.")
  var batchSize: Int = 128

  @Option(parsing: .unconditional, help: "Contrastive-loss margin.")
  var margin: Float = 1

  @Option(parsing: .unconditional, help: "RMSprop learning rate.")
  var learningRate: Float = 0.001

  @Option(parsing: .unconditional, help: "Pairs closer than this count as similar when scoring accuracy.")
  var threshold: Float = 0.5

  @Option(help: "Seed for weights, dropout, pairs and shuffling.")
  var seed: UInt64 = 1

  @Option(
    parsing: .unconditional,
    help: "Use only the first N training images (and N/6 test images), for a quick run.")
  var limit: Int?

  @Option(help: "Directory to save the trained model and its scores in (new, empty, or a saved siamese run; other files in it are kept).")
  var out: String?

  @Option(help: "Reload the run saved in this directory and score it again instead of training.")
  var evaluate: String?

  @Flag(help: "Print the result as JSON.")
  var json = false

  func validate() throws {
    try OptionCheck.positive(epochs, "--epochs")
    try OptionCheck.positive(batchSize, "--batch-size")
    try OptionCheck.positive(margin, "--margin")
    try OptionCheck.positive(learningRate, "--learning-rate")
    try OptionCheck.nonNegative(threshold, "--threshold")
    try OptionCheck.atLeast(20, limit, "--limit")
  }

  func run() throws {
    if let evaluate {
      try rescore(URL(fileURLWithPath: evaluate))
    } else {
      try train()
    }
  }

  private func train() throws {
    if let out { try OutputCheck.folder("--out", out, for: .siameseRun) }
    let data = try SiameseData.load(dataset, dataDirectory: dataDir, limit: limit, seed: seed)
    let tower = Sequential.kerasSiameseTower(seed: seed)
    if !json {
      print(tower.summary())
      print(
        "\(data.name): \(data.trainPairs.count) training pairs, \(data.testPairs.count) test pairs")
    }
    let network = SiameseNetwork(tower: tower)
    let trainer = SiameseTrainer(
      batchSize: batchSize, seed: seed, loss: ContrastiveLoss(margin: margin), threshold: threshold)
    var bar: ProgressBar?
    let history = trainer.fit(
      network, optimizer: RMSprop(learningRate: .constant(learningRate)), examples: data.train,
      pairs: data.trainPairs, epochs: epochs, validation: (data.test, data.testPairs),
      onStep: { progress in
        if progress.step == 1 {
          bar = ProgressBar(title: "Epoch \(progress.epoch)/\(epochs)", total: progress.stepsPerEpoch)
        }
        bar?.update(progress.step, status: "loss: \(format(progress.meanLoss))")
      },
      onEpoch: { record in
        bar?.finish(
          "loss: \(format(record.loss)) - accuracy: \(format(record.accuracy))"
            + " - val_loss: \(format(record.validationLoss ?? .nan))"
            + " - val_accuracy: \(format(record.validationAccuracy ?? .nan))")
      })
    var report = score(network, trainer: trainer, data: data, history: history)
    report.embeddingsPerSecond = measureInference(network, examples: data.test)
    report.blasKernel = GEMM.kernelName
    try show(report)
    if let out {
      try SiameseRun(
        dataset: dataset, limit: limit, seed: seed, batchSize: batchSize, margin: margin,
        learningRate: learningRate, threshold: threshold, epochs: epochs, report: report
      ).save(tower, to: out)
      if !json { print("Saved to \(out)") }
    }
  }

  private func rescore(_ directory: URL) throws {
    let run = try SiameseRun.read(from: directory)
    let tower = try run.loadTower(from: directory)
    let data = try SiameseData.load(
      run.dataset, dataDirectory: dataDir, limit: run.limit, seed: run.seed)
    guard tower.isSingleInputSingleOutput, tower.inputShapes == [data.train.exampleShape] else {
      throw ValidationError(
        "\(directory.path): the saved tower takes \(tower.inputShapes) and gives "
          + "\(tower.outputShapes.count) output(s); expected one input of "
          + "\(data.train.exampleShape) and one output")
    }
    let trainer = SiameseTrainer(
      batchSize: run.batchSize, seed: run.seed, loss: ContrastiveLoss(margin: run.margin),
      threshold: run.threshold)
    let network = SiameseNetwork(tower: tower)
    let report = score(network, trainer: trainer, data: data, history: run.report.history)
    try show(report)
  }

  private func score(
    _ network: SiameseNetwork, trainer: SiameseTrainer, data: SiameseData, history: TrainingHistory
  ) -> SiameseReport {
    let trainScores = trainer.evaluate(network, examples: data.train, pairs: data.trainPairs)
    let testScores = trainer.evaluate(network, examples: data.test, pairs: data.testPairs)
    return SiameseReport(
      dataset: data.name, trainPairs: data.trainPairs.count, testPairs: data.testPairs.count,
      trainAccuracy: trainScores.accuracy, testAccuracy: testScores.accuracy,
      trainLoss: trainScores.loss, testLoss: testScores.loss, history: history)
  }

  /// Embeddings per second of the tower on all of `examples` as one batch (as TensorFlow's
  /// `tf.function` figure in the peer script), best of 5 runs.
  private func measureInference(_ network: SiameseNetwork, examples: ExampleMatrix) -> Double {
    var best = Double.infinity
    for _ in 0..<5 {
      let start = monotonicSeconds()
      _ = network.embeddings(of: examples, batchSize: examples.count)
      best = Swift.min(best, monotonicSeconds() - start)
    }
    return Double(examples.count) / best
  }

  private func show(_ report: SiameseReport) throws {
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
      return
    }
    print("* Accuracy on training set: \(percent(report.trainAccuracy))")
    print("* Accuracy on test set: \(percent(report.testAccuracy))")
    if let seconds = report.medianEpochSeconds {
      print("* Median epoch time: \(format(seconds)) s")
    }
    if let rate = report.embeddingsPerSecond {
      print("* Tower inference: \(Int(rate.rounded())) embeddings/s (the test images as one batch)")
    }
    if let kernel = report.blasKernel { print("* BLAS kernel: \(kernel)") }
  }
}

/// Images scaled to [0, 1] and the classic alternating pairs of both splits.
struct SiameseData {
  let name: String
  let train: ExampleMatrix
  let test: ExampleMatrix
  let trainPairs: PairSet
  let testPairs: PairSet

  static func load(_ choice: DatasetChoice, dataDirectory: String?, limit: Int?, seed: UInt64)
    throws -> SiameseData
  {
    let dataset = choice.dataset
    let directory = dataDirectory.map { URL(fileURLWithPath: $0) }
    var train = try dataset.load(.train, from: directory)
    var test = try dataset.load(.test, from: directory)
    if let limit {
      train = train.prefix(Swift.min(limit, train.count))
      test = test.prefix(Swift.min(Swift.max(limit / 6, 20), test.count))
    }
    let classes = dataset.classNames.count
    return SiameseData(
      name: dataset.name,
      train: ExampleMatrix(values: train.floatPixels(), exampleShape: [train.height, train.width]),
      test: ExampleMatrix(values: test.floatPixels(), exampleShape: [test.height, test.width]),
      trainPairs: try PairSet.alternatingPairs(labels: train.labels, classCount: classes, seed: seed),
      testPairs: try PairSet.alternatingPairs(
        labels: test.labels, classCount: classes, seed: seed &+ 1))
  }
}

/// `0.0412` style: 4 significant decimals.
func format(_ value: Double) -> String {
  guard value.isFinite else { return "\(value)" }
  return String(format: "%.4f", value)
}

/// `97.31%`.
func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
