import SimilarityEvaluation

/// Queries and their nearest neighbours as a picture (TF Similarity's `viz_neigbors_imgs`):
/// one row per query, the query image first, then its neighbours in rank order, each captioned
/// with its label and distance and framed green when its label is the query's, red otherwise.
public struct NeighborGrid: Sendable {
  /// One neighbour: its image and its lookup result (label and distance).
  public struct Neighbor: Sendable {
    public var image: PixelImage
    public var lookup: LookupResult
    public init(image: PixelImage, lookup: LookupResult) {
      self.image = image
      self.lookup = lookup
    }
  }

  /// One query and its neighbours, nearest first.
  public struct Row: Sendable {
    public var query: PixelImage
    public var queryLabel: Int?
    public var neighbors: [Neighbor]
    public init(query: PixelImage, queryLabel: Int?, neighbors: [Neighbor]) {
      self.query = query
      self.queryLabel = queryLabel
      self.neighbors = neighbors
    }

    /// Whether the nearest neighbour has the query's label.
    public var nearestIsRight: Bool {
      guard let first = neighbors.first else { return false }
      return first.lookup.label != nil && first.lookup.label == queryLabel
    }
  }

  public var rows: [Row]
  /// `classNames[label]` names a label; labels without a name are shown as numbers.
  public var classNames: [String]
  /// Side of the square each image is scaled into (by pixel repetition, at least 1×).
  public var tileSize: Int
  public var title: String?

  /// Creates a grid.
  public init(rows: [Row], classNames: [String] = [], tileSize: Int = 84, title: String? = nil) {
    precondition(tileSize >= 16, "NeighborGrid: tileSize \(tileSize) < 16")
    self.rows = rows
    self.classNames = classNames
    self.tileSize = tileSize
    self.title = title
  }

  static let frame = 4
  static let gap = 10
  static let captionHeight = 34

  /// Width of one column (tile plus frame) and height of one row (plus captions), in pixels.
  var cell: (width: Int, height: Int) {
    let captionWidth = 2 * BitmapFont.size(of: "d=0.0000", scale: 2).width / 2
    let width = max(tileSize + 2 * Self.frame, captionWidth)
    return (width, tileSize + 2 * Self.frame + Self.captionHeight)
  }

  private var titleHeight: Int { title == nil ? 0 : 30 }

  /// The top-left corner of the frame around tile `column` of row `row` (column 0 = query).
  public func tileOrigin(row: Int, column: Int) -> (x: Int, y: Int) {
    let (width, height) = cell
    return (
      Self.gap + column * (width + Self.gap), titleHeight + Self.gap + row * (height + Self.gap)
    )
  }

  /// The picture.
  public func raster() -> Raster {
    let columns = 1 + (rows.map(\.neighbors.count).max() ?? 0)
    let (cellWidth, cellHeight) = cell
    let width = Self.gap + columns * (cellWidth + Self.gap)
    let height = titleHeight + Self.gap + max(rows.count, 1) * (cellHeight + Self.gap)
    var raster = Raster(width: width, height: height, fill: .white)
    if let title {
      raster.drawText(title, x: Self.gap, y: 10, color: .ink, scale: 2)
      raster.drawText(title, x: Self.gap + 1, y: 10, color: .ink, scale: 2)
    }
    for (r, row) in rows.enumerated() {
      let queryName = LabelName.of(row.queryLabel, classNames)
      drawTile(
        row.query, frameColor: .ink, captions: ["query", queryName],
        at: tileOrigin(row: r, column: 0),
        on: &raster)
      for (n, neighbor) in row.neighbors.enumerated() {
        let right = neighbor.lookup.label != nil && neighbor.lookup.label == row.queryLabel
        drawTile(
          neighbor.image, frameColor: right ? .right : .wrong,
          captions: [
            LabelName.of(neighbor.lookup.label, classNames),
            "d=" + HTML.format(Double(neighbor.lookup.distance), digits: 3),
          ], at: tileOrigin(row: r, column: n + 1), on: &raster)
      }
    }
    return raster
  }

  private func drawTile(
    _ image: PixelImage, frameColor: Color, captions: [String], at origin: (x: Int, y: Int),
    on raster: inout Raster
  ) {
    let frame = Self.frame
    let (cellWidth, _) = cell
    let boxX = origin.x + (cellWidth - tileSize - 2 * frame) / 2
    raster.fillRect(
      x: boxX, y: origin.y, width: tileSize + 2 * frame, height: tileSize + 2 * frame,
      color: frameColor)
    raster.fillRect(
      x: boxX + frame, y: origin.y + frame, width: tileSize, height: tileSize, color: .black)
    let scale = max(1, tileSize / max(image.width, image.height))
    let drawnWidth = image.width * scale
    let drawnHeight = image.height * scale
    let picture = image.raster
    if drawnWidth <= tileSize && drawnHeight <= tileSize {
      raster.draw(
        picture, x: boxX + frame + (tileSize - drawnWidth) / 2,
        y: origin.y + frame + (tileSize - drawnHeight) / 2, scale: scale)
    } else {
      raster.draw(Self.downsampled(picture, toFit: tileSize), x: boxX + frame, y: origin.y + frame)
    }
    for (line, caption) in captions.enumerated() {
      // Scale 2 when it fits, else scale 1, else cut with a trailing "·".
      var text = caption
      let scale = BitmapFont.size(of: text, scale: 2).width <= cellWidth ? 2 : 1
      let limit = (cellWidth + 1) / (BitmapFont.advance * scale)
      if text.count > limit { text = String(text.prefix(max(limit - 1, 1))) + "·" }
      let size = BitmapFont.size(of: text, scale: scale)
      raster.drawText(
        text, x: origin.x + (cellWidth - size.width) / 2,
        y: origin.y + tileSize + 2 * frame + 3 + line * 16 + (2 - scale) * 4, color: .ink,
        scale: scale)
    }
  }

  /// Nearest-neighbour downsampling of an image larger than `side` into a `side`-pixel box.
  static func downsampled(_ image: Raster, toFit side: Int) -> Raster {
    let factor = Double(max(image.width, image.height)) / Double(side)
    let width = max(1, Int(Double(image.width) / factor))
    let height = max(1, Int(Double(image.height) / factor))
    var small = Raster(width: width, height: height)
    for y in 0..<height {
      for x in 0..<width {
        small[x, y] =
          image[
            min(Int(Double(x) * factor), image.width - 1),
            min(Int(Double(y) * factor), image.height - 1)]
      }
    }
    return small
  }
}
