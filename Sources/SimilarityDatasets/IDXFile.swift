import Foundation

/// An array read from an IDX file: its element type, its dimensions and its raw element bytes
/// (big-endian, as stored; for `.uint8` the bytes are the values).
public struct IDXArray: Equatable, Sendable {
  /// The IDX element types (the third magic byte).
  public enum DataType: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case uint8 = 0x08
    case int8 = 0x09
    case int16 = 0x0B
    case int32 = 0x0C
    case float32 = 0x0D
    case float64 = 0x0E

    /// The size of one element in bytes.
    public var itemSize: Int {
      switch self {
      case .uint8, .int8: 1
      case .int16: 2
      case .int32, .float32: 4
      case .float64: 8
      }
    }

    public var description: String {
      switch self {
      case .uint8: "unsigned byte (0x08)"
      case .int8: "signed byte (0x09)"
      case .int16: "int16 (0x0b)"
      case .int32: "int32 (0x0c)"
      case .float32: "float32 (0x0d)"
      case .float64: "float64 (0x0e)"
      }
    }
  }

  /// The element type.
  public let dataType: DataType
  /// The dimensions, outermost first (e.g. `[10000, 28, 28]` for MNIST test images).
  public let shape: [Int]
  /// The elements' bytes in row-major order, big-endian.
  public let bytes: [UInt8]
}

/// Reads IDX files, the format of MNIST and Fashion-MNIST, gzip-compressed or not.
///
/// Layout: two zero bytes, the element type code, the number of dimensions `r`, `r` big-endian
/// `UInt32` sizes, then the elements in row-major order, big-endian.
public enum IDXFile {
  /// Reads `url`, decompressing it first when it starts with the gzip magic bytes.
  /// Throws `IDXError` or `GzipError`.
  public static func read(from url: URL) throws -> IDXArray {
    try decode(readUncompressed(url), file: url.path)
  }

  /// The file's bytes, gunzipped when the file is gzip data. Throws `IDXError.io` or `GzipError`.
  public static func readUncompressed(_ url: URL) throws -> Data {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw IDXError.io(
        file: url.path, message: "cannot read the file: \(error.localizedDescription)")
    }
    return Gzip.isGzip(data) ? try Gzip.decompress(data, file: url.path) : data
  }

  /// Decodes the uncompressed bytes of an IDX file; `file` names it in errors.
  public static func decode(_ data: Data, file: String) throws -> IDXArray {
    try data.withUnsafeBytes { raw in try decode(raw, file: file) }
  }

  private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws -> IDXArray {
    guard raw.count >= 4 else {
      if raw.count >= 2, raw[0] != 0 || raw[1] != 0 {
        throw IDXError.badMagic(file: file, found: Array(raw))
      }
      throw IDXError.truncatedHeader(file: file, expectedBytes: 4, foundBytes: raw.count)
    }
    guard raw[0] == 0, raw[1] == 0 else {
      throw IDXError.badMagic(file: file, found: Array(raw.prefix(4)))
    }
    guard let dataType = IDXArray.DataType(rawValue: raw[2]) else {
      throw IDXError.unsupportedDataType(file: file, code: raw[2])
    }
    let rank = Int(raw[3])
    guard rank > 0 else {
      throw IDXError.unexpectedRank(file: file, expected: "at least one dimension", found: 0)
    }
    let headerSize = 4 + 4 * rank
    guard raw.count >= headerSize else {
      throw IDXError.truncatedHeader(file: file, expectedBytes: headerSize, foundBytes: raw.count)
    }
    var shape: [Int] = []
    var count = 1
    var overflow = false
    for index in 0..<rank {
      let offset = 4 + 4 * index
      let size =
        Int(raw[offset]) << 24 | Int(raw[offset + 1]) << 16 | Int(raw[offset + 2]) << 8
        | Int(raw[offset + 3])
      shape.append(size)
      let (next, didOverflow) = count.multipliedReportingOverflow(by: size)
      count = next
      overflow = overflow || didOverflow
    }
    let (expectedBytes, bytesOverflow) = count.multipliedReportingOverflow(by: dataType.itemSize)
    guard !overflow, !bytesOverflow else { throw IDXError.invalidShape(file: file, shape: shape) }
    let body = raw.count - headerSize
    guard body == expectedBytes else {
      throw IDXError.dataLength(
        file: file, shape: shape, expectedBytes: expectedBytes, foundBytes: body)
    }
    return IDXArray(dataType: dataType, shape: shape, bytes: Array(raw[headerSize...]))
  }
}
