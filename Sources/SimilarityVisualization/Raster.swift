/// An RGBA image in memory with simple drawing: filled and framed rectangles, lines, discs,
/// other rasters (scaled by pixel repetition) and text in the built-in ``BitmapFont``.
///
/// Coordinates are pixels, x to the right and y down from the top-left corner; drawing outside
/// the raster is clipped. Colours with alpha below 255 are blended over what is there
/// ("source over"); the raster's own alpha is kept for PNG output.
public struct Raster: Hashable, Sendable {
  /// Width in pixels (≥ 1).
  public let width: Int
  /// Height in pixels (≥ 1).
  public let height: Int
  /// `height · width · 4` bytes: red, green, blue, alpha per pixel, row-major.
  public var pixels: [UInt8]

  /// Creates a `width × height` raster filled with `fill`.
  public init(width: Int, height: Int, fill: Color = .white) {
    precondition(width > 0 && height > 0, "Raster: size \(width)×\(height) must be positive")
    self.width = width
    self.height = height
    var row = [UInt8]()
    row.reserveCapacity(width * 4)
    for _ in 0..<width { row += [fill.red, fill.green, fill.blue, fill.alpha] }
    pixels = Array([[UInt8]](repeating: row, count: height).joined())
  }

  /// Whether every pixel is opaque (a PNG can then drop the alpha channel).
  public var isOpaque: Bool {
    stride(from: 3, to: pixels.count, by: 4).allSatisfy { pixels[$0] == 255 }
  }

  /// The colour of pixel (`x`, `y`), which must be inside the raster; setting replaces it.
  public subscript(x: Int, y: Int) -> Color {
    get {
      precondition(contains(x: x, y: y), "Raster: (\(x), \(y)) outside \(width)×\(height)")
      let i = (y * width + x) * 4
      return Color(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2], alpha: pixels[i + 3])
    }
    set {
      precondition(contains(x: x, y: y), "Raster: (\(x), \(y)) outside \(width)×\(height)")
      let i = (y * width + x) * 4
      pixels[i] = newValue.red
      pixels[i + 1] = newValue.green
      pixels[i + 2] = newValue.blue
      pixels[i + 3] = newValue.alpha
    }
  }

  /// Whether (`x`, `y`) is inside the raster.
  public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

  /// Paints one pixel, blending `color` over it; outside the raster nothing happens.
  public mutating func plot(x: Int, y: Int, color: Color) {
    guard contains(x: x, y: y), color.alpha > 0 else { return }
    if color.alpha == 255 {
      self[x, y] = color
      return
    }
    let below = self[x, y]
    let a = Double(color.alpha) / 255
    let outAlpha = a + Double(below.alpha) / 255 * (1 - a)
    var blended = below.mixed(with: color, fraction: outAlpha == 0 ? 0 : a / outAlpha)
    blended.alpha = UInt8((outAlpha * 255).rounded())
    self[x, y] = blended
  }

  /// Fills the rectangle with top-left corner (`x`, `y`).
  public mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: Color) {
    let x0 = max(x, 0)
    let y0 = max(y, 0)
    let x1 = min(x + width, self.width)
    let y1 = min(y + height, self.height)
    guard x0 < x1, y0 < y1 else { return }
    if color.alpha == 255 {
      let rowWidth = self.width
      pixels.withUnsafeMutableBufferPointer { buffer in
        for row in y0..<y1 {
          var i = (row * rowWidth + x0) * 4
          for _ in x0..<x1 {
            buffer[i] = color.red
            buffer[i + 1] = color.green
            buffer[i + 2] = color.blue
            buffer[i + 3] = 255
            i += 4
          }
        }
      }
      return
    }
    for row in y0..<y1 {
      for column in x0..<x1 { plot(x: column, y: row, color: color) }
    }
  }

  /// Draws a frame `thickness` pixels wide just inside the rectangle.
  public mutating func strokeRect(
    x: Int, y: Int, width: Int, height: Int, color: Color, thickness: Int = 1
  ) {
    let t = min(thickness, width / 2 + 1, height / 2 + 1)
    fillRect(x: x, y: y, width: width, height: t, color: color)
    fillRect(x: x, y: y + height - t, width: width, height: t, color: color)
    fillRect(x: x, y: y + t, width: t, height: height - 2 * t, color: color)
    fillRect(x: x + width - t, y: y + t, width: t, height: height - 2 * t, color: color)
  }

  /// Draws a straight line (Bresenham) with a square pen `thickness` pixels wide. With a
  /// `dash` length, the line alternates `dash` pixels drawn and `dash` pixels skipped.
  public mutating func drawLine(
    x0: Int, y0: Int, x1: Int, y1: Int, color: Color, thickness: Int = 1, dash: Int? = nil
  ) {
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var error = dx + dy
    var x = x0
    var y = y0
    var step = 0
    let offset = (thickness - 1) / 2
    while true {
      if dash.map({ (step / max($0, 1)) % 2 == 0 }) ?? true {
        fillRect(x: x - offset, y: y - offset, width: thickness, height: thickness, color: color)
      }
      if x == x1 && y == y1 { break }
      let doubled = 2 * error
      if doubled >= dy {
        error += dy
        x += sx
      }
      if doubled <= dx {
        error += dx
        y += sy
      }
      step += 1
    }
  }

  /// Fills the disc of `radius` pixels around (`x`, `y`).
  public mutating func fillCircle(x: Int, y: Int, radius: Int, color: Color) {
    guard radius >= 0 else { return }
    let limit = radius * radius + radius
    for dy in -radius...radius {
      for dx in -radius...radius where dx * dx + dy * dy <= limit {
        plot(x: x + dx, y: y + dy, color: color)
      }
    }
  }

  /// Draws `image` with its top-left corner at (`x`, `y`), each of its pixels as a
  /// `scale × scale` block, blended over what is there.
  public mutating func draw(_ image: Raster, x: Int, y: Int, scale: Int = 1) {
    precondition(scale >= 1, "Raster.draw: scale \(scale)")
    for row in 0..<image.height {
      for column in 0..<image.width {
        let color = image[column, row]
        if scale == 1 {
          plot(x: x + column, y: y + row, color: color)
        } else {
          fillRect(
            x: x + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
        }
      }
    }
  }

  /// The raster turned a quarter turn counter-clockwise (for vertical axis titles).
  public func rotatedCounterClockwise() -> Raster {
    var rotated = Raster(width: height, height: width, fill: .transparent)
    for y in 0..<height {
      for x in 0..<width { rotated[y, width - 1 - x] = self[x, y] }
    }
    return rotated
  }

  /// Draws `text` in the ``BitmapFont`` with its top-left corner at (`x`, `y`), each font pixel
  /// a `scale × scale` block. Characters the font lacks are drawn as `?`.
  public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
    var penX = x
    for character in text {
      let glyph = BitmapFont.glyph(for: character)
      for (row, bits) in glyph.enumerated() {
        for column in 0..<BitmapFont.glyphWidth
        where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
          fillRect(
            x: penX + column * scale, y: y + row * scale, width: scale, height: scale,
            color: color)
        }
      }
      penX += BitmapFont.advance * scale
    }
  }
}
