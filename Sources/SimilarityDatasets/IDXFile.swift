import Foundation
import SimilarityIO

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

  /// The file's bytes, gunzipped when the file is gzip data. Throws `IDXError` or `GzipError`.
  ///
  /// Nothing beyond the content's size is read or inflated: with `maximumBytes` (the size a
  /// catalogued file must have) a larger file is refused and gzip data stops inflating one byte
  /// past it; without it the limit is the size the IDX header declares, checked first.
  public static func readUncompressed(_ url: URL, maximumBytes: Int? = nil) throws -> Data {
    let path = url.path
    do {
      let file = try RegularFile(path: path, expected: "a regular IDX file (optionally gzipped)")
      let magic = try file.read(0..<min(file.size, 2))
      if magic == [0x1F, 0x8B] {
        let data = Data(try file.readAll(limit: maximumCompressedBytes, what: "a gzipped IDX file"))
        let limit =
          try maximumBytes
          ?? header(of: Gzip.prefix(maximumHeaderBytes, of: data, file: path), file: path)
          .totalBytes
        return try Gzip.decompress(data, file: path, maximumBytes: limit)
      }
      if let maximumBytes {
        return Data(try file.readAll(limit: maximumBytes, what: "this data set file"))
      }
      let declared = try header(
        of: Data(try file.read(0..<min(file.size, maximumHeaderBytes))), file: path)
      guard declared.totalBytes == file.size else {
        throw IDXError.dataLength(
          file: path, shape: declared.shape, expectedBytes: declared.totalBytes - declared.size,
          foundBytes: file.size - declared.size)
      }
      return Data(try file.read(0..<file.size))
    } catch let error as FileReadError {
      throw IDXError.io(file: path, message: error.reason)
    }
  }

  /// The largest header: 4 bytes and 255 dimensions.
  static let maximumHeaderBytes = 4 + 4 * 255
  /// The largest gzipped IDX file read (4 GiB).
  static let maximumCompressedBytes = 1 << 32

  /// Decodes the uncompressed bytes of an IDX file; `file` names it in errors.
  public static func decode(_ data: Data, file: String) throws -> IDXArray {
    let header = try header(of: data, file: file)
    let body = data.count - header.size
    guard body == header.totalBytes - header.size else {
      throw IDXError.dataLength(
        file: file, shape: header.shape, expectedBytes: header.totalBytes - header.size,
        foundBytes: body)
    }
    return IDXArray(
      dataType: header.dataType, shape: header.shape, bytes: Array(data.dropFirst(header.size)))
  }

  /// The header at the start of `data` (which may be just a prefix of the file): element type,
  /// shape, header size and the total file size it declares (checked for overflow).
  static func header(of data: Data, file: String) throws
    -> (dataType: IDXArray.DataType, shape: [Int], size: Int, totalBytes: Int)
  {
    let raw = Array(data.prefix(maximumHeaderBytes))
    guard raw.count >= 4 else {
      if raw.count >= 2, raw[0] != 0 || raw[1] != 0 {
        throw IDXError.badMagic(file: file, found: raw)
      }
      throw IDXError.truncatedHeader(file: file, expectedBytes: 4, foundBytes: data.count)
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
      throw IDXError.truncatedHeader(file: file, expectedBytes: headerSize, foundBytes: data.count)
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
    let (dataBytes, bytesOverflow) = count.multipliedReportingOverflow(by: dataType.itemSize)
    let (total, totalOverflow) = dataBytes.addingReportingOverflow(headerSize)
    guard !overflow, !bytesOverflow, !totalOverflow else {
      throw IDXError.invalidShape(file: file, shape: shape)
    }
    return (dataType, shape, headerSize, total)
  }
}
