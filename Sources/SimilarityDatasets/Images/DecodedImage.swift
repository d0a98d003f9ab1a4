import SimilarityIO

/// An 8-bit image decoded from PNG (libpng) or JPEG (libjpeg-turbo): grey images decode to 1
/// channel, colour images to 3 (RGB); PNG alpha is composited away. The format is chosen by the
/// file's magic bytes, never by its extension.
///
/// Pixels are `[height, width, channels]`, row-major, channels last (HWC).
public struct DecodedImage: Equatable, Sendable {
  /// Rows.
  public let height: Int
  /// Columns.
  public let width: Int
  /// 1 (grey) or 3 (RGB).
  public let channels: Int
  /// `height × width × channels` bytes, row-major, channels last.
  public let pixels: [UInt8]

  /// `[height, width, channels]`.
  public var shape: [Int] { [height, width, channels] }

  /// The most bytes an image may decode to (1 GiB: 18,918 × 18,918 RGB pixels), checked
  /// against the header before the pixel buffer is allocated.
  public static let maximumBytes = 1 << 30

  /// An image from its pixels; `pixels.count` must be `height × width × channels` and
  /// `channels` 1 or 3 (programmer errors).
  public init(height: Int, width: Int, channels: Int, pixels: [UInt8]) {
    precondition(channels == 1 || channels == 3, "DecodedImage: 1 or 3 channels")
    precondition(height >= 0 && width >= 0 && pixels.count == height * width * channels,
      "DecodedImage: \(pixels.count) bytes for \(height) × \(width) × \(channels)")
    self.height = height
    self.width = width
    self.channels = channels
    self.pixels = pixels
  }

  /// Decodes PNG or JPEG bytes, chosen by their magic bytes; `path` names the source in errors.
  /// - Throws: ``ImageError`` (`unknownFormat`, `invalidImage`, `unsupportedColorSpace`).
  public static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> DecodedImage {
    switch ImageFormat.detect(bytes) {
    case .png: try PNGDecoder.decode(bytes, path: path)
    case .jpeg: try JPEGDecoder.decode(bytes, path: path)
    case nil: throw .unknownFormat(path: path, found: Array(bytes.prefix(8)))
    }
  }

  /// Reads and decodes the PNG or JPEG file at `path` (a regular file of at most
  /// ``maximumBytes``; a directory or device is refused by kind, never read).
  /// - Throws: ``ImageError``.
  public static func read(_ path: String) throws(ImageError) -> DecodedImage {
    try decode(bytes(of: path, expected: "a regular PNG or JPEG file"), path: path)
  }

  /// The bytes of the regular file at `path`, at most ``maximumBytes`` (a directory or device
  /// is refused by kind, named with `expected`, e.g. "a regular PNG file").
  /// - Throws: ``ImageError/unreadableFile(path:reason:)``.
  public static func bytes(of path: String, expected: String) throws(ImageError) -> [UInt8] {
    do {
      return try RegularFile.contents(
        of: path, expected: expected, what: "an image", limit: maximumBytes)
    } catch {
      throw .unreadableFile(path: path, reason: error.reason)
    }
  }

  /// `height × width × channels`, or `nil` when it overflows.
  static func byteCount(height: Int, width: Int, channels: Int) -> Int? {
    let area = height.multipliedReportingOverflow(by: width)
    let product = area.partialValue.multipliedReportingOverflow(by: channels)
    return area.overflow || product.overflow ? nil : product.partialValue
  }

  /// "W × H pixels × C channels decode to N bytes", for size messages.
  static func sizeText(height: Int, width: Int, channels: Int, bytes: Int?) -> String {
    "\(width) × \(height) pixels × \(channels == 1 ? "1 channel" : "\(channels) channels") "
      + "decode to \(bytes.map(String.init) ?? "more than Int.max") bytes"
  }
}
