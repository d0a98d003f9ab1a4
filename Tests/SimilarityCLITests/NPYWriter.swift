import Foundation

/// Minimal `.npy` (version 1.0) files for CLI tests, written independently of the library.
enum NPYWriter {
  /// A little-endian float32 array of `shape`.
  static func floats(_ values: [Float], shape: [Int], to url: URL) throws {
    var data = Data()
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
    try write(descr: "<f4", shape: shape, data: data, to: url)
  }

  /// A little-endian int64 array of `shape`.
  static func integers(_ values: [Int], shape: [Int], to url: URL) throws {
    var data = Data()
    for value in values { withUnsafeBytes(of: Int64(value).littleEndian) { data += $0 } }
    try write(descr: "<i8", shape: shape, data: data, to: url)
  }

  private static func write(descr: String, shape: [Int], data: Data, to url: URL) throws {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { bytes += $0 }
    bytes += Data(header.utf8) + data
    try bytes.write(to: url)
  }
}
