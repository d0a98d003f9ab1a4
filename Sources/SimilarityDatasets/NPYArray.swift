/// An n-dimensional array as stored in a NumPy `.npy` file: a shape and row-major (C order)
/// elements of one of the supported element types.
///
/// `floats` and `integers` convert to the types the rest of swift-similarity works with, whatever
/// the element type on disk.
public struct NPYArray: Equatable, Sendable {
  /// The element types swift-similarity reads and writes, with their NumPy `descr` strings.
  public enum ElementType: CaseIterable, Equatable, Sendable {
    /// `<f4`: IEEE 754 single precision.
    case float32
    /// `<f8`: IEEE 754 double precision.
    case float64
    /// `<i4`: signed 32-bit integer.
    case int32
    /// `<i8`: signed 64-bit integer.
    case int64
    /// `|u1`: unsigned byte.
    case uint8
    /// `<u8`: unsigned 64-bit integer.
    case uint64

    /// The NumPy type string written in the header (little-endian, or `|` for single bytes).
    public var descr: String {
      switch self {
      case .float32: "<f4"
      case .float64: "<f8"
      case .int32: "<i4"
      case .int64: "<i8"
      case .uint8: "|u1"
      case .uint64: "<u8"
      }
    }

    /// The size of one element in bytes.
    public var itemSize: Int {
      switch self {
      case .uint8: 1
      case .int32, .float32: 4
      case .int64, .uint64, .float64: 8
      }
    }

    /// The element type a header's `descr` names, or `nil` when it is not supported.
    /// Single-byte types may be written with any byte-order mark (`|u1`, `<u1`, `=u1`).
    public init?(descr: String) {
      let normalized = descr.count == 3 && descr.hasSuffix("u1") ? "|u1" : descr
      guard let match = Self.allCases.first(where: { $0.descr == normalized }) else {
        return nil
      }
      self = match
    }
  }

  /// The elements, typed as they are stored on disk, in row-major order.
  public enum Storage: Equatable, Sendable {
    case float32([Float])
    case float64([Double])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])
    case uint64([UInt64])

    /// The number of elements.
    public var count: Int {
      switch self {
      case .float32(let values): values.count
      case .float64(let values): values.count
      case .int32(let values): values.count
      case .int64(let values): values.count
      case .uint8(let values): values.count
      case .uint64(let values): values.count
      }
    }

    /// The element type of these values.
    public var elementType: ElementType {
      switch self {
      case .float32: .float32
      case .float64: .float64
      case .int32: .int32
      case .int64: .int64
      case .uint8: .uint8
      case .uint64: .uint64
      }
    }
  }

  /// The dimensions, outermost first; `[]` is a scalar (one element).
  public let shape: [Int]
  /// The elements in row-major order.
  public let storage: Storage

  /// Creates an array; throws `NPYError.elementCount` when `storage` does not hold exactly
  /// `shape.product` elements, and `NPYError.invalidShape` for a negative dimension.
  public init(shape: [Int], storage: Storage) throws {
    guard let expected = NPYArray.elementCount(of: shape) else {
      throw NPYError.invalidShape(file: "<in memory>", shape: shape)
    }
    guard expected == storage.count else {
      throw NPYError.elementCount(shape: shape, expected: expected, found: storage.count)
    }
    self.shape = shape
    self.storage = storage
  }

  /// Creates a `<f4` array, e.g. `try NPYArray(shape: [n, dim], floats: embeddings)`.
  public init(shape: [Int], floats: [Float]) throws {
    try self.init(shape: shape, storage: .float32(floats))
  }

  /// Creates a `<i8` array, e.g. `try NPYArray(shape: [n], int64s: labels)`.
  public init(shape: [Int], int64s: [Int64]) throws {
    try self.init(shape: shape, storage: .int64(int64s))
  }

  /// The element type stored on disk.
  public var elementType: ElementType { storage.elementType }

  /// The number of elements (the product of `shape`).
  public var count: Int { storage.count }

  /// The elements converted to `Float` (`<f8` and large integers are rounded to nearest).
  public var floats: [Float] {
    switch storage {
    case .float32(let values): values
    case .float64(let values): values.map { Float($0) }
    case .int32(let values): values.map { Float($0) }
    case .int64(let values): values.map { Float($0) }
    case .uint8(let values): values.map { Float($0) }
    case .uint64(let values): values.map { Float($0) }
    }
  }

  /// The elements converted to `Int`, or `nil` when they are floating point or a `<u8` value
  /// does not fit in `Int`.
  public var integers: [Int]? {
    switch storage {
    case .float32, .float64: nil
    case .int32(let values): values.map { Int($0) }
    case .int64(let values): values.map { Int($0) }
    case .uint8(let values): values.map { Int($0) }
    case .uint64(let values):
      values.allSatisfy { $0 <= UInt64(Int.max) } ? values.map { Int($0) } : nil
    }
  }

  /// The product of `shape`, or `nil` for a negative dimension or an overflowing product.
  static func elementCount(of shape: [Int]) -> Int? {
    var product = 1
    for dimension in shape {
      guard dimension >= 0 else { return nil }
      let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
      guard !overflow else { return nil }
      product = next
    }
    return product
  }
}
