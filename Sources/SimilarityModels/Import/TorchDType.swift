/// The element type of a PyTorch storage, named by its legacy storage class
/// (`torch.FloatStorage`, `torch.LongStorage`, …) as state-dict pickles write it.
public enum TorchDType: String, CaseIterable, Sendable {
  case float32 = "FloatStorage"
  case float64 = "DoubleStorage"
  case float16 = "HalfStorage"
  case bfloat16 = "BFloat16Storage"
  case int64 = "LongStorage"
  case int32 = "IntStorage"
  case int16 = "ShortStorage"
  case int8 = "CharStorage"
  case uint8 = "ByteStorage"
  case bool = "BoolStorage"

  /// Bytes per element.
  public var elementSize: Int {
    switch self {
    case .float64, .int64: 8
    case .float32, .int32: 4
    case .float16, .bfloat16, .int16: 2
    case .int8, .uint8, .bool: 1
    }
  }

  /// Whether the values are floating point (imported as `[Float]`); the others are imported
  /// as `[Int64]`.
  public var isFloatingPoint: Bool {
    switch self {
    case .float32, .float64, .float16, .bfloat16: true
    case .int64, .int32, .int16, .int8, .uint8, .bool: false
    }
  }

  /// The element at `index` (in elements) of the little-endian bytes `data`, as a `Float`.
  func float(_ data: UnsafeRawBufferPointer, at index: Int) -> Float {
    let offset = index * elementSize
    switch self {
    case .float32:
      return Float(
        bitPattern: data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
    case .float64:
      return Float(
        Double(bitPattern: data.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
      )
    case .float16:
      return Float(
        Float16(
          bitPattern: data.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian))
    case .bfloat16:
      return Float(
        bitPattern: UInt32(data.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian)
          << 16)
    default: return Float(integer(data, at: index))
    }
  }

  /// The element at `index` of an integer or boolean storage, as an `Int64`.
  func integer(_ data: UnsafeRawBufferPointer, at index: Int) -> Int64 {
    let offset = index * elementSize
    switch self {
    case .int64:
      return Int64(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    case .int32:
      return Int64(Int32(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
    case .int16:
      return Int64(Int16(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
    case .int8: return Int64(data.load(fromByteOffset: offset, as: Int8.self))
    case .uint8, .bool: return Int64(data[offset])
    default: return Int64(float(data, at: index))
    }
  }
}
