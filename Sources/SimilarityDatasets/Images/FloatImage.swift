/// An image as `Float` values, `[height, width, channels]` row-major with channels last (HWC):
/// what resizing, cropping, padding and augmentation work on, and one row of a loaded batch.
public struct FloatImage: Equatable, Sendable {
  /// Rows.
  public var height: Int
  /// Columns.
  public var width: Int
  /// Channels (1 grey, 3 RGB, or any count for arrays read from `.npy`).
  public var channels: Int
  /// `height × width × channels` values.
  public var values: [Float]

  /// `[height, width, channels]`.
  public var shape: [Int] { [height, width, channels] }

  /// An image from its values; `values.count` must be `height × width × channels`
  /// (programmer error otherwise).
  public init(height: Int, width: Int, channels: Int, values: [Float]) {
    precondition(height >= 0 && width >= 0 && channels > 0, "FloatImage: bad shape")
    precondition(values.count == height * width * channels,
      "FloatImage: \(values.count) values for \(height) × \(width) × \(channels)")
    self.height = height
    self.width = width
    self.channels = channels
    self.values = values
  }

  /// The image's bytes as values 0…255 (no scaling).
  public init(_ image: DecodedImage) {
    self.init(
      height: image.height, width: image.width, channels: image.channels,
      values: image.pixels.map { Float($0) })
  }

  /// The value at row `y`, column `x`, channel `c`.
  public subscript(y: Int, x: Int, c: Int) -> Float {
    values[(y * width + x) * channels + c]
  }

  /// Grey → RGB repeats the grey value; RGB → grey weighs R, G, B by 0.2989, 0.5870, 0.1140
  /// (ITU-R BT.601 luma, the weights of `tf.image.rgb_to_grayscale`). Other conversions are
  /// programmer errors; converting to the same channel count returns the image.
  public func converted(toChannels target: Int) -> FloatImage {
    if target == channels { return self }
    let pixels = height * width
    var out = [Float](repeating: 0, count: pixels * target)
    switch (channels, target) {
    case (1, 3):
      for p in 0..<pixels {
        let v = values[p]
        out[3 * p] = v
        out[3 * p + 1] = v
        out[3 * p + 2] = v
      }
    case (3, 1):
      for p in 0..<pixels {
        out[p] = 0.2989 * values[3 * p] + 0.5870 * values[3 * p + 1] + 0.1140 * values[3 * p + 2]
      }
    default:
      preconditionFailure("FloatImage: cannot convert \(channels) channels to \(target)")
    }
    return FloatImage(height: height, width: width, channels: target, values: out)
  }

  /// The `height × width` window whose top-left pixel is (`top`, `left`); it must lie inside
  /// the image (programmer error otherwise).
  public func cropped(top: Int, left: Int, height: Int, width: Int) -> FloatImage {
    precondition(top >= 0 && left >= 0 && height >= 0 && width >= 0
      && top + height <= self.height && left + width <= self.width,
      "FloatImage: crop \(height) × \(width) at (\(top), \(left)) outside \(shape)")
    var out: [Float] = []
    out.reserveCapacity(height * width * channels)
    for y in top..<(top + height) {
      let start = (y * self.width + left) * channels
      out.append(contentsOf: values[start..<(start + width * channels)])
    }
    return FloatImage(height: height, width: width, channels: channels, values: out)
  }

  /// The centred `height × width` window (the extra row or column, when the difference is
  /// odd, is taken from the bottom and right, like `tf.image.crop_to_bounding_box` with
  /// `(H - h) / 2` offsets). The window must fit (programmer error otherwise).
  public func centerCropped(height: Int, width: Int) -> FloatImage {
    cropped(top: (self.height - height) / 2, left: (self.width - width) / 2,
      height: height, width: width)
  }

  /// The image centred on a `height × width` canvas filled with `value` (the canvas must be at
  /// least as large; offsets `(H - h) / 2`).
  public func padded(height: Int, width: Int, value: Float = 0) -> FloatImage {
    padded(
      top: (height - self.height) / 2, left: (width - self.width) / 2, height: height,
      width: width, value: value)
  }

  /// The image placed with its top-left pixel at (`top`, `left`) on a `height × width` canvas
  /// filled with `value`; it must fit (programmer error otherwise).
  public func padded(top: Int, left: Int, height: Int, width: Int, value: Float = 0) -> FloatImage {
    precondition(top >= 0 && left >= 0 && top + self.height <= height
      && left + self.width <= width, "FloatImage: pad \(shape) at (\(top), \(left)) to \(height) × \(width)")
    var out = [Float](repeating: value, count: height * width * channels)
    let rowCount = self.width * channels
    for y in 0..<self.height {
      let source = y * rowCount
      let target = ((y + top) * width + left) * channels
      out.replaceSubrange(target..<(target + rowCount), with: values[source..<(source + rowCount)])
    }
    return FloatImage(height: height, width: width, channels: channels, values: out)
  }
}
