import Foundation
import SimilarityEvaluation
import Testing

@testable import SimilarityVisualization

/// Renders one of each picture and writes them as PNG files, so a person can look at them:
/// the files go to `$SIMILARITY_VISUALIZATION_SAMPLES` when set, else to a temporary directory
/// that is removed. Either way each picture must be non-blank and a valid PNG.
@Suite struct SampleOutputTests {
  static let classNames = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "T-shirt/top", "nine",
  ]

  static func sampleDirectory() throws -> (URL, keep: Bool) {
    if let path = ProcessInfo.processInfo.environment["SIMILARITY_VISUALIZATION_SAMPLES"] {
      let url = URL(fileURLWithPath: path)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      return (url, true)
    }
    return (try temporaryDirectory(), false)
  }

  static func neighborGrid() -> NeighborGrid {
    let examples: [(query: Int, labels: [Int])] = [
      (3, [3, 3, 8, 3]), (7, [1, 7, 7, 7]), (5, [5, 6, 5, 5]),
    ]
    let rows = examples.map { query, labels in
      NeighborGrid.Row(
        query: digitImage("\(query)"), queryLabel: query,
        neighbors: labels.enumerated().map { rank, label in
          NeighborGrid.Neighbor(
            image: digitImage("\(label)", shift: rank % 2),
            lookup: LookupResult(distance: 0.05 + 0.07 * Float(rank), label: label))
        })
    }
    return NeighborGrid(rows: rows, classNames: classNames, title: "Nearest neighbours")
  }

  static func confusionMatrix() throws -> ConfusionMatrix {
    var truth: [Int] = []
    var predicted: [Int?] = []
    for label in 0..<4 {
      for i in 0..<(20 + 5 * label) {
        truth.append(label)
        predicted.append(i % 7 == 0 ? (label + 1) % 4 : (i % 11 == 0 ? nil : label))
      }
    }
    return try ConfusionMatrix(trueLabels: truth, predictedLabels: predicted)
  }

  static func calibration() throws -> Calibration {
    var labels: [Int] = []
    var lookups: [[LookupResult]] = []
    for i in 0..<200 {
      let distance = Float(i) / 200
      let right = (i * 7919) % 100 > Int(distance * 90)
      labels.append(i % 5)
      lookups.append([LookupResult(distance: distance, label: right ? i % 5 : (i + 1) % 5)])
    }
    return try Calibration(
      queryLabels: labels, lookups: lookups, targets: [.precision(atLeast: 0.9)])
  }

  @Test func picturesRenderAndEncode() throws {
    let (directory, keep) = try Self.sampleDirectory()
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let matrix = try Self.confusionMatrix()
    let pictures: [(String, Raster)] = [
      ("neighbors", Self.neighborGrid().raster()),
      ("confusion-counts", ConfusionMatrixPicture(matrix, classNames: Self.classNames).raster()),
      (
        "confusion-normalized",
        ConfusionMatrixPicture(matrix, classNames: Self.classNames, values: .rowNormalized).raster()
      ),
      ("calibration", Chart.calibration(try Self.calibration()).raster()),
      (
        "training",
        Chart.trainingCurves(
          TrainingHistory(metrics: [
            .init(name: "loss", values: [0.9, 0.6, 0.45, 0.38, 0.33, 0.31]),
            .init(name: "val_loss", values: [0.95, 0.7, 0.55, 0.5, 0.48, 0.47]),
          ])
        ).raster()
      ),
      (
        "ann",
        Chart.recallThroughput([
          ("hnsw ef", [(0.8, 52_000), (0.9, 31_000), (0.97, 12_000), (0.995, 4_000)]),
          ("exact", [(1.0, 900)]),
        ]).raster()
      ),
      (
        "recall",
        BarChart.retrieval([
          (.recall(k: 1), 0.91), (.recall(k: 5), 0.97), (.precision(k: 5), 0.84),
        ]).raster()
      ),
    ]
    for (name, raster) in pictures {
      #expect(!isMostlyBlank(raster), "\(name) is blank")
      let url = directory.appendingPathComponent("\(name).png")
      try PNGEncoder.write(raster, to: url)
      let chunks = try parsePNGChunks(Array(try Data(contentsOf: url)))
      #expect(chunks.first?.type == "IHDR" && chunks.last?.type == "IEND", "\(name)")
    }
  }

  static func sampleReport() throws -> Report {
    var report = Report(title: "Sample report", subtitle: "model <demo> & friends")
    report.addPreformatted("Model: \"sequential\"\n dense (Dense)   (None, 64)   50240")
    report.addTrainingHistory(
      TrainingHistory(metrics: [
        .init(name: "loss", values: [0.9, 0.6, 0.45, 0.38, 0.33]),
        .init(name: "val_loss", values: [0.95, 0.7, 0.55, 0.5, 0.48]),
        .init(name: "val_recall@1", values: [0.6, 0.75, 0.82, 0.86, 0.88]),
      ]))
    report.addCalibration(try calibration())
    report.addRetrievalMetrics([(.recall(k: 1), 0.91), (.recall(k: 5), 0.97)])
    report.addConfusionMatrix(try confusionMatrix(), classNames: classNames)
    report.addNeighborExamples(neighborGrid().rows, classNames: classNames, heading: "Neighbours")
    let (points, labels) = ProjectionTests.mixture(
      clusters: 5, perCluster: 30, dimension: 10, seed: 2)
    let layout = TSNE(perplexity: 10, iterations: 250, earlyExaggerationIterations: 100)
      .embed(points, dimension: 10)
    report.addProjector(
      Projector(
        positions: layout, labels: labels, thumbnails: labels.map { digitImage("\($0)") },
        classNames: classNames, title: "t-SNE of a Gaussian mixture"))
    return report
  }

  @Test func reportIsSelfContained() throws {
    let (directory, keep) = try Self.sampleDirectory()
    defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
    let report = try Self.sampleReport()
    #expect(
      report.headings == [
        "Model", "Training", "Calibration", "Retrieval", "Confusion matrix", "Neighbours",
        "Projector",
      ])
    let html = report.html()
    #expect(html.contains("model &lt;demo&gt; &amp; friends"))
    #expect(html.contains("Model: &quot;sequential&quot;"))
    // Nothing is loaded from elsewhere: every src is a data URI, no stylesheet or script links.
    #expect(!html.contains("<link"))
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("<script src"))
    let sources = html.components(separatedBy: "src=\"").dropFirst()
    #expect(sources.count == 4)
    #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
    let url = directory.appendingPathComponent("report.html")
    try report.write(to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == html)
  }
}
