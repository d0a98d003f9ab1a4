/// Why an image could not be read, decoded or prepared. Every case names the file, what was
/// expected and what was found.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file could not be read (missing, not a regular file, too large, an I/O error).
  case unreadableFile(path: String, reason: String)
  /// The first bytes are neither the PNG signature nor a JPEG start-of-image marker.
  case unknownFormat(path: String, found: [UInt8])
  /// The decoder refused the bytes (corrupt or truncated data, a header claiming more pixels
  /// than allowed); `reason` is the decoder's message or the size check that failed.
  case invalidImage(path: String, format: ImageFormat, reason: String)
  /// The image uses a colour space other than grey, RGB or YCbCr (e.g. CMYK).
  case unsupportedColorSpace(path: String, format: ImageFormat, colorSpace: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .unreadableFile(let path, _), .unknownFormat(let path, _), .invalidImage(let path, _, _),
      .unsupportedColorSpace(let path, _, _):
      path
    }
  }

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "\(path): cannot be read: \(reason)"
    case .unknownFormat(let path, let found):
      let hex = found.map { String($0, radix: 16) }.joined(separator: " ")
      return "\(path): not a PNG or JPEG image: expected the PNG signature 89 50 4e 47 "
        + "or the JPEG marker ff d8 ff at the start, found \(hex.isEmpty ? "an empty file" : hex)"
    case .invalidImage(let path, let format, let reason):
      return "\(path): not a valid \(format) image: \(reason)"
    case .unsupportedColorSpace(let path, let format, let colorSpace):
      return "\(path): \(format) image in the \(colorSpace) colour space; expected grey, RGB "
        + "or YCbCr (convert it to RGB first)"
    }
  }
}

/// The image file formats swift-similarity decodes, recognised by their first bytes.
public enum ImageFormat: String, CaseIterable, Equatable, Sendable, CustomStringConvertible {
  /// Portable Network Graphics (libpng).
  case png = "PNG"
  /// JPEG / JFIF (libjpeg-turbo).
  case jpeg = "JPEG"

  /// The format whose magic bytes start `bytes`, or `nil`.
  public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
    if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
    return nil
  }

  public var description: String { rawValue }
}
