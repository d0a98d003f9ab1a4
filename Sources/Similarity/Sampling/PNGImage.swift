import SimilarityDatasets

/// An 8-bit image decoded from PNG by libpng's simplified API: grey-scale images (with or
/// without alpha) decode to 1 channel, colour images to 3 (RGB); alpha is composited away.
///
/// PNG-only face of SimilarityDatasets' ``DecodedImage`` (which also decodes JPEG and picks
/// the format by its magic bytes), kept for code that wants PNG and ``SamplerError``.
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

  /// The most bytes an image decodes to (``DecodedImage/maximumBytes``, 1 GiB).
  public static let maximumBytes = DecodedImage.maximumBytes

  /// Decodes PNG bytes; `path` names the source in errors.
  /// - Throws: ``SamplerError/invalidImage(path:reason:)`` with libpng's message, when the bytes
  ///   are not PNG, or when the header claims more pixels than ``maximumBytes`` or than the
  ///   file's compressed data can hold (checked before the pixel buffer is allocated).
  public static func decode(_ bytes: [UInt8], path: String) throws(SamplerError) -> PNGImage {
    guard ImageFormat.detect(bytes) == .png else {
      throw .invalidImage(
        path: path,
        reason: "expected the PNG signature 89 50 4E 47 0D 0A 1A 0A at the start, "
          + "found \(bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " "))")
    }
    do {
      return PNGImage(try DecodedImage.decode(bytes, path: path))
    } catch {
      throw SamplerError(error)
    }
  }

  /// Reads and decodes the PNG file at `path`.
  /// - Throws: ``SamplerError/unreadableFile(path:reason:)`` or
  ///   ``SamplerError/invalidImage(path:reason:)``.
  public static func read(_ path: String) throws(SamplerError) -> PNGImage {
    let bytes: [UInt8]
    do {
      bytes = try DecodedImage.bytes(of: path, expected: "a regular PNG file")
    } catch {
      throw SamplerError(error)
    }
    return try decode(bytes, path: path)
  }

  init(_ image: DecodedImage) {
    height = image.height
    width = image.width
    channels = image.channels
    pixels = image.pixels
  }
}

extension SamplerError {
  /// The sampler error of an image error (same file, same reason).
  init(_ error: ImageError) {
    switch error {
    case .unreadableFile(let path, let reason):
      self = .unreadableFile(path: path, reason: reason)
    case .invalidImage(let path, .png, let reason):
      self = .invalidImage(path: path, reason: reason)
    case .invalidImage, .unknownFormat, .unsupportedColorSpace:
      self = .source(.image(error))
    }
  }

  /// The sampler error of a source error: the cases samplers always had keep their names.
  init(_ error: SourceError) {
    switch error {
    case .notADirectory(let path): self = .notADirectory(path: path)
    case .noClassFolders(let path): self = .noClassFolders(path: path)
    case .emptyClassFolder(let path): self = .emptyClassFolder(path: path)
    case .shapeMismatch(let path, let expected, let found):
      self = .imageShapeMismatch(path: path, expected: expected, found: found)
    case .image(let error): self = SamplerError(error)
    default: self = .source(error)
    }
  }
}
