import Foundation
import SimilarityIO

/// Where the parts of a `.npy` file lie, from its preamble and header alone: the element type,
/// the shape, where the data starts and how many bytes it must have. Reading a file checks this
/// against the file's size before reading the data, so a header claiming more than the file
/// holds, or a device such as `/dev/zero`, is refused without reading further.
struct NPYLayout {
  /// The largest header accepted (16 MiB; NumPy writes a few hundred bytes).
  static let maximumHeaderBytes = 16 << 20

  var elementType: NPYArray.ElementType
  var shape: [Int]
  /// Preamble plus header length: where the elements start.
  var dataStart: Int
  /// `count × itemSize`.
  var dataBytes: Int

  /// Checks magic and version in `prefix` (the file's first bytes, up to 12) and returns where
  /// the header ends. `fileSize` is the whole file's size, for truncation messages.
  static func headerEnd(_ prefix: UnsafeRawBufferPointer, fileSize: Int, file: String) throws
    -> Int
  {
    let magic = NPYFile.magic
    guard prefix.count >= magic.count, Array(prefix[0..<magic.count]) == magic else {
      let found = Array(prefix.prefix(magic.count))
      if found.count < magic.count, found == Array(magic.prefix(found.count)), !found.isEmpty {
        throw NPYError.truncatedHeader(file: file, expectedBytes: 10, foundBytes: fileSize)
      }
      throw NPYError.badMagic(file: file, found: found)
    }
    guard prefix.count >= 8 else {
      throw NPYError.truncatedHeader(file: file, expectedBytes: 10, foundBytes: fileSize)
    }
    let (major, minor) = (prefix[6], prefix[7])
    guard minor == 0, (1...3).contains(major) else {
      throw NPYError.unsupportedVersion(file: file, major: major, minor: minor)
    }
    let preamble = major == 1 ? 10 : 12
    guard prefix.count >= preamble else {
      throw NPYError.truncatedHeader(file: file, expectedBytes: preamble, foundBytes: fileSize)
    }
    let headerLength =
      major == 1
      ? Int(prefix[8]) | Int(prefix[9]) << 8
      : Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
    guard headerLength <= maximumHeaderBytes else {
      throw NPYError.malformedHeader(
        file: file, reason: "the header is \(headerLength) bytes long; at most "
          + "\(maximumHeaderBytes) accepted")
    }
    let dataStart = preamble + headerLength
    guard fileSize >= dataStart else {
      throw NPYError.truncatedHeader(file: file, expectedBytes: dataStart, foundBytes: fileSize)
    }
    return dataStart
  }

  /// Parses `header`, the file's bytes up to the end of its header (as ``headerEnd(_:fileSize:file:)``
  /// found).
  init(header raw: UnsafeRawBufferPointer, file: String) throws {
    let dataStart = try Self.headerEnd(
      UnsafeRawBufferPointer(rebasing: raw.prefix(12)), fileSize: raw.count, file: file)
    let preamble = raw[6] == 1 ? 10 : 12
    // Versions 1 and 2 store the header as latin-1, version 3 as UTF-8; a valid header is ASCII.
    let header = try NPYHeader.parse(Array(raw[preamble..<dataStart]), file: file)
    guard let elementType = NPYArray.ElementType(descr: header.descr) else {
      throw NPYError.unsupportedDType(file: file, descr: header.descr)
    }
    guard !header.fortranOrder else { throw NPYError.fortranOrder(file: file) }
    guard let count = NPYArray.elementCount(of: header.shape) else {
      throw NPYError.invalidShape(file: file, shape: header.shape)
    }
    let (dataBytes, overflow) = count.multipliedReportingOverflow(by: elementType.itemSize)
    guard !overflow else { throw NPYError.invalidShape(file: file, shape: header.shape) }
    self.elementType = elementType
    self.shape = header.shape
    self.dataStart = dataStart
    self.dataBytes = dataBytes
  }

  /// The bytes of the `.npy` file at `url`, read only after its header was checked against the
  /// file's size. Throws `NPYError`.
  static func readCheckedFile(_ url: URL) throws -> [UInt8] {
    let path = url.path
    do {
      let file = try RegularFile(path: path, expected: "a regular .npy file")
      let prefix = try file.read(0..<min(file.size, 12))
      let headerEnd = try prefix.withUnsafeBytes {
        try Self.headerEnd($0, fileSize: file.size, file: path)
      }
      let layout = try file.read(0..<headerEnd).withUnsafeBytes {
        try NPYLayout(header: $0, file: path)
      }
      guard file.size - layout.dataStart == layout.dataBytes else {
        throw NPYError.dataLength(
          file: path, expectedBytes: layout.dataBytes, foundBytes: file.size - layout.dataStart)
      }
      return try file.read(0..<file.size)
    } catch let error as FileReadError {
      throw NPYError.io(file: path, message: error.reason)
    }
  }
}
