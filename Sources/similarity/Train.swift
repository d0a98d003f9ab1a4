import ArgumentParser
import Foundation
import Similarity
import SimilarityIO
import SimilarityLayers

/// `similarity train`: trains the reference conv embedding with a metric loss on
/// class-balanced batches, indexes and calibrates it, and saves the model directory.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a similarity model on MNIST or Fashion-MNIST and save it.",
    discussion: """
      Trains Sequential.tfSimilarityMNISTConv() (conv ×4 + MetricEmbedding) with the chosen \
      loss (cosine distance) and Adam on batches of --classes-per-batch classes × \
      --examples-per-class examples, then indexes --index-per-class training images of every \
      class, calibrates on the first --calibrate training images and saves everything (model, \
      index, calibration, run.json) to --out: a new or empty folder, or a saved model whose \
      files are replaced (other files in it are kept). Any other folder, a file or a device is \
      refused before training starts.
      """)

  @Option(help: "Data set: mnist or fashion-mnist.") var dataset: DatasetChoice = .mnist
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(help: "Metric loss.") var loss: LossChoice = .multiSimilarity
  @Option(parsing: .unconditional, help: "Epochs.") var epochs: Int = 10
  @Option(parsing: .unconditional, help: "Steps per epoch.") var steps: Int = 1000
  @Option(parsing: .unconditional, help: "Classes in each batch.") var classesPerBatch: Int = 6
  @Option(parsing: .unconditional, help: "Examples of each class in each batch.") var examplesPerClass: Int = 10
  @Option(help: "Train on these classes only (comma-separated; default all).") var classes: String?
  @Option(parsing: .unconditional, help: "Adam learning rate.") var learningRate: Float = 1e-4
  @Option(help: "Seed for weights and sampling.") var seed: UInt64 = 7
  @Option(parsing: .unconditional, help: "Training images indexed per class.") var indexPerClass: Int = 20
  @Option(parsing: .unconditional, help: "Calibration images (the first N of the training set).") var calibrate = 1000
  @Option(help: "Directory to save the model in (new, empty, or a saved model).") var out: String

  func validate() throws {
    try OptionCheck.positive(epochs, "--epochs")
    try OptionCheck.positive(steps, "--steps")
    try OptionCheck.positive(classesPerBatch, "--classes-per-batch")
    try OptionCheck.positive(examplesPerClass, "--examples-per-class")
    try OptionCheck.positive(learningRate, "--learning-rate")
    try OptionCheck.positive(indexPerClass, "--index-per-class")
    try OptionCheck.positive(calibrate, "--calibrate")
  }

  func run() throws {
    try OutputCheck.folder("--out", out, for: .similarityModel)
    let train = try ImageSplit.load(dataset, .train, dataDirectory: dataDir)
    let classList = try classes.map { text in
      try text.split(separator: ",").map { part -> Int in
        guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else {
          throw ValidationError("--classes \(text): expected integers separated by commas")
        }
        return value
      }
    }
    let sampler = try MultiShotSampler(
      examples: train.examples, labels: train.labels, classesPerBatch: classesPerBatch,
      examplesPerClass: examplesPerClass, stepsPerEpoch: steps, classList: classList, seed: seed)
    let model = SimilarityModel(embedding: .tfSimilarityMNISTConv(seed: seed), distance: .cosine)
    print(
      "\(dataset.dataset.name): \(train.count) training images, classes \(sampler.classes); "
        + "\(loss.rawValue) loss, Adam lr \(learningRate)")
    let history = try trainWithProgress(
      model, sampler: sampler, loss: loss.makeLoss(distance: .cosine), learningRate: learningRate,
      epochs: epochs)
    let indexed = IndexedExamples(
      split: .train, perClass: indexPerClass, classes: Array(Set(train.labels)).sorted())
    try indexWithProgress(model, train.subset(indexed.indices(in: train)))
    let calibrationSet = train.prefix(calibrate)
    let calibration = try model.calibrate(
      calibrationSet.examples, labels: calibrationSet.labels)
    print(
      "Calibrated: optimal F1 \(format(calibration.optimal.value)) at distance "
        + "\(format(calibration.optimal.distance))")
    let directory = URL(fileURLWithPath: out)
    try model.save(to: directory)
    try TrainingRun(
      dataset: dataset, trainClasses: sampler.classes, loss: loss, epochs: epochs,
      stepsPerEpoch: steps, classesPerBatch: classesPerBatch, examplesPerClass: examplesPerClass,
      learningRate: learningRate, seed: seed, history: history, indexed: indexed
    ).write(to: directory)
    print("Saved to \(directory.path)")
  }
}
