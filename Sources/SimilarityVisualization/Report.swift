import Foundation
import SimilarityEvaluation

/// Assembles one self-contained HTML page — every image inlined as a PNG data URI or SVG, no
/// external resources — from sections added in order: model summary, training history,
/// calibration, retrieval metrics, confusion matrix, neighbour examples, projector, or any
/// table, chart, picture or text. All text is HTML-escaped.
///
/// It takes plain data (strings, numbers, the SimilarityEvaluation types, images), so a command
/// such as `similarity report` only gathers the data and calls ``write(to:)``.
public struct Report: Sendable {
  /// The page title (also the `<h1>`).
  public var title: String
  /// A line under the title, such as the model directory and date.
  public var subtitle: String?
  private var sections: [(heading: String, anchor: String, body: String)] = []

  /// Creates an empty report.
  public init(title: String, subtitle: String? = nil) {
    self.title = title
    self.subtitle = subtitle
  }

  /// The headings of the sections added so far, in order.
  public var headings: [String] { sections.map(\.heading) }

  /// Adds a section whose body is raw HTML built by this module (already escaped).
  private mutating func add(_ heading: String, _ body: String) {
    sections.append((heading, "section-\(sections.count + 1)", body))
  }

  /// Adds preformatted text, such as the Keras-style model summary table.
  public mutating func addPreformatted(_ text: String, heading: String = "Model") {
    add(heading, "<pre>\(HTML.escape(text))</pre>\n")
  }

  /// Adds paragraphs of text (separated by blank lines).
  public mutating func addText(_ text: String, heading: String) {
    let paragraphs = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    add(heading, paragraphs.map { "<p>\(HTML.escape($0))</p>\n" }.joined())
  }

  /// Adds a table.
  public mutating func addTable(headers: [String], rows: [[String]], heading: String) {
    add(heading, HTML.table(headers: headers, rows: rows))
  }

  /// Adds a picture as an inline PNG.
  public mutating func addImage(_ raster: Raster, heading: String, caption: String? = nil) {
    add(heading, Self.figure(HTML.image(raster, alt: caption ?? heading), caption: caption))
  }

  /// Adds a chart as inline SVG.
  public mutating func addChart(_ chart: Chart, heading: String, caption: String? = nil) {
    add(heading, Self.figure(chart.svg(), caption: caption))
  }

  /// Adds the per-epoch table of a training history and its curves: losses in one chart, other
  /// metrics in a second.
  public mutating func addTrainingHistory(_ history: TrainingHistory, heading: String = "Training")
  {
    let table = history.tableRows()
    var body = HTML.table(headers: table.headers, rows: table.rows)
    let (losses, others) = history.lossesAndOthers
    if !losses.metrics.isEmpty {
      body += Self.figure(Chart.trainingCurves(losses, title: "Loss", yTitle: "loss").svg())
    }
    if !others.metrics.isEmpty {
      body += Self.figure(Chart.trainingCurves(others, title: "Metrics", yTitle: "value").svg())
    }
    add(heading, body)
  }

  /// Adds a calibration: the optimal cutpoint and each reached target with every metric at it,
  /// the unreached targets, and the metric curves against the distance threshold.
  public mutating func addCalibration(
    _ calibration: Calibration, metrics: [ClassificationMetric] = [.precision, .recall, .f1],
    heading: String = "Calibration"
  ) {
    let columns = ClassificationMetric.allCases
    let rows = ([calibration.optimal] + calibration.cutpoints).map { cutpoint in
      [cutpoint.name, HTML.format(Double(cutpoint.distance))]
        + columns.map { HTML.format(Double(cutpoint[$0] ?? .nan)) }
    }
    var body =
      "<p>Optimised metric: \(HTML.escape(calibration.metric.rawValue)); strategy: "
      + "\(HTML.escape(calibration.strategy.rawValue)); \(calibration.thresholds.count) "
      + "candidate thresholds.</p>\n"
    body += HTML.table(headers: ["cutpoint", "distance"] + columns.map(\.rawValue), rows: rows)
    let unreached = calibration.unreachedTargets
    if !unreached.isEmpty {
      body +=
        "<p>Not reached at any threshold: "
        + HTML.escape(unreached.map(\.description).joined(separator: ", ")) + "</p>\n"
    }
    body += Self.figure(Chart.calibration(calibration, metrics: metrics).svg())
    add(heading, body)
  }

