import SimilarityEvaluation

/// A heat map of a ``ConfusionMatrix`` (TF Similarity's `confusion_matrix` plot): true labels
/// as rows, predicted labels as columns, each cell coloured by its value on ``colorScale`` and
/// printed in it, with a colour bar. The "unknown" column (queries beyond the matcher's
/// threshold) is shown when any query was predicted as unknown.
public struct ConfusionMatrixPicture: Sendable {
  /// What the cells show.
  public enum Values: Hashable, Sendable {
    /// Number of queries; colours run from 0 to the largest cell.
    case counts
    /// Each row divided by its sum (a row is the distribution of predictions for a true
    /// label); colours run from 0 to 1.
    case rowNormalized
  }

  public var matrix: ConfusionMatrix
  /// `classNames[label]` names a label; labels without a name are shown as numbers.
  public var classNames: [String]
  public var values: Values
  public var title: String
  public var colorScale: ColorScale
  /// Side of a cell in pixels.
  public var cellSize: Int

  /// Creates the picture of `matrix`.
  public init(
    _ matrix: ConfusionMatrix, classNames: [String] = [], values: Values = .counts,
    title: String? = nil, colorScale: ColorScale = .blues, cellSize: Int = 56
  ) {
    self.matrix = matrix
    self.classNames = classNames
    self.values = values
    self.title =
      title ?? (values == .counts ? "Confusion matrix" : "Confusion matrix (row-normalised)")
    self.colorScale = colorScale
    self.cellSize = cellSize
  }

  /// Whether the last, "unknown" column is drawn.
  public var showsUnknownColumn: Bool {
    matrix.counts.contains { ($0.last ?? 0) > 0 }
  }

  /// The number of columns drawn: one per label, plus unknown when it is shown.
  public var columnCount: Int { matrix.labels.count + (showsUnknownColumn ? 1 : 0) }

  /// The value shown in cell (`row`, `column`).
  public func value(row: Int, column: Int) -> Double {
    switch values {
    case .counts: return Double(matrix.counts[row][column])
    case .rowNormalized: return Double(matrix.rowNormalized[row][column])
    }
  }

  /// The fill colour of cell (`row`, `column`).
  public func cellColor(row: Int, column: Int) -> Color {
    colorScale.color(for: value(row: row, column: column), from: 0, to: upperBound)
  }

  private var upperBound: Double {
    switch values {
    case .counts: return Double(max(1, matrix.counts.flatMap { $0 }.max() ?? 1))
    case .rowNormalized: return 1
    }
  }

  private func name(ofColumn column: Int) -> String {
    column == matrix.labels.count ? "unknown" : LabelName.of(matrix.labels[column], classNames)
  }

  private func text(row: Int, column: Int) -> String {
    switch values {
    case .counts: return "\(matrix.counts[row][column])"
    case .rowNormalized: return HTML.format(value(row: row, column: column), digits: 2)
    }
  }

  /// The top-left corner of cell (0, 0) and the whole picture's size, in pixels.
  var layout: (left: Int, top: Int, width: Int, height: Int) {
    let rowNames = matrix.labels.map { LabelName.of($0, classNames) }
    let columnNames = (0..<columnCount).map(name(ofColumn:))
    let rowLabelWidth = rowNames.map { BitmapFont.size(of: $0, scale: 2).width }.max() ?? 0
    let columnLabelHeight = columnNames.map { BitmapFont.size(of: $0, scale: 2).width }.max() ?? 0
    let left = 40 + rowLabelWidth + 10
    let top = 70 + columnLabelHeight + 10
    let gridWidth = columnCount * cellSize
    let titleWidth = BitmapFont.size(of: title, scale: 2).width + 40
    let width = max(left + gridWidth + 110, titleWidth)
    let height = top + matrix.labels.count * cellSize + 30
    return (left, top, width, height)
  }

