import CSimilarityPNG
import Foundation

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

  /// Decodes PNG bytes; `path` names the source in errors.
  /// - Throws: ``SamplerError/invalidImage(path:reason:)`` with libpng's message.
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
    var pixels = [UInt8](repeating: 0, count: height * width * channels)
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
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadableFile(path: path, reason: "missing or not readable")
    }
    return try decode(Array(data), path: path)
  }

  private static func message(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      return text.isEmpty ? "libpng could not decode it" : text
    }
  }
}
