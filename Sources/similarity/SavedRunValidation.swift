import ArgumentParser
import Foundation
import Similarity

/// Checks of the files the commands keep beside a model (`run.json`, `siamese.json`) and of the
/// thumbnails they store as payloads, so a damaged or edited file is refused with its path, the
/// field, the value and what was expected, instead of being trained on, scored or drawn.
struct FieldCheck {
  /// The file being checked.
  let file: String

  func fail(_ field: String, _ expected: String, _ found: String) -> ValidationError {
    ValidationError("\(file): \(field): expected \(expected), found \(found)")
  }

  func positive(_ value: Int, _ field: String) throws {
    guard value >= 1 else { throw fail(field, "a positive integer", "\(value)") }
  }

  func positive<F: BinaryFloatingPoint>(_ value: F, _ field: String) throws {
    guard value.isFinite, value > 0 else {
      throw fail(field, "a positive finite number", "\(value)")
    }
  }

  func nonNegative<F: BinaryFloatingPoint>(_ value: F, _ field: String) throws {
    guard value.isFinite, value >= 0 else { throw fail(field, "a finite number ≥ 0", "\(value)") }
  }

  func rate(_ value: Double, _ field: String) throws {
    guard value >= 0, value <= 1 else { throw fail(field, "a rate in [0, 1]", "\(value)") }
  }
}

extension TrainingRun {
  /// Checks the hyper-parameters and history of a `run.json` read from `file`.
  func validate(file: String) throws {
    let check = FieldCheck(file: file)
    try check.positive(epochs, "epochs")
    try check.positive(stepsPerEpoch, "stepsPerEpoch")
    try check.positive(classesPerBatch, "classesPerBatch")
    try check.positive(examplesPerClass, "examplesPerClass")
    try check.positive(learningRate, "learningRate")
    let classCount = dataset.dataset.classNames.count
    guard !trainClasses.isEmpty, Set(trainClasses).count == trainClasses.count,
      trainClasses.allSatisfy((0..<classCount).contains)
    else {
      throw check.fail(
        "trainClasses", "distinct classes of \(dataset.dataset.name) in 0…\(classCount - 1)",
        "\(trainClasses)")
    }
    guard let history else { return }
    guard history.epochs.count <= epochs else {
      throw check.fail("history", "at most \(epochs) epochs", "\(history.epochs.count)")
    }
    for (index, record) in history.epochs.enumerated() {
      guard record.epoch == index + 1 else {
        throw check.fail("history.epochs[\(index)].epoch", "\(index + 1)", "\(record.epoch)")
      }
      try check.nonNegative(record.seconds, "history.epochs[\(index)].seconds")
    }
  }
}

extension SiameseRun {
  /// Checks the settings and scores of a `siamese.json` read from `file`: the same ranges the
  /// command's options must satisfy, since `--evaluate` trains nothing but scores with them.
  func validate(file: String) throws {
    let check = FieldCheck(file: file)
    try check.positive(epochs, "epochs")
    try check.positive(batchSize, "batchSize")
    try check.positive(margin, "margin")
    try check.positive(learningRate, "learningRate")
    try check.nonNegative(threshold, "threshold")
    if let limit, limit < 20 { throw check.fail("limit", "at least 20 images", "\(limit)") }
    try check.rate(report.trainAccuracy, "report.trainAccuracy")
    try check.rate(report.testAccuracy, "report.testAccuracy")
  }
}

/// Throws unless every payload in `model`'s index is a thumbnail of one example (the grey bytes
/// `indexWithProgress` stores, one per input element), naming the index file otherwise.
func checkThumbnailPayloads(of model: SimilarityModel, in directory: URL) throws {
  let size = model.inputShape.reduce(1, *)
  let lengths = model.index.itemSummary.payloadLengthCounts
  if let wrong = lengths.keys.sorted().first(where: { $0 != size }) {
    throw ValidationError(
      "\(directory.appendingPathComponent("index.simx").path): \(lengths[wrong]!) items have "
        + "\(wrong)-byte payloads; this model's payloads are \(size)-byte thumbnails of its "
        + "\(model.inputShape) inputs")
  }
}
