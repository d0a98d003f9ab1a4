import Foundation
import SimilarityIO

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0; little-endian, C order).
///
/// Layout: the magic `\x93NUMPY`, a major and a minor version byte, the header length
/// (little-endian `UInt16` in version 1, `UInt32` in versions 2 and 3), the header — a Python dict
/// literal padded with spaces and ended by `\n` — and then the raw elements.
public enum NPYFile {
  /// The six bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
  /// The total preamble + header length is padded to a multiple of this (NumPy uses 64).
  static let alignment = 64

  /// Reads the array stored in `url`. Throws `NPYError`.
  public static func read(from url: URL) throws -> NPYArray {
    let bytes = try NPYLayout.readCheckedFile(url)
    return try bytes.withUnsafeBytes { raw in try decode(raw, file: url.path) }
  }

  /// Writes `array` to `url` through SimilarityIO's `AtomicFile` (temporary file in the same
  /// directory, `fsync`, rename; a symbolic link is followed, a directory or device refused).
  /// Uses format version 1.0 unless the header needs more than 65535 bytes. Throws `NPYError`.
  public static func write(_ array: NPYArray, to url: URL) throws {
    do {
      try AtomicFile.write(encode(array), to: url)
    } catch {
      throw NPYError.io(file: error.path, message: "cannot write the file: \(error.reason)")
    }
  }

  /// Decodes the bytes of a `.npy` file; `file` names it in error messages.
  public static func decode(_ data: Data, file: String) throws -> NPYArray {
    try data.withUnsafeBytes { raw in try decode(raw, file: file) }
  }

  /// Encodes `array` as the bytes of a `.npy` file.
  public static func encode(_ array: NPYArray) -> Data {
    let header = NPYHeader(descr: array.elementType.descr, fortranOrder: false, shape: array.shape)
    var dict = Array(header.dictLiteral.utf8)
    // Version 1.0 has a 10-byte preamble and a UInt16 length; 2.0 has 12 bytes and a UInt32.
    let fitsVersion1 = padded(dictCount: dict.count, preamble: 10) - 10 <= Int(UInt16.max)
    let preamble = fitsVersion1 ? 10 : 12
    let total = padded(dictCount: dict.count, preamble: preamble)
    dict += [UInt8](repeating: UInt8(ascii: " "), count: total - preamble - dict.count - 1)
    dict.append(UInt8(ascii: "\n"))
    var out = Data(magic)
    out.reserveCapacity(total + array.count * array.elementType.itemSize)
    if fitsVersion1 {
      out += [1, 0]
      out += littleEndianBytes(UInt16(dict.count))
    } else {
      out += [2, 0]
      out += littleEndianBytes(UInt32(dict.count))
    }
    out += dict
    switch array.storage {
    case .float32(let values): out += LittleEndianCoding.encode(values)
    case .float64(let values): out += LittleEndianCoding.encode(values)
    case .int32(let values): out += LittleEndianCoding.encode(values)
    case .int64(let values): out += LittleEndianCoding.encode(values)
    case .uint8(let values): out += values
    case .uint64(let values): out += LittleEndianCoding.encode(values)
    }
    return out
  }

  private static func padded(dictCount: Int, preamble: Int) -> Int {
    // At least one byte for the terminating newline.
    let unpadded = preamble + dictCount + 1
    return (unpadded + alignment - 1) / alignment * alignment
  }

  private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }

  private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws -> NPYArray {
    let headerEnd = try NPYLayout.headerEnd(
      UnsafeRawBufferPointer(rebasing: raw.prefix(12)), fileSize: raw.count, file: file)
    let layout = try NPYLayout(
      header: UnsafeRawBufferPointer(rebasing: raw.prefix(headerEnd)), file: file)
    let body = UnsafeRawBufferPointer(rebasing: raw[layout.dataStart...])
    guard body.count == layout.dataBytes else {
      throw NPYError.dataLength(file: file, expectedBytes: layout.dataBytes, foundBytes: body.count)
    }
    let storage: NPYArray.Storage
    switch layout.elementType {
    case .float32:
      storage = .float32(LittleEndianCoding.decode(body, as: Float.self))
    case .float64:
      storage = .float64(LittleEndianCoding.decode(body, as: Double.self))
    case .int32: storage = .int32(LittleEndianCoding.decode(body, as: Int32.self))
    case .int64: storage = .int64(LittleEndianCoding.decode(body, as: Int64.self))
    case .uint8: storage = .uint8(Array(body))
    case .uint64: storage = .uint64(LittleEndianCoding.decode(body, as: UInt64.self))
    }
    return try NPYArray(shape: layout.shape, storage: storage)
  }
}
