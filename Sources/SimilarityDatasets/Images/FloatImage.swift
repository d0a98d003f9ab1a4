import SimilarityKernels

/// An image as `Float` values, `[height, width, channels]` row-major with channels last (HWC):
/// what resizing, cropping, padding and augmentation work on, and one row of a loaded batch.
/// It is SimilarityKernels' ``ImageBuffer`` (the type the augmentation transforms read and
/// write), so images pass between decoding, preparation and augmentation without conversion.
public typealias FloatImage = ImageBuffer

extension ImageBuffer {
  /// `[height, width, channels]`.
  public var shape: [Int] { [height, width, channels] }

  /// The image's bytes as values 0…255 (no scaling).
  public init(_ image: DecodedImage) {
    self.init(
      height: image.height, width: image.width, channels: image.channels,
      values: image.pixels.map { Float($0) })
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
      preconditionFailure("ImageBuffer: cannot convert \(channels) channels to \(target)")
    }
    return FloatImage(height: height, width: width, channels: target, values: out)
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
      && left + self.width <= width, "ImageBuffer: pad \(shape) at (\(top), \(left)) to \(height) × \(width)")
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