  /// Adds retrieval metrics as a table and a bar chart, in the given order.
  public mutating func addRetrievalMetrics(
    _ values: [(metric: RetrievalMetric, value: Float)], heading: String = "Retrieval"
  ) {
    let rows = values.map { [$0.metric.description, HTML.format(Double($0.value))] }
    add(
      heading,
      HTML.table(headers: ["metric", "value"], rows: rows)
        + Self.figure(BarChart.retrieval(values).svg()))
  }

  /// Adds a confusion matrix: accuracy, the counts and row-normalised heat maps, and each
  /// class's precision, recall, F1 and support.
  public mutating func addConfusionMatrix(
    _ matrix: ConfusionMatrix, classNames: [String] = [], heading: String = "Confusion matrix"
  ) {
    var body =
      "<p>Accuracy \(HTML.format(Double(matrix.accuracy))), unknown rate "
      + "\(HTML.format(Double(matrix.unknownRate))), macro F1 "
      + "\(HTML.format(Double(matrix.macroF1))) over \(matrix.total) queries.</p>\n"
    for values in [ConfusionMatrixPicture.Values.counts, .rowNormalized] {
      let picture = ConfusionMatrixPicture(matrix, classNames: classNames, values: values)
      body += Self.figure(HTML.image(picture.raster(), alt: picture.title))
    }
    let rows = matrix.classScores.map { score in
      [
        LabelName.of(score.label, classNames), HTML.format(Double(score.precision)),
        HTML.format(Double(score.recall)), HTML.format(Double(score.f1)), "\(score.support)",
      ]
    }
    body += HTML.table(headers: ["class", "precision", "recall", "F1", "support"], rows: rows)
    add(heading, body)
  }

  /// Adds a neighbour grid, such as queries whose nearest neighbour is right, or wrong.
  public mutating func addNeighborExamples(
    _ grid: NeighborGrid, heading: String, caption: String? = nil
  ) {
    addImage(grid.raster(), heading: heading, caption: caption)
  }

  /// Adds one section with two neighbour grids: up to `limit` queries whose nearest neighbour
  /// has the query's label, then up to `limit` whose nearest neighbour does not (in the order
  /// given). A group without queries says so instead of showing an empty picture.
  public mutating func addNeighborExamples(
    _ rows: [NeighborGrid.Row], classNames: [String] = [], limit: Int = 5,
    tileSize: Int = 84, heading: String = "Nearest neighbours"
  ) {
    let right = rows.filter(\.nearestIsRight)
    let wrong = rows.filter { !$0.nearestIsRight }
    var body = ""
    for (title, group) in [("Nearest neighbour right", right), ("Nearest neighbour wrong", wrong)] {
      body += "<h3>\(HTML.escape(title)) (\(group.count) of \(rows.count))</h3>\n"
      if group.isEmpty {
        body += "<p>No such queries.</p>\n"
      } else {
        let grid = NeighborGrid(
          rows: Array(group.prefix(limit)), classNames: classNames, tileSize: tileSize)
        body += Self.figure(HTML.image(grid.raster(), alt: title))
      }
    }
    add(heading, body)
  }

  /// Adds an interactive projector.
  public mutating func addProjector(_ projector: Projector, heading: String = "Projector") {
    add(
      heading,
      projector.htmlFragment(id: "projector-\(sections.count + 1)")
        + "<p class=\"caption\">Hover over a point to see its image and label.</p>\n")
  }

  /// The complete page.
  public func html() -> String {
    var body = "<h1>\(HTML.escape(title))</h1>\n"
    if let subtitle { body += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
    if sections.count > 1 {
      body += "<nav><ul>\n"
      for section in sections {
        body += "<li><a href=\"#\(section.anchor)\">\(HTML.escape(section.heading))</a></li>\n"
      }
      body += "</ul></nav>\n"
    }
    for section in sections {
      body +=
        "<section id=\"\(section.anchor)\">\n<h2>\(HTML.escape(section.heading))</h2>\n"
        + section.body + "</section>\n"
    }
    return HTMLPage.wrap(title: title, body: body)
  }

  /// Writes the page to `url` atomically.
  /// - Throws: ``OutputError`` naming the path when it cannot be written.
  public func write(to url: URL) throws(OutputError) {
    try OutputFile.write(html(), to: url)
  }

  private static func figure(_ content: String, caption: String? = nil) -> String {
    "<div class=\"figure\">\(content)"
      + (caption.map { "<div class=\"caption\">\(HTML.escape($0))</div>" } ?? "") + "</div>\n"
  }
}
