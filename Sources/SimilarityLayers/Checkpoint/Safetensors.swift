import Foundation
import SimilarityTensors

/// Reads and writes the safetensors format (Hugging Face), restricted to `F32` tensors.
///
/// Layout of a file:
///
///     bytes 0..<8     UInt64, little-endian: N, the length of the header
///     bytes 8..<8+N   UTF-8 JSON object, padded with spaces to a multiple of 8 bytes:
///                     { "<name>": {"dtype": "F32", "shape": [d0, d1, …],
///                                  "data_offsets": [begin, end]}, …,
///                       "__metadata__": {"<key>": "<string>", …} }   (optional)
///     bytes 8+N…      the data section; tensor `name` is bytes begin..<end of it, its
///                     elements row-major, each a little-endian IEEE-754 binary32
///
/// ``decode(_:file:)`` checks everything before it trusts anything: the header length
/// against the file size, the JSON, each dtype, shape and offset pair (in range, exactly
/// `4·Π shape` bytes long) and that no two tensors overlap.
public enum Safetensors {
  /// A decoded file: tensors in data order, and the optional string metadata.
  public struct Contents: Sendable {
    /// The tensors in the order of their data offsets.
    public var tensors: [(name: String, tensor: Tensor)]
    /// The `__metadata__` entries (empty when absent).
    public var metadata: [String: String]
  }

  /// The bytes of a file holding `tensors` in the given order, with `metadata` if non-empty.
  public static func encode(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]
  ) -> [UInt8] {
    var header: [String: Any] = [:]
    var offset = 0
    for (name, tensor) in tensors {
      precondition(name != "__metadata__", "Safetensors: a tensor cannot be named __metadata__")
      precondition(header[name] == nil, "Safetensors: duplicate tensor name '\(name)'")
      let end = offset + 4 * tensor.count
      header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, end]]
      offset = end
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    let json: [UInt8]
    do {
      json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    } catch {
      // Strings, integers and arrays of them always serialise.
      preconditionFailure("Safetensors: cannot serialise the header: \(error)")
    }
    var padded = json
    while padded.count % 8 != 0 { padded.append(0x20) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + padded.count + offset)
    withUnsafeBytes(of: UInt64(padded.count).littleEndian) { bytes += $0 }
    bytes += padded
    for (_, tensor) in tensors {
      for scalar in tensor.scalars {
        withUnsafeBytes(of: scalar.bitPattern.littleEndian) { bytes += $0 }
      }
    }
    return bytes
  }

  /// Parses and validates the bytes of a file; `file` names it in errors.
  public static func decode(_ bytes: [UInt8], file: String) throws(CheckpointError) -> Contents {
    guard bytes.count >= 8 else {
      throw .truncated(file: file, expectedBytes: 8, foundBytes: bytes.count)
    }
    let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard headerLength <= UInt64(bytes.count - 8) else {
      throw .truncated(
        file: file,
        expectedBytes: headerLength > UInt64(Int.max / 2) ? Int.max : 8 + Int(headerLength),
        foundBytes: bytes.count)
    }
    let dataStart = 8 + Int(headerLength)
    let dataSize = bytes.count - dataStart
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
    } catch {
      throw .corruptHeader(file: file, reason: "the \(headerLength)-byte header is not valid JSON")
    }
    guard let header = object as? [String: Any] else {
      throw .corruptHeader(file: file, reason: "the header is not a JSON object")
    }

    var metadata: [String: String] = [:]
    var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
    for (name, value) in header {
      if name == "__metadata__" {
        guard let strings = value as? [String: String] else {
          throw .corruptHeader(file: file, reason: "__metadata__ is not an object of strings")
        }
        metadata = strings
        continue
      }
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
      let (count, overflow) = shape.reduce((1, false)) { accumulated, extent in
        let product = accumulated.0.multipliedReportingOverflow(by: extent)
        return (product.partialValue, accumulated.1 || product.overflow)
      }
      guard !overflow, count <= Int.max / 4, end - begin == 4 * count else {
        throw .invalidOffsets(
          file: file, tensor: name,
          reason:
            "shape \(shape) needs \(overflow ? "too many" : "\(4 * count)") bytes, the range holds \(end - begin)"
        )
      }
      entries.append((name, shape, begin, end))
    }

    entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var furthest: (name: String, end: Int)? = nil  // the non-empty tensor reaching furthest
    for entry in entries where entry.end > entry.begin {
      if let furthest, entry.begin < furthest.end {
        throw .overlappingTensors(file: file, first: furthest.name, second: entry.name)
      }
      if entry.end > furthest?.end ?? 0 { furthest = (entry.name, entry.end) }
    }

    let tensors = entries.map { entry in
      let scalars = stride(from: dataStart + entry.begin, to: dataStart + entry.end, by: 4).map {
        i in
        Float(
          bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
            | UInt32(bytes[i + 3]) << 24)
      }
      return (name: entry.name, tensor: Tensor(shape: entry.shape, scalars: scalars))
    }
    return Contents(tensors: tensors, metadata: metadata)
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
