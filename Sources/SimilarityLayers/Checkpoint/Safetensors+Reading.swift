import Foundation
import SimilarityIO
import SimilarityTensors

extension Safetensors {
  /// The largest JSON header accepted (100 MiB, the limit of the reference implementation).
  public static let maximumHeaderBytes = 100 << 20

  /// A file's validated header: where each tensor's bytes lie in the data section.
  public struct Header: Sendable {
    /// One tensor entry.
    public struct Entry: Equatable, Sendable {
      public var name: String
      public var shape: [Int]
      /// Byte range in the data section.
      public var begin: Int
      public var end: Int
    }

    /// The entries sorted by their data offsets.
    public var entries: [Entry]
    /// The `__metadata__` strings.
    public var metadata: [String: String]
    /// Where the data section starts in the file (8 + header length).
    public var dataStart: Int
  }

  /// Parses and validates the bytes of a file; `file` names it in errors.
  public static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> Contents {
    let header = try header(prefix: bytes, fileSize: bytes.count, file: file)
    return tensors(header, data: bytes[header.dataStart...])
  }

  /// Reads and validates the header of the file at `path` without reading the data section.
  public static func readHeader(at path: String) throws(CheckpointError) -> Header {
    try withFile(path) { file throws(CheckpointError) in try readHeader(file) }
  }

  /// Reads `path` completely: the header first, then exactly the data section it describes.
  public static func read(at path: String) throws(CheckpointError) -> Contents {
    try withFile(path) { file throws(CheckpointError) in
      let header = try readHeader(file)
      let data = try read(file, header.dataStart..<file.size)
      return tensors(header, data: data[...])
    }
  }

  private static func withFile<T>(
    _ path: String, _ body: (RegularFile) throws(CheckpointError) -> T
  ) throws(CheckpointError) -> T {
    do {
      return try body(RegularFile(path: path, expected: "a regular .safetensors file"))
    } catch let error as FileReadError {
      throw .io(file: path, operation: "reading", reason: error.reason)
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw .io(file: path, operation: "reading", reason: "\(error)")
    }
  }

  private static func read(_ file: RegularFile, _ range: Range<Int>) throws(CheckpointError)
    -> [UInt8]
  {
    do {
      return try file.read(range)
    } catch {
      throw .io(file: file.path, operation: "reading", reason: error.reason)
    }
  }

  private static func readHeader(_ file: RegularFile) throws(CheckpointError) -> Header {
    let length = try read(file, 0..<min(file.size, 8))
    let declared = length.count == 8 ? headerLength(length) : 0
    let end = declared <= UInt64(maximumHeaderBytes) ? 8 + Int(declared) : 8
    return try header(prefix: read(file, 0..<min(file.size, end)), fileSize: file.size, file: file.path)
  }

  private static func headerLength(_ bytes: [UInt8]) -> UInt64 {
    bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }

