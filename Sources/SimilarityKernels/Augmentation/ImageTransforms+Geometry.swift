#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a geometric transform fills output pixels whose source lies outside the input
/// (Keras' `fill_mode`, TensorFlow's `ImageProjectiveTransformV3`).
public enum FillMode: String, Codable, Sendable, CaseIterable {
  /// `d c b a | a b c d | d c b a`: mirrored about the edge of the last pixel.
  case reflect
  /// `a b c d | a b c d | a b c d`.
  case wrap
  /// `k k k k | a b c d | k k k k` with the fill value `k`.
  case constant
  /// `a a a a | a b c d | d d d d`.
  case nearest
}

/// How a geometric transform reads between pixels (Keras' `interpolation`).
public enum Interpolation: String, Codable, Sendable, CaseIterable {
  /// Weighted mean of the four neighbours.
  case bilinear
  /// The nearest pixel (halves rounded away from zero).
  case nearest
}

/// The deterministic image transforms behind the augmentations: each takes its parameters
/// explicitly, so the random draws live elsewhere (``ImageAugmentationOp``).
public enum ImageTransforms {
  /// The image mirrored left–right (`horizontal`) and/or top–bottom (`vertical`), as
  /// `tf.image.flip_left_right` / `flip_up_down`.
  public static func flipped(_ image: ImageBuffer, horizontal: Bool, vertical: Bool) -> ImageBuffer {
    guard horizontal || vertical else { return image }
    let (h, w, c) = (image.height, image.width, image.channels)
    var out = [Float](repeating: 0, count: image.values.count)
    for y in 0..<h {
      let sy = vertical ? h - 1 - y : y
      for x in 0..<w {
        let sx = horizontal ? w - 1 - x : x
        let src = (sy * w + sx) * c
        let dst = (y * w + x) * c
        for k in 0..<c { out[dst + k] = image.values[src + k] }
      }
    }
    return ImageBuffer(height: h, width: w, channels: c, values: out)
  }

  /// The image resampled through a projective transform `[a0, a1, a2, b0, b1, b2, c0, c1]`
  /// that maps each output pixel `(x, y)` to the input point
  /// `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`, in pixel
  /// indices — the convention of TensorFlow's `ImageProjectiveTransformV3` and Keras'
  /// `RandomRotation`, `RandomZoom` and `RandomTranslation`.
  public static func projected(
    _ image: ImageBuffer, transform t: [Float], fillMode: FillMode,
    interpolation: Interpolation, fillValue: Float = 0
  ) -> ImageBuffer {
    precondition(t.count == 8, "ImageTransforms.projected: a transform has 8 values, not \(t.count)")
    let (h, w, c) = (image.height, image.width, image.channels)
    var out = [Float](repeating: fillValue, count: image.values.count)
    let v = image.values
    @inline(__always) func read(_ y: Int, _ x: Int, _ k: Int) -> Float {
      (y >= 0 && y < h && x >= 0 && x < w) ? v[(y * w + x) * c + k] : fillValue
    }
    for oy in 0..<h {
      for ox in 0..<w {
        let fx = Float(ox)
        let fy = Float(oy)
        let k = t[6] * fx + t[7] * fy + 1
        if k == 0 { continue }
        let ix = mapCoordinate((t[0] * fx + t[1] * fy + t[2]) / k, extent: w, mode: fillMode)
        let iy = mapCoordinate((t[3] * fx + t[4] * fy + t[5]) / k, extent: h, mode: fillMode)
        let dst = (oy * w + ox) * c
        switch interpolation {
        case .nearest:
          let ny = Int(iy.rounded())
          let nx = Int(ix.rounded())
          for ch in 0..<c { out[dst + ch] = read(ny, nx, ch) }
        case .bilinear:
          let y0 = iy.rounded(.down)
          let x0 = ix.rounded(.down)
          let (y1, x1) = (y0 + 1, x0 + 1)
          let (iy0, ix0) = (Int(y0), Int(x0))
          for ch in 0..<c {
            let top = (x1 - ix) * read(iy0, ix0, ch) + (ix - x0) * read(iy0, ix0 + 1, ch)
            let bottom = (x1 - ix) * read(iy0 + 1, ix0, ch) + (ix - x0) * read(iy0 + 1, ix0 + 1, ch)
            out[dst + ch] = (y1 - iy) * top + (iy - y0) * bottom
          }
        }
      }
    }
    return ImageBuffer(height: h, width: w, channels: c, values: out)
  }

  /// An input coordinate outside `0 … extent − 1` brought back inside as `mode` says
  /// (`.constant` leaves it outside, where reads give the fill value).
  static func mapCoordinate(_ coordinate: Float, extent: Int, mode: FillMode) -> Float {
    let last = Float(extent - 1)
    guard coordinate.isFinite else { return mode == .constant ? -1 : 0 }
    switch mode {
    case .constant:
      return coordinate
    case .nearest:
      return min(max(coordinate, 0), last)
    case .reflect:
      guard extent > 1 else { return 0 }
      // Period 2·extent: mirror about −0.5 and extent − 0.5.
      let period = Float(2 * extent)
      var p = coordinate.truncatingRemainder(dividingBy: period)
      if p < 0 { p += period }
      if p >= Float(extent) { p = period - p - 1 }
      return min(max(p, 0), last)
    case .wrap:
      guard extent > 1 else { return 0 }
      var p = coordinate
      if p < 0 {
        p += Float(extent) * (Float(Int(-p / last)) + 1)
      } else if p > last {
        p -= Float(extent) * Float(Int(p / last))
      }
      return min(max(p, 0), last)
    }
  }

  /// The transform rotating an `height × width` image by `angle` radians about its centre
  /// (counter-clockwise for positive angles, as Keras' `RandomRotation`).
  public static func rotationTransform(angle: Float, height: Int, width: Int) -> [Float] {
    let (cosA, sinA) = (Float(cos(Double(angle))), Float(sin(Double(angle))))
    let (w1, h1) = (Float(width - 1), Float(height - 1))
    let dx = (w1 - (cosA * w1 - sinA * h1)) / 2
    let dy = (h1 - (sinA * w1 + cosA * h1)) / 2
    return [cosA, -sinA, dx, sinA, cosA, dy, 0, 0]
  }

  /// The transform zooming by `zoomX`, `zoomY` about the image centre: a factor above 1
  /// samples a larger area (zooms out), as Keras' `RandomZoom`.
  public static func zoomTransform(zoomX: Float, zoomY: Float, height: Int, width: Int) -> [Float] {
    let dx = Float(width - 1) / 2 * (1 - zoomX)
    let dy = Float(height - 1) / 2 * (1 - zoomY)
    return [zoomX, 0, dx, 0, zoomY, dy, 0, 0]
  }

  /// The transform moving the content `dx` pixels right and `dy` pixels down.
  public static func translationTransform(dx: Float, dy: Float) -> [Float] {
    [1, 0, -dx, 0, 1, -dy, 0, 0]
  }
}
