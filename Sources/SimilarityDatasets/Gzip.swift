import CSimilarityZlib
import Foundation

/// Why gzip data could not be decompressed. Every case names the file.
public enum GzipError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The data does not start with the gzip magic bytes 1f 8b.
  case notGzip(file: String)
  /// zlib rejected the data (bad header, bad block, CRC or length mismatch), with its message.
  case corrupt(file: String, message: String)
  /// The data ends before the end of the compressed stream.
  case truncated(file: String, compressedBytes: Int)
  /// zlib could not be initialised (out of memory or a library version mismatch).
  case zlib(file: String, code: Int32)
  /// The data inflates to more than `limit` bytes, the most its content can be; inflating
  /// stopped there.
  case tooLarge(file: String, limit: Int)

  public var description: String {
    switch self {
    case .notGzip(let file):
      return "\(file): not gzip data (expected the magic bytes 1f 8b)"
    case .corrupt(let file, let message):
      return "\(file): corrupt gzip data: \(message)"
    case .truncated(let file, let compressedBytes):
      return "\(file): truncated gzip data: the stream ends after \(compressedBytes) compressed "
        + "bytes without its end marker — the download may be incomplete"
    case .tooLarge(let file, let limit):
      return "\(file): gzip data inflates past \(limit) bytes, the expected size; stopped there "
        + "(a damaged or malicious file)"
    case .zlib(let file, let code):
      return "\(file): zlib failed to initialise (code \(code))"
    }
  }
}

/// Whole-buffer gzip decompression with the system zlib.
public enum Gzip {
  /// Whether `data` starts with the gzip magic bytes.
  public static func isGzip(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
  }

  /// Decompresses gzip `data` (all members, if several are concatenated); `file` names it in
  /// errors. Throws `GzipError`.
  ///
  /// Inflating stops as soon as the output exceeds `maximumBytes` (the content's expected
  /// size), so a small file that inflates to gigabytes costs at most `maximumBytes + 1` bytes;
  /// it then throws ``GzipError/tooLarge(file:limit:)``.
  public static func decompress(_ data: Data, file: String, maximumBytes: Int = .max) throws
    -> Data
  {
    guard isGzip(data) else { throw GzipError.notGzip(file: file) }
    return try data.withUnsafeBytes { raw in
      try inflate(raw, file: file, limit: maximumBytes, prefixOnly: false)
    }
  }

  /// The first `count` bytes of the decompressed content (fewer if it is shorter), inflating
  /// no further; for reading a header before deciding how much to inflate. Throws `GzipError`.
  public static func prefix(_ count: Int, of data: Data, file: String) throws -> Data {
    guard isGzip(data) else { throw GzipError.notGzip(file: file) }
    return try data.withUnsafeBytes { raw in
      try inflate(raw, file: file, limit: count, prefixOnly: true)
    }
  }

  /// Inflates `input` up to `limit` bytes: beyond it, returns the first `limit` bytes when
  /// `prefixOnly`, else throws ``GzipError/tooLarge(file:limit:)``.
  private static func inflate(
    _ input: UnsafeRawBufferPointer, file: String, limit: Int, prefixOnly: Bool
  ) throws -> Data {
    var stream = z_stream()
    // 15 + 32: a 32 KiB window, and let zlib detect the gzip (or zlib) wrapper itself.
    let initCode = inflateInit2_(
      &stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard initCode == Z_OK else { throw GzipError.zlib(file: file, code: initCode) }
    defer { inflateEnd(&stream) }

    // One byte beyond the limit tells an overrun from content of exactly `limit` bytes.
    let cap = limit == .max ? limit : limit + 1
    var output = Data(count: min(initialCapacity(for: input), cap))
    var produced = 0
    var consumed = 0
    let base = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
    while true {
      if produced > limit {
        guard prefixOnly else { throw GzipError.tooLarge(file: file, limit: limit) }
        output.count = limit
        return output
      }
      if produced == output.count { output.count = min(max(output.count * 2, 1 << 16), cap) }
      let remainingIn = min(input.count - consumed, Int(UInt32.max))
      let remainingOut = min(output.count - produced, Int(UInt32.max))
      stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
      stream.avail_in = uInt(remainingIn)
      let code: Int32 = output.withUnsafeMutableBytes { out in
        stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
        stream.avail_out = uInt(remainingOut)
        return CSimilarityZlib.inflate(&stream, Z_NO_FLUSH)
      }
      consumed += remainingIn - Int(stream.avail_in)
      produced += remainingOut - Int(stream.avail_out)
      switch code {
      case Z_STREAM_END:
        // Another gzip member may follow (as `cat a.gz b.gz` produces); trailing zeros are padding.
        let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
        if rest.count >= 2, rest[0] == 0x1F, rest[1] == 0x8B {
          inflateReset(&stream)
          continue
        }
        guard rest.allSatisfy({ $0 == 0 }) else {
          throw GzipError.corrupt(
            file: file, message: "\(rest.count) bytes of trailing garbage after the gzip stream")
        }
        output.count = produced
        return output
      case Z_OK:
        continue
      case Z_BUF_ERROR:
        // No progress possible: with output space left this means the input ran out.
        if produced < output.count, consumed == input.count {
          throw GzipError.truncated(file: file, compressedBytes: input.count)
        }
        continue
      case Z_NEED_DICT, Z_DATA_ERROR:
        let message = stream.msg.map { String(cString: $0) } ?? "invalid compressed data"
        throw GzipError.corrupt(file: file, message: message)
      default:
        throw GzipError.zlib(file: file, code: code)
      }
    }
  }

  /// The uncompressed size recorded in the last gzip trailer (modulo 2³²), used as a first guess.
  private static func initialCapacity(for input: UnsafeRawBufferPointer) -> Int {
    guard input.count >= 18 else { return 1 << 16 }
    let n = input.count
    let size =
      Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16
      | Int(input[n - 1]) << 24
    return min(max(size, 1 << 16), 1 << 30)
  }
}