  /// Validates the header in `prefix` (the file's first bytes, through the header) for a file
  /// of `fileSize` bytes: the length, strict JSON (no duplicate names), every dtype, shape and
  /// offset pair (overflow-checked), and that no two tensors overlap.
  static func header(prefix bytes: [UInt8], fileSize: Int, file: String) throws(CheckpointError)
    -> Header
  {
    guard fileSize >= 8, bytes.count >= 8 else {
      throw .truncated(file: file, expectedBytes: 8, foundBytes: fileSize)
    }
    let headerLength = headerLength(bytes)
    guard headerLength <= UInt64(fileSize - 8) else {
      throw .truncated(
        file: file,
        expectedBytes: headerLength > UInt64(Int.max / 2) ? Int.max : 8 + Int(headerLength),
        foundBytes: fileSize)
    }
    guard headerLength <= UInt64(maximumHeaderBytes) else {
      throw .corruptHeader(
        file: file,
        reason: "the header is \(headerLength) bytes; at most \(maximumHeaderBytes) accepted")
    }
    let dataStart = 8 + Int(headerLength)
    let dataSize = fileSize - dataStart
    let json = Array(bytes[8..<dataStart])
    do {
      _ = try StrictJSON.check(json)
    } catch {
      throw .corruptHeader(file: file, reason: "the \(headerLength)-byte header: \(error)")
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(json))
    } catch {
      throw .corruptHeader(file: file, reason: "the \(headerLength)-byte header is not valid JSON")
    }
    guard let header = object as? [String: Any] else {
      throw .corruptHeader(file: file, reason: "the header is not a JSON object")
    }
    var metadata: [String: String] = [:]
    var entries: [Header.Entry] = []
    for (name, value) in header {
      if name == "__metadata__" {
        guard let strings = value as? [String: String] else {
          throw .corruptHeader(file: file, reason: "__metadata__ is not an object of strings")
        }
        metadata = strings
        continue
      }
      entries.append(try entry(name, value, dataSize: dataSize, file: file))
    }
    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var furthest: (name: String, end: Int)? = nil  // the non-empty tensor reaching furthest
    for entry in entries where entry.end > entry.begin {
      if let furthest, entry.begin < furthest.end {
        throw .overlappingTensors(file: file, first: furthest.name, second: entry.name)
      }
      if entry.end > furthest?.end ?? 0 { furthest = (entry.name, entry.end) }
    }
    return Header(entries: entries, metadata: metadata, dataStart: dataStart)
  }

  private static func entry(_ name: String, _ value: Any, dataSize: Int, file: String)
    throws(CheckpointError) -> Header.Entry
  {
    guard let entry = value as? [String: Any] else {
      throw .corruptHeader(file: file, reason: "entry '\(name)' is not an object")
    }
    guard let dtype = entry["dtype"] as? String else {
      throw .corruptHeader(file: file, reason: "entry '\(name)' has no string \"dtype\"")
    }
    guard dtype == "F32" else { throw .unsupportedDType(file: file, tensor: name, found: dtype) }
    guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
      throw .corruptHeader(
        file: file, reason: "entry '\(name)' has no \"shape\" of non-negative integers")
    }
    guard let offsets = integers(entry["data_offsets"]), offsets.count == 2 else {
      throw .corruptHeader(
        file: file, reason: "entry '\(name)' has no \"data_offsets\" pair of integers")
    }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin >= 0, begin <= end, end <= dataSize else {
      throw .invalidOffsets(
        file: file, tensor: name,
        reason: "[\(begin), \(end)] is not a range inside the \(dataSize)-byte data section")
    }
    guard let bytes = (shape + [4]).checkedProduct() else {
      throw .invalidOffsets(
        file: file, tensor: name,
        reason: "shape \(shape) needs more than \(Int.max) bytes, the range holds \(end - begin)")
    }
    guard end - begin == bytes else {
      throw .invalidOffsets(
        file: file, tensor: name,
        reason: "shape \(shape) needs \(bytes) bytes, the range holds \(end - begin)")
    }
    return Header.Entry(name: name, shape: shape, begin: begin, end: end)
  }

  /// The tensors of `header` from the bytes of the data section.
  private static func tensors(_ header: Header, data: ArraySlice<UInt8>) -> Contents {
    let base = data.startIndex
    let tensors = header.entries.map { entry in
      let scalars = stride(from: base + entry.begin, to: base + entry.end, by: 4).map { i in
        Float(
          bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16
            | UInt32(data[i + 3]) << 24)
      }
      return (name: entry.name, tensor: Tensor(shape: entry.shape, scalars: scalars))
    }
    return Contents(tensors: tensors, metadata: header.metadata)
  }

  /// A JSON array of integers (rejecting fractions and booleans), or `nil`.
  private static func integers(_ value: Any?) -> [Int]? {
    guard let array = value as? [Any] else { return nil }
    var result: [Int] = []
    for element in array {
      guard let number = element as? NSNumber, let integer = Int(exactly: number.doubleValue) else {
        return nil
      }
      result.append(integer)
    }
    return result
  }
}
