/// An input image as raw 8-bit bytes, as data sets store them: grayscale (MNIST), RGB or RGBA,
/// row-major, channels interleaved.
public struct PixelImage: Hashable, Sendable {
  /// The layout of one pixel.
  public enum Format: Int, Hashable, Sendable, CaseIterable {
    /// One byte per pixel, 0 = black.
    case gray = 1
    /// Red, green, blue.
    case rgb = 3
    /// Red, green, blue, alpha (straight alpha).
    case rgba = 4

    /// Bytes per pixel.
    public var channels: Int { rawValue }
  }

  /// Width in pixels.
  public let width: Int
  /// Height in pixels.
  public let height: Int
  /// The pixel layout.
  public let format: Format
  /// `height · width · format.channels` bytes, row-major.
  public let bytes: [UInt8]

  /// Wraps `bytes` of a `width × height` image; their count must be
  /// `width · height · format.channels`.
  public init(width: Int, height: Int, format: Format, bytes: [UInt8]) {
    precondition(width > 0 && height > 0, "PixelImage: size \(width)×\(height)")
    precondition(
      bytes.count == width * height * format.channels,
      "PixelImage: \(width)×\(height) \(format) needs \(width * height * format.channels) bytes, "
        + "got \(bytes.count)")
    self.width = width
    self.height = height
    self.format = format
    self.bytes = bytes
  }

  /// A grayscale image from floats: `values[i]` of `scale` (1 for data in 0…1, 255 for 0…255)
  /// maps to white, 0 to black; values outside are clamped.
  public init(width: Int, height: Int, grayValues values: [Float], scale: Float = 1) {
    let bytes = values.map { value -> UInt8 in
      let v = (value / scale * 255).rounded()
      return v.isNaN ? 0 : UInt8(min(max(v, 0), 255))
    }
    self.init(width: width, height: height, format: .gray, bytes: bytes)
  }

  /// The colour of pixel (`x`, `y`).
  public func color(x: Int, y: Int) -> Color {
    let base = (y * width + x) * format.channels
    switch format {
    case .gray: return Color(gray: bytes[base])
    case .rgb: return Color(red: bytes[base], green: bytes[base + 1], blue: bytes[base + 2])
    case .rgba:
      return Color(
        red: bytes[base], green: bytes[base + 1], blue: bytes[base + 2], alpha: bytes[base + 3])
    }
  }

  /// The image as an RGBA raster.
  public var raster: Raster {
    var raster = Raster(width: width, height: height, fill: .transparent)
    for y in 0..<height {
      for x in 0..<width { raster[x, y] = color(x: x, y: y) }
    }
    return raster
  }
}
