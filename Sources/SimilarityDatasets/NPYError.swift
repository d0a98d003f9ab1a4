/// Why a `.npy` file could not be read or written. Every case names the file; the description
/// says what was expected and what was found.
public enum NPYError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file could not be opened, read or written (the system's message).
  case io(file: String, message: String)
  /// The first six bytes are not `\x93NUMPY`.
  case badMagic(file: String, found: [UInt8])
  /// The format version is not 1.0, 2.0 or 3.0.
  case unsupportedVersion(file: String, major: UInt8, minor: UInt8)
  /// The file ends inside the preamble or the header.
  case truncatedHeader(file: String, expectedBytes: Int, foundBytes: Int)
  /// The header is not a Python dict literal with exactly `descr`, `fortran_order` and `shape`.
  case malformedHeader(file: String, reason: String)
  /// The `descr` is not one of the supported little-endian element types.
  case unsupportedDType(file: String, descr: String)
  /// The array is stored in Fortran (column-major) order, which is not supported.
  case fortranOrder(file: String)
  /// The data section is not exactly `shape.product × itemSize` bytes long.
  case dataLength(file: String, expectedBytes: Int, foundBytes: Int)
  /// The shape is not usable: a negative dimension or an element count that overflows.
  case invalidShape(file: String, shape: [Int])
  /// An array was built whose element count does not match its shape.
  case elementCount(shape: [Int], expected: Int, found: Int)

  public var description: String {
    switch self {
    case .io(let file, let message):
      return "\(file): \(message)"
    case .badMagic(let file, let found):
      let hex = found.map { String($0, radix: 16) }.joined(separator: " ")
      return "\(file): not a .npy file: expected the magic bytes 93 4e 55 4d 50 59 "
        + "(\\x93NUMPY), found \(hex.isEmpty ? "an empty file" : hex)"
    case .unsupportedVersion(let file, let major, let minor):
      return "\(file): unsupported .npy format version \(major).\(minor) "
        + "(expected 1.0, 2.0 or 3.0)"
    case .truncatedHeader(let file, let expected, let found):
      return "\(file): truncated .npy header: expected at least \(expected) bytes, "
        + "the file has \(found)"
    case .malformedHeader(let file, let reason):
      return "\(file): malformed .npy header: \(reason)"
    case .unsupportedDType(let file, let descr):
      return "\(file): unsupported .npy dtype '\(descr)' (expected one of "
        + NPYArray.ElementType.allCases.map { "'\($0.descr)'" }.joined(separator: ", ")
        + "; big-endian and structured dtypes are not supported)"
    case .fortranOrder(let file):
      return "\(file): the array is stored in Fortran order (fortran_order: True); only C order "
        + "is supported — save it with numpy.ascontiguousarray(a)"
    case .dataLength(let file, let expected, let found):
      return "\(file): .npy data section has \(found) bytes, expected \(expected) "
        + "(shape × item size)"
    case .invalidShape(let file, let shape):
      return "\(file): invalid .npy shape \(shape) (negative dimension or too many elements)"
    case .elementCount(let shape, let expected, let found):
      return "an array of shape \(shape) needs \(expected) elements, got \(found)"
    }
  }
}
