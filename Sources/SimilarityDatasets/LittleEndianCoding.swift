import Foundation

/// Copies arrays of fixed-size numbers to and from little-endian bytes: a single `memcpy` on
/// little-endian hosts, plus a per-element byte reversal on big-endian ones.
enum LittleEndianCoding {
  /// Decodes `raw.count / stride` elements of `T` from little-endian bytes.
  static func decode<T: BitwiseCopyable>(_ raw: UnsafeRawBufferPointer, as type: T.Type) -> [T] {
    let size = MemoryLayout<T>.stride
    let count = raw.count / size
    var values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      if count > 0 {
        UnsafeMutableRawBufferPointer(buffer).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw.prefix(count * size)))
      }
      initialized = count
    }
    #if _endian(big)
      values.withUnsafeMutableBytes { reverseEachElement($0, size: size) }
    #endif
    return values
  }

  /// Encodes `values` as little-endian bytes.
  static func encode<T: BitwiseCopyable>(_ values: [T]) -> Data {
    var data = values.withUnsafeBytes { Data($0) }
    #if _endian(big)
      data.withUnsafeMutableBytes { reverseEachElement($0, size: MemoryLayout<T>.stride) }
    #endif
    return data
  }

  #if _endian(big)
    private static func reverseEachElement(_ bytes: UnsafeMutableRawBufferPointer, size: Int) {
      var start = 0
      while start + size <= bytes.count {
        var low = start
        var high = start + size - 1
        while low < high {
          bytes.swapAt(low, high)
          low += 1
          high -= 1
        }
        start += size
      }
    }
  #endif
}
