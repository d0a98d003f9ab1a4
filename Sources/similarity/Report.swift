import ArgumentParser
import Foundation
import Similarity
import SimilarityEvaluation
import SimilarityVisualization
import SimilarityKernels

/// `similarity report MODEL_DIR --out report.html`: one self-contained HTML page about a saved
/// model and its test-set results.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report of a saved model on the test set.",
    discussion: """
      Loads MODEL_DIR, queries the first --count test images its index does not hold against \
      the index and writes one HTML page (no external resources): model summary, training \
      history from run.json, calibration, the retrieval and classification figures and \
      confusion matrix of `similarity evaluate` (same numbers for the same --count), \
      nearest-neighbour examples and a t-SNE projector of the first --projector-points test \
      embeddings.
      """)

  @Argument(help: "A directory written by `similarity train` or `hello-world --out`.")
  var modelDirectory: String
  @Option(help: "Data set (default: the one recorded in run.json, else mnist).")
  var dataset: DatasetChoice?
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(parsing: .unconditional, help: "Number of test images to evaluate.") var count = 10_000
  @Option(parsing: .unconditional, help: "Test embeddings shown in the t-SNE projector (0: none).")
  var projectorPoints = 1500
  @Option(help: "The HTML file to write (not a file of MODEL_DIR's model).") var out: String

  func validate() throws {
    try OptionCheck.positive(count, "--count")
    try OptionCheck.nonNegative(projectorPoints, "--projector-points")
  }

  func run() throws {
    let output = URL(fileURLWithPath: out)
    try OutputCheck.file(
      "--out", out,
      inputs: OutputCheck.savedFiles(in: modelDirectory, of: .similarityModel, label: "MODEL_DIR file"))
    let directory = URL(fileURLWithPath: modelDirectory)
    let loaded = try ModelQueries(
      modelDirectory, dataset: dataset, dataDirectory: dataDir, count: count)
    try requireCalibration(loaded.model, directory: directory)
    let evaluation = try ModelEvaluation(loaded)
    try writeModelReport(
      model: loaded.model, run: loaded.run, dataset: loaded.dataset, test: loaded.queries,
      evaluation: evaluation, modelDirectory: directory, projectorPoints: projectorPoints,
      to: output)
  }
}

/// Throws, naming `calibration.json`, when the saved model has no calibration.
func requireCalibration(_ model: SimilarityModel, directory: URL) throws {
  guard model.calibration != nil else {
    throw ValidationError(
      "\(directory.appendingPathComponent("calibration.json").path): missing — the model is "
        + "not calibrated; run `similarity calibrate \(directory.path)` first")
  }
}

