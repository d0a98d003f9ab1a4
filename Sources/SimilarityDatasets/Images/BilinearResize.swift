extension FloatImage {
  /// The image resized to `height × width` by bilinear interpolation with half-pixel centres:
  /// output pixel `i` samples input coordinate `(i + 0.5) · in / out − 0.5`, clamped to the
  /// edge, as `tf.image.resize(method: "bilinear", antialias: False)` does (no antialiasing,
  /// so strong down-scaling aliases exactly like TensorFlow's).
  ///
  /// Both sizes must be positive (programmer error otherwise).
  public func resized(height: Int, width: Int) -> FloatImage {
    precondition(height > 0 && width > 0 && self.height > 0 && self.width > 0,
      "FloatImage: resize \(shape) to \(height) × \(width)")
    if height == self.height && width == self.width { return self }
    let rows = Self.interpolation(output: height, input: self.height)
    let columns = Self.interpolation(output: width, input: self.width)
    let c = channels
    let inputRow = self.width * c
    var out = [Float](repeating: 0, count: height * width * c)
    values.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        var t = 0
        for y in 0..<height {
          let (top, bottom, dy) = rows[y]
          let topRow = top * inputRow
          let bottomRow = bottom * inputRow
          for x in 0..<width {
            let (left, right, dx) = columns[x]
            let l = left * c
            let r = right * c
            for k in 0..<c {
              let topLeft = source[topRow + l + k]
              let topRight = source[topRow + r + k]
              let bottomLeft = source[bottomRow + l + k]
              let bottomRight = source[bottomRow + r + k]
              let upper = topLeft + (topRight - topLeft) * dx
              let lower = bottomLeft + (bottomRight - bottomLeft) * dx
              target[t] = upper + (lower - upper) * dy
              t += 1
            }
          }
        }
      }
    }
    return FloatImage(height: height, width: width, channels: c, values: out)
  }

  /// For every output index: the lower and upper input index and the weight of the upper one.
  static func interpolation(output: Int, input: Int) -> [(Int, Int, Float)] {
    let scale = Float(input) / Float(output)
    return (0..<output).map { i in
      let position = (Float(i) + 0.5) * scale - 0.5
      let floor = position.rounded(.down)
      let lower = max(Int(floor), 0)
      let upper = min(Int(position.rounded(.up)), input - 1)
      return (lower, upper, position - floor)
    }
  }
}