  /// The picture.
  public func raster() -> Raster {
    let (left, top, width, height) = layout
    var raster = Raster(width: width, height: height, fill: .white)
    let gridWidth = columnCount * cellSize
    let gridHeight = matrix.labels.count * cellSize
    let titleWidth = BitmapFont.size(of: title, scale: 2).width
    raster.drawText(title, x: (width - titleWidth) / 2, y: 10, color: .ink, scale: 2)
    raster.drawText(title, x: (width - titleWidth) / 2 + 1, y: 10, color: .ink, scale: 2)
    let predicted = "predicted label"
    raster.drawText(
      predicted, x: left + (gridWidth - BitmapFont.size(of: predicted, scale: 2).width) / 2,
      y: 40, color: .ink, scale: 2)
    var trueTitle = Raster(
      width: BitmapFont.size(of: "true label", scale: 2).width,
      height: BitmapFont.glyphHeight * 2, fill: .transparent)
    trueTitle.drawText("true label", x: 0, y: 0, color: .ink, scale: 2)
    let rotated = trueTitle.rotatedCounterClockwise()
    raster.draw(rotated, x: 10, y: top + (gridHeight - rotated.height) / 2)

    for row in matrix.labels.indices {
      let name = LabelName.of(matrix.labels[row], classNames)
      let size = BitmapFont.size(of: name, scale: 2)
      raster.drawText(
        name, x: left - 10 - size.width, y: top + row * cellSize + (cellSize - 14) / 2,
        color: .ink, scale: 2)
    }
    for column in 0..<columnCount {
      let name = name(ofColumn: column)
      var label = Raster(
        width: BitmapFont.size(of: name, scale: 2).width, height: 18, fill: .transparent)
      label.drawText(name, x: 0, y: 0, color: .ink, scale: 2)
      let vertical = label.rotatedCounterClockwise()
      raster.draw(
        vertical, x: left + column * cellSize + (cellSize - 14) / 2, y: top - 10 - vertical.height)
    }
    for row in matrix.labels.indices {
      for column in 0..<columnCount {
        let fill = cellColor(row: row, column: column)
        let x = left + column * cellSize
        let y = top + row * cellSize
        raster.fillRect(x: x, y: y, width: cellSize, height: cellSize, color: fill)
        let text = text(row: row, column: column)
        var scale = 2
        if BitmapFont.size(of: text, scale: 2).width > cellSize - 6 { scale = 1 }
        let size = BitmapFont.size(of: text, scale: scale)
        raster.drawText(
          text, x: x + (cellSize - size.width) / 2,
          y: y + (cellSize - BitmapFont.capHeight * scale) / 2,
          color: fill.luminance < 0.5 ? .white : .ink, scale: scale)
      }
    }
    raster.strokeRect(
      x: left - 1, y: top - 1, width: gridWidth + 2, height: gridHeight + 2, color: .ink)
    drawColorBar(on: &raster, x: left + gridWidth + 20, top: top, height: gridHeight)
    return raster
  }

  private func drawColorBar(on raster: inout Raster, x: Int, top: Int, height: Int) {
    guard height > 0 else { return }
    for offset in 0..<height {
      let fraction = 1 - Double(offset) / Double(max(height - 1, 1))
      raster.fillRect(
        x: x, y: top + offset, width: 16, height: 1,
        color: colorScale.color(for: fraction, from: 0, to: 1))
    }
    raster.strokeRect(x: x - 1, y: top - 1, width: 18, height: height + 2, color: .ink)
    let high = values == .counts ? "\(Int(upperBound))" : "1"
    raster.drawText(high, x: x + 22, y: top, color: .ink, scale: 2)
    raster.drawText("0", x: x + 22, y: top + height - 14, color: .ink, scale: 2)
  }
}

/// Names of labels for pictures and tables.
enum LabelName {
  /// `names[label]` when there is one, else the number; `unknown` for `nil`.
  static func of(_ label: Int?, _ names: [String]) -> String {
    guard let label else { return "unknown" }
    return names.indices.contains(label) ? names[label] : "\(label)"
  }
}
