/// One image as `Float` values `[height, width, channels]`, row-major, channels last (HWC):
/// what the augmentation transforms read and write. SimilarityDatasets names it `FloatImage`
/// (decoded and prepared images); one example of a `[batch, height, width, channels]` tensor
/// maps onto it without copying.
public struct ImageBuffer: Equatable, Sendable {
  /// Rows.
  public var height: Int
  /// Columns.
  public var width: Int
  /// Channels.
  public var channels: Int
  /// `height × width × channels` values.
  public var values: [Float]

  /// An image from its values; `values.count` must be `height × width × channels`
  /// (programmer error otherwise).
  public init(height: Int, width: Int, channels: Int, values: [Float]) {
    precondition(height >= 0 && width >= 0 && channels > 0, "ImageBuffer: bad shape")
    precondition(values.count == height * width * channels,
      "ImageBuffer: \(values.count) values for \(height) × \(width) × \(channels)")
    self.height = height
    self.width = width
    self.channels = channels
    self.values = values
  }

  /// The value at row `y`, column `x`, channel `c`.
  @inline(__always)
  public subscript(y: Int, x: Int, c: Int) -> Float {
    values[(y * width + x) * channels + c]
  }

  /// Every value clamped into `range`.
  public func clipped(to range: ValueRange) -> ImageBuffer {
    var out = self
    for i in out.values.indices { out.values[i] = min(max(out.values[i], range.lower), range.upper) }
    return out
  }

  /// The `height × width` window whose top-left pixel is (`top`, `left`); it must lie inside.
  public func cropped(top: Int, left: Int, height: Int, width: Int) -> ImageBuffer {
    precondition(top >= 0 && left >= 0 && height >= 0 && width >= 0
      && top + height <= self.height && left + width <= self.width,
      "ImageBuffer: crop \(height) × \(width) at (\(top), \(left)) outside \(self.height) × \(self.width)")
    var out: [Float] = []
    out.reserveCapacity(height * width * channels)
    for y in top..<(top + height) {
      let start = (y * self.width + left) * channels
      out.append(contentsOf: values[start..<(start + width * channels)])
    }
    return ImageBuffer(height: height, width: width, channels: channels, values: out)
  }
}

/// The closed range of pixel values an image uses (Keras' `value_range`), e.g. `[0, 255]` for
/// bytes or `[0, 1]` after rescaling. Encoded as `[lower, upper]`.
public struct ValueRange: Codable, Equatable, Sendable {
  /// The darkest value.
  public var lower: Float
  /// The brightest value.
  public var upper: Float

  /// A range; ``validate(op:)`` checks `lower < upper`.
  public init(_ lower: Float, _ upper: Float) {
    self.lower = lower
    self.upper = upper
  }

  /// `[0, 255]`, Keras' default.
  public static let bytes = ValueRange(0, 255)

  /// Decodes `[lower, upper]`.
  public init(from decoder: any Decoder) throws {
    var container = try decoder.unkeyedContainer()
    lower = try container.decode(Float.self)
    upper = try container.decode(Float.self)
  }

  /// Encodes `[lower, upper]`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    try container.encode(lower)
    try container.encode(upper)
  }

  func validate(op: String) throws(ImageAugmentationError) {
    guard lower.isFinite, upper.isFinite, lower < upper else {
      throw .invalidParameter(
        op: op, parameter: "value_range", value: "[\(lower), \(upper)]",
        expected: "finite values with lower < upper")
    }
  }
}

/// A range `[lower, upper]` a random factor is drawn from uniformly. Keras writes a single
/// number `f` for `[-f, f]`; encoded as `[lower, upper]`.
public struct FactorRange: Codable, Equatable, Sendable {
  /// The smallest value drawn.
  public var lower: Float
  /// The largest value drawn.
  public var upper: Float

  /// `[lower, upper]`.
  public init(_ lower: Float, _ upper: Float) {
    self.lower = lower
    self.upper = upper
  }

  /// `[-factor, factor]`, what Keras means by a single number.
  public init(symmetric factor: Float) {
    self.init(-factor, factor)
  }

  /// Decodes a number `f` (as `[-f, f]`) or `[lower, upper]`.
  public init(from decoder: any Decoder) throws {
    if let single = try? decoder.singleValueContainer().decode(Float.self) {
      self.init(symmetric: single)
      return
    }
    var container = try decoder.unkeyedContainer()
    let lower = try container.decode(Float.self)
    self.init(lower, try container.decode(Float.self))
  }

  /// Encodes `[lower, upper]`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    try container.encode(lower)
    try container.encode(upper)
  }

  /// A uniform draw from the range.
  public func draw(using generator: inout SplitMix64) -> Float {
    lower + (upper - lower) * generator.nextUnitFloat()
  }

  /// Checks `lower ≤ upper`, both finite and inside `allowed`.
  func validate(op: String, parameter: String, allowed: ClosedRange<Float>) throws(ImageAugmentationError) {
    guard lower.isFinite, upper.isFinite, lower <= upper, allowed.contains(lower),
      allowed.contains(upper)
    else {
      throw .invalidParameter(
        op: op, parameter: parameter, value: "[\(lower), \(upper)]",
        expected: "lower ≤ upper, both in [\(allowed.lowerBound), \(allowed.upperBound)]")
    }
  }
}

/// A hyper-parameter of an augmentation outside what the op accepts.
public enum ImageAugmentationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `op`'s `parameter` is `value`, but must be `expected`.
  case invalidParameter(op: String, parameter: String, value: String, expected: String)
  /// `op` cannot take an image of `shape` (`[height, width, channels]`).
  case unsupportedShape(op: String, shape: [Int], expected: String)

  /// What went wrong, naming the op and the value.
  public var description: String {
    switch self {
    case .invalidParameter(let op, let parameter, let value, let expected):
      "\(op): \(parameter) \(value) is invalid; expected \(expected)"
    case .unsupportedShape(let op, let shape, let expected):
      "\(op): cannot take an image of shape \(shape); expected \(expected)"
    }
  }
}
