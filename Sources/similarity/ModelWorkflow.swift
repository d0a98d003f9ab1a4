import ArgumentParser
import Foundation
import Similarity
import SimilarityDatasets
import SimilarityEvaluation
import SimilarityIO
import SimilarityLayers
import SimilarityMetricLearning
import SimilaritySearch

/// One split of MNIST / Fashion-MNIST as `[28, 28, 1]` examples with raw grey levels 0…255
/// (the reference conv model rescales by 1/255 itself).
struct ImageSplit {
  let examples: ExampleMatrix
  let labels: [Int]

  static func load(_ choice: DatasetChoice, _ split: DatasetSplit, dataDirectory: String?) throws
    -> ImageSplit
  {
    let images = try choice.dataset.load(
      split, from: dataDirectory.map { URL(fileURLWithPath: $0) })
    return ImageSplit(
      examples: ExampleMatrix(
        values: images.floatPixels(scaledTo: 0...255),
        exampleShape: [images.height, images.width, 1]),
      labels: images.labels)
  }

  var count: Int { labels.count }

  /// The examples at `indices`, in that order.
  func subset(_ indices: [Int]) -> ImageSplit {
    ImageSplit(
      examples: ExampleMatrix(
        values: examples.batch(indices).scalars, exampleShape: examples.exampleShape),
      labels: indices.map { labels[$0] })
  }

  /// The first `n` examples of each class in `classes`, in data set order (deterministic).
  func firstIndices(perClass n: Int, classes: [Int]) -> [Int] {
    var taken: [Int: Int] = [:]
    let wanted = Set(classes)
    var picks: [Int] = []
    for (index, label) in labels.enumerated() where wanted.contains(label) {
      if taken[label, default: 0] < n {
        taken[label, default: 0] += 1
        picks.append(index)
      }
    }
    return picks
  }

  /// Each example as bytes 0…255 (the grey levels it was loaded with), one array per example.
  var grayBytes: [[UInt8]] {
    let size = examples.exampleShape.reduce(1, *)
    let values = examples.values
    return (0..<count).map { row in
      values[(row * size)..<((row + 1) * size)].map { UInt8(min(max($0.rounded(), 0), 255)) }
    }
  }

  /// The first `n` examples.
  func prefix(_ n: Int) -> ImageSplit { subset(Array(0..<min(n, count))) }
}

extension IndexedExamples {
  /// The positions of the indexed images in `data` (a whole split, as loaded).
  func indices(in data: ImageSplit) -> [Int] {
    data.firstIndices(perClass: perClass, classes: classes)
  }

  /// The positions of the other images of `data`, in order.
  func unindexedIndices(in data: ImageSplit) -> [Int] {
    let held = Set(indices(in: data))
    return (0..<data.count).filter { !held.contains($0) }
  }
}

/// The saved model in `directory`, its `run.json` (if any) and the data set it is used with:
/// `dataset`, else the one in its `run.json`, else MNIST.
private func loadModel(_ directory: URL, dataset: DatasetChoice?) throws
  -> (model: SimilarityModel, run: TrainingRun?, dataset: DatasetChoice)
{
  let model = try SimilarityModel.load(from: directory)
  try checkThumbnailPayloads(of: model, in: directory)
  let run = try TrainingRun.read(from: directory)
  return (model, run, dataset ?? run?.dataset ?? .mnist)
}

/// A saved model and the first `count` images of a split of its data set (`dataset`, else the
/// one in its `run.json`, else MNIST).
func loadModelAndData(
  _ path: String, dataset: DatasetChoice?, split: DatasetSplit, dataDirectory: String?,
  count: Int
) throws -> (SimilarityModel, ImageSplit) {
  let loaded = try loadModel(URL(fileURLWithPath: path), dataset: dataset)
  let data = try ImageSplit.load(loaded.dataset, split, dataDirectory: dataDirectory)
  return (loaded.model, data.prefix(count))
}

/// A saved model and the test images it is scored on.
struct ModelQueries {
  let model: SimilarityModel
  /// The model's `run.json`, if it has one.
  let run: TrainingRun?
  /// The data set the queries come from.
  let dataset: DatasetChoice
  /// The first `count` test images the model's index does not hold.
  let queries: ImageSplit
  /// The position of each query in the test split.
  let testIndices: [Int]
  /// How many test images were left out because the index holds them (`run.json`'s
  /// ``TrainingRun/indexed``).
  let indexedLeftOut: Int

