/// Why an IDX file (the MNIST format) could not be read. Every case names the file.
public enum IDXError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file could not be opened or read (the system's message).
  case io(file: String, message: String)
  /// The file is shorter than the 4-byte magic plus one 4-byte size per dimension.
  case truncatedHeader(file: String, expectedBytes: Int, foundBytes: Int)
  /// The first two bytes are not zero.
  case badMagic(file: String, found: [UInt8])
  /// The third byte names no IDX element type.
  case unsupportedDataType(file: String, code: UInt8)
  /// The fourth byte (the number of dimensions) is zero, or not the rank the caller needs.
  case unexpectedRank(file: String, expected: String, found: Int)
  /// The element type is not the one the caller needs.
  case unexpectedDataType(file: String, expected: IDXArray.DataType, found: IDXArray.DataType)
  /// The product of the dimensions overflows.
  case invalidShape(file: String, shape: [Int])
  /// The data after the header is not exactly `shape.product × itemSize` bytes.
  case dataLength(file: String, shape: [Int], expectedBytes: Int, foundBytes: Int)

  public var description: String {
    switch self {
    case .io(let file, let message):
      return "\(file): \(message)"
    case .truncatedHeader(let file, let expected, let found):
      return "\(file): truncated IDX header: expected at least \(expected) bytes, found \(found)"
    case .badMagic(let file, let found):
      let hex = found.map { String(format2: $0) }.joined(separator: " ")
      return "\(file): not an IDX file: expected the magic 00 00 <type> <rank>, found \(hex)"
    case .unsupportedDataType(let file, let code):
      return "\(file): unsupported IDX data type 0x\(String(format2: code)) (expected one of "
        + IDXArray.DataType.allCases.map { "0x" + String(format2: $0.rawValue) }
        .joined(separator: ", ") + ")"
    case .unexpectedRank(let file, let expected, let found):
      return "\(file): expected an IDX file with \(expected), found \(found) dimension(s)"
    case .unexpectedDataType(let file, let expected, let found):
      return "\(file): expected IDX elements of type \(expected), found \(found)"
    case .invalidShape(let file, let shape):
      return "\(file): IDX dimensions \(shape) describe too many elements"
    case .dataLength(let file, let shape, let expected, let found):
      return "\(file): IDX dimensions \(shape) need \(expected) data bytes, the file has \(found)"
        + (found < expected ? " (truncated?)" : "")
    }
  }
}

extension String {
  /// Two lowercase hex digits.
  fileprivate init(format2 byte: UInt8) {
    let digits = String(byte, radix: 16)
    self = digits.count == 1 ? "0" + digits : digits
  }
}
