import CSimilarityPNG

/// PNG decoding with libpng's simplified API (`png_image_begin_read_from_memory`,
/// `png_image_finish_read`): grey (with or without alpha) to 1 channel, colour to 3 (RGB).
enum PNGDecoder {
  /// The most decoded bytes per byte of a PNG file: deflate expands at most 1032 times, and
  /// a 1-bit palette pixel decodes to 3 bytes (24 per byte of pixel data).
  static let maximumExpansion = 1032 * 24

  /// Decodes PNG bytes (their signature already checked by the caller or here).
  /// - Throws: ``ImageError/invalidImage(path:format:reason:)`` with libpng's message, or when
  ///   the header claims more pixels than ``DecodedImage/maximumBytes`` or than the file's
  ///   compressed data can hold (checked before the pixel buffer is allocated).
  static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> DecodedImage {
    guard ImageFormat.detect(bytes) == .png else {
      throw .invalidImage(
        path: path, format: .png,
        reason: "expected the PNG signature 89 50 4E 47 0D 0A 1A 0A at the start, "
          + "found \(bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " "))")
    }
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    let begun = bytes.withUnsafeBytes {
      png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count)
    }
    guard begun != 0 else {
      throw .invalidImage(path: path, format: .png, reason: message(of: &image))
    }
    let isColor = (image.format & UInt32(PNG_FORMAT_FLAG_COLOR)) != 0
    image.format = isColor ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    let channels = isColor ? 3 : 1
    let height = Int(image.height)
    let width = Int(image.width)
    // The header alone sets the size of the pixel buffer: refuse sizes the file's compressed
    // data cannot hold before allocating it (a 70-byte file may claim 10⁶ × 10⁶ pixels).
    let size = DecodedImage.byteCount(height: height, width: width, channels: channels)
    let held = bytes.count * maximumExpansion
    guard let size, size <= min(DecodedImage.maximumBytes, held) else {
      png_image_free(&image)
      let pixelBytes = DecodedImage.sizeText(
        height: height, width: width, channels: channels, bytes: size)
      throw .invalidImage(
        path: path, format: .png,
        reason: (size ?? .max) > held
          ? "\(pixelBytes), more than its \(bytes.count) bytes of compressed data can hold "
            + "(\(held); a damaged or malicious header)"
          : "\(pixelBytes), more than the \(DecodedImage.maximumBytes) an image may take")
    }
    var pixels = [UInt8](repeating: 0, count: size)
    let finished = pixels.withUnsafeMutableBytes {
      png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
    }
    guard finished != 0 else {
      let reason = message(of: &image)
      png_image_free(&image)
      throw .invalidImage(path: path, format: .png, reason: reason)
    }
    return DecodedImage(height: height, width: width, channels: channels, pixels: pixels)
  }

  private static func message(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let text = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      return text.isEmpty ? "libpng could not decode it" : text
    }
  }
}