  /// Loads the model in `path` and the test split of its data set (`dataset`, else the one in
  /// its `run.json`, else MNIST) without the images its index holds, so that no query finds
  /// itself (`hello-world --out` indexes test images).
  ///
  /// - Throws: `ValidationError` when `run.json` is from the same data set but does not say
  ///   which images are indexed (written before that was recorded): the figures could
  ///   include queries that find themselves.
  init(_ path: String, dataset: DatasetChoice?, dataDirectory: String?, count: Int) throws {
    let directory = URL(fileURLWithPath: path)
    let loaded = try loadModel(directory, dataset: dataset)
    (model, run, self.dataset) = loaded
    let choice = loaded.dataset
    let test = try ImageSplit.load(choice, .test, dataDirectory: dataDirectory)
    var remaining = Array(0..<test.count)
    if let run = loaded.run, run.dataset == choice {
      guard let indexed = run.indexed else {
        throw ValidationError(
          "\(directory.appendingPathComponent(TrainingRun.fileName).path) does not record which "
            + "\(choice.dataset.name) images the index holds (it predates that record), so test "
            + "queries could be indexed images that find themselves; re-run `similarity train` "
            + "or `similarity hello-world --out` to save the model again")
      }
      if indexed.split == .test { remaining = indexed.unindexedIndices(in: test) }
    }
    testIndices = Array(remaining.prefix(count))
    queries = test.subset(testIndices)
    indexedLeftOut = test.count - remaining.count
  }
}

/// Trains with a progress bar per epoch; returns the history.
func trainWithProgress(
  _ model: SimilarityModel, sampler: some Sampler, loss: any MetricLoss, learningRate: Float,
  epochs: Int, validation: EvaluationCallback? = nil
) throws -> FitHistory {
  var bar: ProgressBar?
  return try model.fit(
    sampler: sampler, loss: { loss(embeddings: $0, labels: $1) },
    optimizer: Adam(learningRate: .constant(learningRate)), epochs: epochs,
    validation: validation,
    onStep: { step in
      if step.step == 1 {
        bar = ProgressBar(title: "Epoch \(step.epoch)/\(epochs)", total: step.stepsPerEpoch)
      }
      bar?.update(step.step, status: "loss: \(format(step.meanLoss))")
    },
    onEpoch: { record in
      var summary = "loss: \(format(record.loss))"
      if let d = record.distances {
        summary +=
          " - pos: \(format(d.meanPositive)) - neg: \(format(d.meanNegative))"
          + " - gap: \(format(d.gap))"
      }
      for (name, value) in (record.validation ?? [:]).sorted(by: { $0.key < $1.key }) {
        summary += " - \(name): \(format(value))"
      }
      bar?.finish(summary + " - \(format(record.seconds)) s train")
    })
}

/// Indexes with a progress line; each item's payload is its image as grey bytes (so reports
/// can show the neighbours).
func indexWithProgress(_ model: SimilarityModel, _ split: ImageSplit) throws {
  let bar = ProgressBar(title: "Indexing", total: split.count)
  try model.index(split.examples, labels: split.labels, payloads: split.grayBytes)
  bar.finish("\(split.count) examples, \(model.index.count) in the index")
}

/// Parses `precision:0.99`, `recall:0.9`, `f1:0.95`, `fpr:0.01` calibration targets; the value
/// is a rate in [0, 1].
func parseTarget(_ text: String) throws -> CalibrationTarget {
  let parts = text.split(separator: ":")
  guard parts.count == 2, let value = Float(parts[1]) else {
    throw ValidationError("--target \(text): expected METRIC:VALUE such as precision:0.99")
  }
  guard value.isFinite, value >= 0, value <= 1 else {
    throw ValidationError(
      "--target \(text): expected a value in [0, 1] (every metric is a rate), found \(parts[1])")
  }
  switch parts[0].lowercased() {
  case "precision": return .precision(atLeast: value)
  case "recall": return .recall(atLeast: value)
  case "f1": return .f1(atLeast: value)
  case "accuracy", "binary-accuracy": return .binaryAccuracy(atLeast: value)
  case "fpr", "false-positive-rate": return .falsePositiveRate(atMost: value)
  default:
    throw ValidationError(
      "--target \(text): unknown metric \(parts[0]); expected precision, recall, f1, "
        + "accuracy or fpr"
    )
  }
}

/// `%.4f` of a Float.
func format(_ value: Float) -> String { format(Double(value)) }
