import CSimilarityJPEG

/// JPEG decoding with libjpeg-turbo's TurboJPEG API (`tjDecompressHeader3`, `tjDecompress2`):
/// grey JPEGs decode to 1 channel, YCbCr and RGB ones to 3 (RGB); CMYK and YCCK are refused.
///
/// The header is read first and the pixel count bounded before the output buffer is allocated.
/// libjpeg-turbo reports damaged data it can work around (a truncated file, a corrupt Huffman
/// code) as *warnings* and still fills the image, partly grey; every warning is treated as an
/// error here (`TJFLAG_STOPONWARNING`, and a `-1` return is never accepted whatever
/// `tjGetErrorCode` says), so a damaged file is never silently used.
enum JPEGDecoder {
  /// The most decoded bytes per byte of a JPEG file. An 8 × 8 block of three channels decodes
  /// to 192 bytes; the smallest entropy-coded block is a few bits, so real images stay far
  /// below this bound while a 200-byte header claiming 65,535² pixels is refused.
  static let maximumExpansion = 192 * 8 * 4

  /// Decodes JPEG bytes.
  /// - Throws: ``ImageError/invalidImage(path:format:reason:)`` naming libjpeg-turbo's message
  ///   (and whether it was a warning), ``ImageError/unsupportedColorSpace(path:format:colorSpace:)``
  ///   for CMYK and YCCK.
  static func decode(_ bytes: [UInt8], path: String) throws(ImageError) -> DecodedImage {
    guard ImageFormat.detect(bytes) == .jpeg else {
      throw .invalidImage(
        path: path, format: .jpeg,
        reason: "expected the JPEG marker FF D8 FF at the start, found "
          + bytes.prefix(3).map { String($0, radix: 16) }.joined(separator: " "))
    }
    guard let handle = tjInitDecompress() else {
      throw .invalidImage(
        path: path, format: .jpeg, reason: "libjpeg-turbo could not create a decompressor")
    }
    defer { tjDestroy(handle) }
    var width: Int32 = 0
    var height: Int32 = 0
    var subsampling: Int32 = 0
    var colorSpace: Int32 = 0
    let header = bytes.withUnsafeBufferPointer {
      tjDecompressHeader3(
        handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorSpace)
    }
    guard header == 0 else {
      throw .invalidImage(path: path, format: .jpeg, reason: failure(handle))
    }
    let channels: Int
    switch colorSpace {
    case Int32(TJCS_GRAY.rawValue): channels = 1
    case Int32(TJCS_RGB.rawValue), Int32(TJCS_YCbCr.rawValue): channels = 3
    case Int32(TJCS_CMYK.rawValue):
      throw .unsupportedColorSpace(path: path, format: .jpeg, colorSpace: "CMYK")
    case Int32(TJCS_YCCK.rawValue):
      throw .unsupportedColorSpace(path: path, format: .jpeg, colorSpace: "YCCK")
    default:
      throw .unsupportedColorSpace(path: path, format: .jpeg, colorSpace: "code \(colorSpace)")
    }
    let rows = Int(height)
    let columns = Int(width)
    guard rows > 0, columns > 0 else {
      throw .invalidImage(
        path: path, format: .jpeg, reason: "the header declares \(columns) × \(rows) pixels")
    }
    let size = DecodedImage.byteCount(height: rows, width: columns, channels: channels)
    let held = bytes.count.multipliedReportingOverflow(by: maximumExpansion)
    let limit = min(DecodedImage.maximumBytes, held.overflow ? .max : held.partialValue)
    guard let size, size <= limit else {
      let pixelBytes = DecodedImage.sizeText(
        height: rows, width: columns, channels: channels, bytes: size)
      throw .invalidImage(
        path: path, format: .jpeg,
        reason: (size ?? .max) > DecodedImage.maximumBytes
          ? "\(pixelBytes), more than the \(DecodedImage.maximumBytes) an image may take"
          : "\(pixelBytes), more than its \(bytes.count) bytes of compressed data can hold "
            + "(\(limit); a damaged or malicious header)")
    }
    var pixels = [UInt8](repeating: 0, count: size)
    let format = channels == 1 ? TJPF_GRAY : TJPF_RGB
    let status = bytes.withUnsafeBufferPointer { source in
      pixels.withUnsafeMutableBufferPointer { target in
        tjDecompress2(
          handle, source.baseAddress, UInt(source.count), target.baseAddress, width,
          Int32(columns * channels), height, Int32(format.rawValue),
          Int32(TJFLAG_STOPONWARNING))
      }
    }
    guard status == 0 else {
      throw .invalidImage(path: path, format: .jpeg, reason: failure(handle))
    }
    return DecodedImage(height: rows, width: columns, channels: channels, pixels: pixels)
  }

  /// libjpeg-turbo's message for the last failure on `handle`, marked when it was a warning.
  static func failure(_ handle: tjhandle) -> String {
    let text = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "libjpeg-turbo failed"
    let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
    return isWarning
      ? "\(text) (libjpeg-turbo warning: the data is damaged or truncated)" : text
  }
}
