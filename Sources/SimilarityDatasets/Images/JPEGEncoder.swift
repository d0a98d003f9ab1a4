import CSimilarityJPEG

/// Encodes 8-bit images as baseline JPEG with libjpeg-turbo's `tjCompress2` (for benchmarks,
/// tests and exported thumbnails; writing the bytes to a file goes through SimilarityIO's
/// `AtomicFile`).
public enum JPEGEncoder {
  /// Chroma subsampling of colour images.
  public enum Subsampling: Sendable {
    /// No subsampling (4:4:4).
    case none
    /// 2 × 2 subsampling of Cb and Cr (4:2:0, what cameras and PIL write by default).
    case halfBoth
  }

  /// Why encoding failed.
  public struct EncodingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// libjpeg-turbo's message.
    public let message: String
    public var description: String { "JPEG encoding failed: \(message)" }
  }

  /// The JPEG bytes of `image` at `quality` (1…100; programmer error otherwise). Grey images
  /// are written as grey JPEGs, RGB images as YCbCr with `subsampling`.
  public static func encode(
    _ image: DecodedImage, quality: Int = 90, subsampling: Subsampling = .halfBoth
  ) throws(EncodingError) -> [UInt8] {
    precondition((1...100).contains(quality), "JPEGEncoder: quality \(quality) is not in 1…100")
    precondition(image.height > 0 && image.width > 0, "JPEGEncoder: an empty image")
    guard let handle = tjInitCompress() else {
      throw EncodingError(message: "libjpeg-turbo could not create a compressor")
    }
    defer { tjDestroy(handle) }
    let grey = image.channels == 1
    let format = grey ? TJPF_GRAY : TJPF_RGB
    let sampling = grey ? TJSAMP_GRAY : (subsampling == .none ? TJSAMP_444 : TJSAMP_420)
    var output: UnsafeMutablePointer<UInt8>? = nil
    var size: UInt = 0
    let status = image.pixels.withUnsafeBufferPointer {
      tjCompress2(
        handle, $0.baseAddress, Int32(image.width), Int32(image.width * image.channels),
        Int32(image.height), Int32(format.rawValue), &output, &size, Int32(sampling.rawValue),
        Int32(quality), 0)
    }
    defer { if let output { tjFree(output) } }
    guard status == 0, let output else {
      throw EncodingError(message: JPEGDecoder.failure(handle))
    }
    return Array(UnsafeBufferPointer(start: output, count: Int(size)))
  }
}