/// Writes the HTML report of an indexed, calibrated model evaluated on `test`, with progress
/// lines on standard error.
func writeModelReport(
  model: SimilarityModel, run: TrainingRun?, dataset: DatasetChoice, test: ImageSplit,
  evaluation: ModelEvaluation, modelDirectory: URL, projectorPoints: Int, to output: URL
) throws {
  let classNames = dataset.dataset.classNames
  var report = Report(
    title: "Similarity model report: \(modelDirectory.lastPathComponent)",
    subtitle:
      "\(modelDirectory.path) — \(dataset.dataset.name), \(evaluation.queriesDescription) "
      + "against \(model.index.count) indexed items")
  report.addPreformatted(
    model.embedding.summary() + "\n\n" + String(describing: model.indexSummary))
  if let run {
    report.addText(
      "Trained on \(dataset.dataset.name) classes "
        + run.trainClasses.map { LabelText.name($0, classNames) }.joined(separator: ", ")
        + " with the \(run.loss.rawValue) loss: \(run.epochs) epochs × \(run.stepsPerEpoch) "
        + "steps of \(run.classesPerBatch) classes × \(run.examplesPerClass) examples, Adam "
        + "learning rate \(run.learningRate), seed \(run.seed).",
      heading: "Training run")
    if let history = run.history, !history.epochs.isEmpty {
      report.addTrainingHistory(trainingHistory(history))
    }
  } else {
    report.addText(
      "\(modelDirectory.appendingPathComponent(TrainingRun.fileName).path) is absent: no "
        + "training history.", heading: "Training run")
  }
  if let calibration = model.calibration {
    report.addCalibration(calibration)
  }
  report.addRetrievalMetrics(
    evaluation.metrics.map { (metric: $0, value: evaluation.retrieval[$0]!) })
  let columns = ClassificationMetric.allCases.filter { metric in
    evaluation.classification.contains { $0.values[metric] != nil }
  }
  report.addTable(
    headers: ["cutpoint", "distance"] + columns.map(\.rawValue),
    rows: evaluation.classification.map { row in
      [row.cutpoint.name, format(row.cutpoint.distance)]
        + columns.map { row.values[$0].map(format) ?? "" }
    }, heading: "Classification on the test queries")
  report.addConfusionMatrix(evaluation.confusion, classNames: classNames)

  let side = test.examples.exampleShape
  let (height, width) = (side[0], side.count > 1 ? side[1] : 1)
  func thumbnail(_ row: Int) -> PixelImage {
    let size = test.examples.exampleSize
    return PixelImage(
      width: width, height: height,
      grayValues: Array(test.examples.values[(row * size)..<((row + 1) * size)]), scale: 255)
  }
  let neighbourQueries = min(test.count, 300)
  let lookups = try model.lookup(test.prefix(neighbourQueries).examples, k: 5)
  let blank = PixelImage(
    width: width, height: height, format: .gray, bytes: [UInt8](repeating: 0, count: width * height))
  let rows = lookups.enumerated().map { query, neighbours in
    NeighborGrid.Row(
      query: thumbnail(query), queryLabel: test.labels[query],
      neighbors: neighbours.map { neighbour in
        let image =
          neighbour.payload.flatMap { bytes in
            bytes.count == width * height
              ? PixelImage(width: width, height: height, format: .gray, bytes: bytes) : nil
          } ?? blank
        return NeighborGrid.Neighbor(
          image: image, lookup: LookupResult(distance: neighbour.distance, label: neighbour.label))
      })
  }
  report.addNeighborExamples(rows, classNames: classNames, limit: 6, tileSize: 84)

  let points = min(projectorPoints, test.count)
  if points >= 10 {
    let bar = ProgressBar(title: "t-SNE", total: points)
    let start = monotonicSeconds()
    let embeddings = try model.embed(test.prefix(points).examples)
    let positions = TSNE(seed: 1).embed(embeddings.scalars, dimension: embeddings.shape[1])
    bar.finish("\(points) test embeddings in \(formatSeconds(monotonicSeconds() - start))")
    report.addProjector(
      Projector(
        positions: positions, labels: test.labels.prefix(points).map { $0 },
        thumbnails: (0..<points).map(thumbnail), classNames: classNames,
        title: "t-SNE of \(points) test embeddings"))
  }
  try report.write(to: output)
  print("Wrote \(output.path)")
}

/// Per-epoch loss and batch distance statistics of a fit, as the report charts them.
func trainingHistory(_ history: FitHistory) -> SimilarityVisualization.TrainingHistory {
  var metrics = [
    SimilarityVisualization.TrainingHistory.Metric(name: "loss", values: history.epochs.map(\.loss))
  ]
  if history.epochs.allSatisfy({ $0.distances != nil }) {
    let distances = history.epochs.map { $0.distances! }
    metrics += [
      .init(name: "mean positive distance", values: distances.map(\.meanPositive)),
      .init(name: "mean negative distance", values: distances.map(\.meanNegative)),
      .init(name: "distance gap", values: distances.map(\.gap)),
    ]
  }
  let validationNames = Set(history.epochs.flatMap { ($0.validation ?? [:]).keys }).sorted()
  for name in validationNames {
    metrics.append(.init(name: name, values: history.epochs.map { $0.validation?[name] ?? .nan }))
  }
  return SimilarityVisualization.TrainingHistory(metrics: metrics)
}

/// A label as the data set names it (`3 (Dress)`), or the number alone.
enum LabelText {
  static func name(_ label: Int, _ classNames: [String]) -> String {
    classNames.indices.contains(label) ? "\(label) (\(classNames[label]))" : "\(label)"
  }
}
