import CSimilarityPNG
import Foundation
import SimilarityIO

/// An 8-bit image decoded from PNG by libpng's simplified API: grey-scale images (with or
/// without alpha) decode to 1 channel, colour images to 3 (RGB); alpha is composited away.
public struct PNGImage: Equatable, Sendable {
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

  /// The most bytes an image decodes to (1 GiB: 18,918 × 18,918 RGB pixels).
  public static let maximumBytes = 1 << 30

  /// The most decoded bytes per byte of a PNG file: deflate expands at most 1032 times, and
  /// a 1-bit palette pixel decodes to 3 bytes (24 per byte of pixel data).
  static let maximumExpansion = 1032 * 24

  /// Decodes PNG bytes; `path` names the source in errors.
  /// - Throws: ``SamplerError/invalidImage(path:reason:)`` with libpng's message, or when the
  ///   header claims more pixels than ``maximumBytes`` or than the file's compressed data can
  ///   hold (checked before the pixel buffer is allocated).
  public static func decode(_ bytes: [UInt8], path: String) throws(SamplerError) -> PNGImage {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count >= 8, Array(bytes[0..<8]) == signature else {
      throw .invalidImage(
        path: path,
        reason: "expected the PNG signature 89 50 4E 47 0D 0A 1A 0A at the start, "
          + "found \(bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " "))")
    }
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    let begun = bytes.withUnsafeBytes {
      png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count)
    }
    guard begun != 0 else {
      throw .invalidImage(path: path, reason: message(of: &image))
    }
    let isColor = (image.format & UInt32(PNG_FORMAT_FLAG_COLOR)) != 0
    image.format = isColor ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    let channels = isColor ? 3 : 1
    let height = Int(image.height)
    let width = Int(image.width)
    // The header alone sets the size of the pixel buffer: refuse sizes the file's compressed
    // data cannot hold before allocating it (a 70-byte file may claim 10⁶ × 10⁶ pixels).
    let area = height.multipliedReportingOverflow(by: width)
    let product = area.partialValue.multipliedReportingOverflow(by: channels)
    let size = area.overflow || product.overflow ? Int.max : product.partialValue
    let held = bytes.count * maximumExpansion
    guard size <= min(maximumBytes, held) else {
      png_image_free(&image)
      let pixelBytes =
        "\(width) × \(height) pixels × \(channels == 1 ? "1 channel" : "\(channels) channels") "
        + "decode to \(size) bytes"
      throw .invalidImage(
        path: path,
        reason: size > held
          ? "\(pixelBytes), more than its \(bytes.count) bytes of compressed data can hold "
            + "(\(held); a damaged or malicious header)"
          : "\(pixelBytes), more than the \(maximumBytes) an image may take")
    }
    var pixels = [UInt8](repeating: 0, count: size)
    let finished = pixels.withUnsafeMutableBytes {
      png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
    }
    guard finished != 0 else {
      let reason = message(of: &image)
      png_image_free(&image)
      throw .invalidImage(path: path, reason: reason)
    }
    return PNGImage(height: height, width: width, channels: channels, pixels: pixels)
  }

  /// Reads and decodes the PNG file at `path`.
  /// - Throws: ``SamplerError/unreadableFile(path:reason:)`` or
  ///   ``SamplerError/invalidImage(path:reason:)``.
  public static func read(_ path: String) throws(SamplerError) -> PNGImage {
    // A regular file of at most `maximumBytes` (a directory or device is refused by kind, never
    // read until memory runs out).
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.contents(
        of: path, expected: "a regular PNG file", what: "a PNG image", limit: maximumBytes)
    } catch {
      throw .unreadableFile(path: path, reason: error.reason)
    }
    return try decode(bytes, path: path)
  }

  private static func message(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      return text.isEmpty ? "libpng could not decode it" : text
    }
  }
}
