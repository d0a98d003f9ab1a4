#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ImageTransforms {
  /// Each channel's values moved away from (`factor > 1`) or towards (`factor < 1`) the
  /// channel's mean over the image: `(x − mean) · factor + mean`, as `tf.image.adjust_contrast`.
  public static func contrastAdjusted(_ image: ImageBuffer, factor: Float) -> ImageBuffer {
    let c = image.channels
    let pixels = image.height * image.width
    guard pixels > 0 else { return image }
    var means = [Float](repeating: 0, count: c)
    for p in 0..<pixels { for k in 0..<c { means[k] += image.values[p * c + k] } }
    for k in 0..<c { means[k] /= Float(pixels) }
    var out = image
    for p in 0..<pixels {
      for k in 0..<c { out.values[p * c + k] = (image.values[p * c + k] - means[k]) * factor + means[k] }
    }
    return out
  }

  /// `delta` added to every value (`tf.image.adjust_brightness`).
  public static func brightnessAdjusted(_ image: ImageBuffer, delta: Float) -> ImageBuffer {
    var out = image
    for i in out.values.indices { out.values[i] += delta }
    return out
  }

  /// RGB saturation (HSV `S`) scaled by `factor` and clamped to `[0, 1]`, hue and value kept,
  /// as `tf.image.adjust_saturation`. Values must be ≥ 0; images without 3 channels are
  /// returned unchanged.
  public static func saturationAdjusted(_ image: ImageBuffer, factor: Float) -> ImageBuffer {
    guard image.channels == 3 else { return image }
    var out = image
    for p in 0..<(image.height * image.width) {
      let (r, g, b) = (image.values[3 * p], image.values[3 * p + 1], image.values[3 * p + 2])
      let v = max(r, g, b)
      let range = v - min(r, g, b)
      guard range > 0 else { continue }
      // Every channel is v − S·v·t(hue); scaling S scales each distance to v, with S ≤ 1.
      let scale = min(factor, v / range)
      out.values[3 * p] = v - (v - r) * scale
      out.values[3 * p + 1] = v - (v - g) * scale
      out.values[3 * p + 2] = v - (v - b) * scale
    }
    return out
  }

  /// RGB hue (HSV `H`, in turns) rotated by `delta` turns, saturation and value kept, as
  /// `tf.image.adjust_hue`. Images without 3 channels are returned unchanged.
  public static func hueAdjusted(_ image: ImageBuffer, delta: Float) -> ImageBuffer {
    guard image.channels == 3 else { return image }
    var out = image
    for p in 0..<(image.height * image.width) {
      let rgb = (image.values[3 * p], image.values[3 * p + 1], image.values[3 * p + 2])
      let (r, g, b) = rotatedHue(rgb, delta: delta)
      out.values[3 * p] = r
      out.values[3 * p + 1] = g
      out.values[3 * p + 2] = b
    }
    return out
  }

  /// One pixel's hue rotated: the hue as a position in six sextants between the primaries,
  /// shifted, and rebuilt from the same largest and smallest channel values.
  static func rotatedHue(_ rgb: (Float, Float, Float), delta: Float) -> (Float, Float, Float) {
    let (r, g, b) = rgb
    let high = max(r, g, b)
    let low = min(r, g, b)
    guard high > low else { return rgb }
    let span = high - low
    var hue: Float  // in sextants, [0, 6)
    if r == high {
      hue = (g - b) / span
      if hue < 0 { hue += 6 }
    } else if g == high {
      hue = 2 + (b - r) / span
    } else {
      hue = 4 + (r - g) / span
    }
    hue += delta * 6
    hue = hue.truncatingRemainder(dividingBy: 6)
    if hue < 0 { hue += 6 }
    if hue >= 6 { hue = 0 }
    let sextant = Int(hue)
    let fraction = hue - Float(sextant)
    let rising = low + span * fraction
    let falling = high - span * fraction
    switch sextant {
    case 0: return (high, rising, low)
    case 1: return (falling, high, low)
    case 2: return (low, high, rising)
    case 3: return (low, falling, high)
    case 4: return (rising, low, high)
    default: return (high, low, falling)
    }
  }

  /// RGB replaced by its luma `0.2989 R + 0.5870 G + 0.1140 B` in all three channels
  /// (`tf.image.rgb_to_grayscale` then `grayscale_to_rgb`); other channel counts unchanged.
  public static func grayscaled(_ image: ImageBuffer) -> ImageBuffer {
    guard image.channels == 3 else { return image }
    var out = image
    let v = image.values
    for p in 0..<(image.height * image.width) {
      let luma = 0.2989 * v[3 * p] + 0.5870 * v[3 * p + 1] + 0.1140 * v[3 * p + 2]
      out.values[3 * p] = luma
      out.values[3 * p + 1] = luma
      out.values[3 * p + 2] = luma
    }
    return out
  }

  /// Values at or above `threshold` inverted within `range` (`lower + upper − x`), others
  /// kept: the solarize of Keras' `Solarization` and SimCLR/BYOL.
  public static func solarized(_ image: ImageBuffer, threshold: Float, range: ValueRange) -> ImageBuffer {
    var out = image
    for i in out.values.indices where out.values[i] >= threshold {
      out.values[i] = range.lower + range.upper - out.values[i]
    }
    return out
  }

  /// The normalised 1-D Gaussian of `size` taps (odd) and standard deviation `sigma` pixels.
  public static func gaussianKernel(size: Int, sigma: Float) -> [Float] {
    let radius = size / 2
    var taps = (0..<size).map { i -> Float in
      let d = Float(i - radius)
      return Float(exp(Double(-(d * d) / (2 * sigma * sigma))))
    }
    let total = taps.reduce(0, +)
    for i in taps.indices { taps[i] /= total }
    return taps
  }

  /// The image convolved with a `size × size` Gaussian of standard deviation `sigma` (as two
  /// 1-D passes), borders mirrored without repeating the edge pixel (`d c b | a b c d`, numpy's
  /// and torchvision's `reflect`).
  public static func gaussianBlurred(_ image: ImageBuffer, size: Int, sigma: Float) -> ImageBuffer {
    let taps = gaussianKernel(size: size, sigma: sigma)
    let radius = size / 2
    let (h, w, c) = (image.height, image.width, image.channels)
    var rows = [Float](repeating: 0, count: image.values.count)
    for y in 0..<h {
      for x in 0..<w {
        for (t, weight) in taps.enumerated() {
          let sx = mirroredIndex(x + t - radius, extent: w)
          for k in 0..<c { rows[(y * w + x) * c + k] += weight * image.values[(y * w + sx) * c + k] }
        }
      }
    }
    var out = [Float](repeating: 0, count: image.values.count)
    for y in 0..<h {
      for (t, weight) in taps.enumerated() {
        let sy = mirroredIndex(y + t - radius, extent: h)
        for x in 0..<w {
          for k in 0..<c { out[(y * w + x) * c + k] += weight * rows[(sy * w + x) * c + k] }
        }
      }
    }
    return ImageBuffer(height: h, width: w, channels: c, values: out)
  }

  /// `index` reflected into `0 ..< extent` about the edge pixels (period `2 (extent − 1)`).
  public static func mirroredIndex(_ index: Int, extent: Int) -> Int {
    guard extent > 1 else { return 0 }
    let period = 2 * (extent - 1)
    var i = index % period
    if i < 0 { i += period }
    return i < extent ? i : period - i
  }
}
