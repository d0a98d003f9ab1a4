/// Where a text's anchor point sits horizontally.
enum TextAnchor: Sendable {
  case start, middle, end
}

/// Text styles of charts; a raster draws them with the ``BitmapFont`` at ``rasterScale``.
enum TextStyle: Sendable {
  case normal, bold

  /// Font size in SVG pixels.
  var svgSize: Int { self == .bold ? 15 : 12 }
  /// Bitmap-font scale on a raster.
  var rasterScale: Int { 2 }
}

/// The drawing operations charts need, implemented once for SVG and once for rasters so a
/// chart is laid out by one piece of code whatever its output. Coordinates are pixels from the
/// top left; text is vertically centred on its `y`.
protocol ChartCanvas {
  mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: Color)
  mutating func line(
    x0: Double, y0: Double, x1: Double, y1: Double, color: Color, width: Double, dashed: Bool)
  mutating func polyline(_ points: [(x: Double, y: Double)], color: Color, width: Double)
  mutating func circle(x: Double, y: Double, radius: Double, fill: Color)
  mutating func text(
    _ text: String, x: Double, y: Double, anchor: TextAnchor, color: Color, style: TextStyle,
    vertical: Bool)
  /// The width `text` takes (an estimate for SVG, whose font the browser chooses).
  func width(of text: String, style: TextStyle) -> Double
}

/// Builds an `<svg>` element.
struct SVGCanvas: ChartCanvas {
  private(set) var body = ""
  let width: Int
  let height: Int

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// The complete `<svg>` element.
  var svg: String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
      + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\">\n"
      + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n" + body + "</svg>"
  }

  private func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: Color) {
    let opacity = fill.alpha == 255 ? "" : " fill-opacity=\"\(n(Double(fill.alpha) / 255))\""
    body +=
      "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" "
      + "fill=\"\(fill.hex)\"\(opacity)/>\n"
  }

  func width(of text: String, style: TextStyle) -> Double {
    Double(text.count) * Double(style.svgSize) * 0.58
  }

  mutating func line(
    x0: Double, y0: Double, x1: Double, y1: Double, color: Color, width: Double, dashed: Bool
  ) {
    body +=
      "<line x1=\"\(n(x0))\" y1=\"\(n(y0))\" x2=\"\(n(x1))\" y2=\"\(n(y1))\" "
      + "stroke=\"\(color.hex)\" stroke-width=\"\(n(width))\""
      + (dashed ? " stroke-dasharray=\"6 4\"" : "") + "/>\n"
  }

  mutating func polyline(_ points: [(x: Double, y: Double)], color: Color, width: Double) {
    let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
    body +=
      "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color.hex)\" "
      + "stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"/>\n"
  }

  mutating func circle(x: Double, y: Double, radius: Double, fill: Color) {
    body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill.hex)\"/>\n"
  }

  mutating func text(
    _ text: String, x: Double, y: Double, anchor: TextAnchor, color: Color, style: TextStyle,
    vertical: Bool
  ) {
    let anchorName: String
    switch anchor {
    case .start: anchorName = "start"
    case .middle: anchorName = "middle"
    case .end: anchorName = "end"
    }
    let rotation = vertical ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
    let weight = style == .bold ? " font-weight=\"bold\"" : ""
    body +=
      "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchorName)\" "
      + "dominant-baseline=\"central\" font-size=\"\(style.svgSize)\" fill=\"\(color.hex)\""
      + weight + rotation + ">\(HTML.escape(text))</text>\n"
  }
}

/// Draws on a ``Raster`` with the ``BitmapFont``.
struct RasterCanvas: ChartCanvas {
  var raster: Raster

  init(width: Int, height: Int) {
    raster = Raster(width: width, height: height, fill: .white)
  }

  private func p(_ value: Double) -> Int { Int(value.rounded()) }

  func width(of text: String, style: TextStyle) -> Double {
    Double(BitmapFont.size(of: text, scale: style.rasterScale).width)
  }

  mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: Color) {
    raster.fillRect(
      x: p(x), y: p(y), width: p(x + width) - p(x), height: p(y + height) - p(y), color: fill)
  }

  mutating func line(
    x0: Double, y0: Double, x1: Double, y1: Double, color: Color, width: Double, dashed: Bool
  ) {
    raster.drawLine(
      x0: p(x0), y0: p(y0), x1: p(x1), y1: p(y1), color: color,
      thickness: max(1, p(width)), dash: dashed ? 5 : nil)
  }

  mutating func polyline(_ points: [(x: Double, y: Double)], color: Color, width: Double) {
    for (a, b) in zip(points, points.dropFirst()) {
      line(x0: a.x, y0: a.y, x1: b.x, y1: b.y, color: color, width: width, dashed: false)
    }
  }

  mutating func circle(x: Double, y: Double, radius: Double, fill: Color) {
    raster.fillCircle(x: p(x), y: p(y), radius: max(1, p(radius)), color: fill)
  }

  mutating func text(
    _ text: String, x: Double, y: Double, anchor: TextAnchor, color: Color, style: TextStyle,
    vertical: Bool
  ) {
    let scale = style.rasterScale
    let size = BitmapFont.size(of: text, scale: scale)
    guard size.width > 0 else { return }
    // Centre on the capitals, not on the descenders.
    let capHeight = BitmapFont.capHeight * scale
    let shift: Int
    switch anchor {
    case .start: shift = 0
    case .middle: shift = size.width / 2
    case .end: shift = size.width
    }
    if vertical {
      var label = Raster(width: size.width, height: size.height, fill: .transparent)
      label.drawText(text, x: 0, y: 0, color: color, scale: scale)
      if style == .bold { label.drawText(text, x: 1, y: 0, color: color, scale: scale) }
      raster.draw(
        label.rotatedCounterClockwise(), x: p(x) - capHeight / 2, y: p(y) - size.width + shift)
    } else {
      let left = p(x) - shift
      let top = p(y) - capHeight / 2
      raster.drawText(text, x: left, y: top, color: color, scale: scale)
      if style == .bold { raster.drawText(text, x: left + 1, y: top, color: color, scale: scale) }
    }
  }
}
