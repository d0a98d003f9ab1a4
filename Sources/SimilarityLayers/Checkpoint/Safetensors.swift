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
}
