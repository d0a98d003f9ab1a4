/// One drawn factor (a contrast factor, a brightness delta, a blur sigma).
public struct FactorParameter: Equatable, Sendable {
  /// The value drawn.
  public var value: Float

  /// The choice.
  public init(_ value: Float) { self.value = value }
}

/// Whether a probabilistic op fires.
public struct ChanceParameter: Equatable, Sendable {
  /// Apply the transform.
  public var applies: Bool

  /// The choice.
  public init(_ applies: Bool) { self.applies = applies }
}

/// Keras' `RandomContrast`: `tf.image.adjust_contrast` by a factor drawn from
/// `[1 − factor, 1 + factor]`, then clipped to `valueRange`.
public struct RandomContrastOp: ImageAugmentationOp {
  /// `"RandomContrast"`.
  public static let kerasName = "RandomContrast"
  /// The half-width of the contrast factor's range around 1, in `[0, 1]`.
  public var factor: Float
  /// The pixel range the result is clipped to.
  public var valueRange: ValueRange

  private enum CodingKeys: String, CodingKey {
    case factor
    case valueRange = "value_range"
  }

  /// The op (Keras' default value range `[0, 255]`).
  public init(factor: Float, valueRange: ValueRange = .bytes) {
    self.factor = factor
    self.valueRange = valueRange
  }

  /// `factor` in `[0, 1]`, an ordered value range.
  public func validate() throws(ImageAugmentationError) {
    try require(factor >= 0 && factor <= 1, "factor", factor, "a number in [0, 1]")
    try valueRange.validate(op: Self.kerasName)
  }

  /// The contrast factor.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> FactorParameter {
    FactorParameter(FactorRange(1 - factor, 1 + factor).draw(using: &generator))
  }

  /// The adjusted, clipped image.
  public func applying(_ p: FactorParameter, to image: ImageBuffer) -> ImageBuffer {
    ImageTransforms.contrastAdjusted(image, factor: p.value).clipped(to: valueRange)
  }
}

/// Keras' `RandomBrightness`: a delta drawn from `factor` (fractions of the value range's
/// width, within `[-1, 1]`) added to every value, then clipped to `valueRange`.
public struct RandomBrightnessOp: ImageAugmentationOp {
  /// `"RandomBrightness"`.
  public static let kerasName = "RandomBrightness"
  /// The delta range as fractions of `valueRange`'s width.
  public var factor: FactorRange
  /// The pixel range the delta scales with and the result is clipped to.
  public var valueRange: ValueRange

  private enum CodingKeys: String, CodingKey {
    case factor
    case valueRange = "value_range"
  }

  /// The op (Keras' default value range `[0, 255]`).
  public init(factor: FactorRange, valueRange: ValueRange = .bytes) {
    self.factor = factor
    self.valueRange = valueRange
  }

  /// `factor` within `[-1, 1]`, an ordered value range.
  public func validate() throws(ImageAugmentationError) {
    try factor.validate(op: Self.kerasName, parameter: "factor", allowed: -1...1)
    try valueRange.validate(op: Self.kerasName)
  }

  /// The delta in pixel values.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> FactorParameter {
    FactorParameter(factor.draw(using: &generator) * (valueRange.upper - valueRange.lower))
  }

  /// The brightened, clipped image.
  public func applying(_ p: FactorParameter, to image: ImageBuffer) -> ImageBuffer {
    ImageTransforms.brightnessAdjusted(image, delta: p.value).clipped(to: valueRange)
  }
}

/// Keras' `RandomGaussianBlur` (torchvision's `GaussianBlur`): a `kernelSize × kernelSize`
/// Gaussian with a standard deviation drawn from `sigma` pixels, borders mirrored.
public struct RandomGaussianBlurOp: ImageAugmentationOp {
  /// `"RandomGaussianBlur"`.
  public static let kerasName = "RandomGaussianBlur"
  /// Taps per axis (odd).
  public var kernelSize: Int
  /// The range of standard deviations, in pixels.
  public var sigma: FactorRange

  private enum CodingKeys: String, CodingKey {
    case sigma
    case kernelSize = "kernel_size"
  }

  /// The op (SimCLR's sigma range 0.1…2 by default).
  public init(kernelSize: Int, sigma: FactorRange = FactorRange(0.1, 2)) {
    self.kernelSize = kernelSize
    self.sigma = sigma
  }

  /// An odd kernel size in 1…255 and `0 < sigma.lower ≤ sigma.upper`.
  public func validate() throws(ImageAugmentationError) {
    try require(
      kernelSize >= 1 && kernelSize <= 255 && kernelSize % 2 == 1, "kernel_size", kernelSize,
      "an odd number in 1…255")
    try sigma.validate(op: Self.kerasName, parameter: "sigma", allowed: 1e-3...1000)
  }

  /// The standard deviation.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> FactorParameter {
    FactorParameter(sigma.draw(using: &generator))
  }

  /// The blurred image.
  public func applying(_ p: FactorParameter, to image: ImageBuffer) -> ImageBuffer {
    ImageTransforms.gaussianBlurred(image, size: kernelSize, sigma: p.value)
  }
}

/// Solarization (Keras' `Solarization`, SimCLR/BYOL's solarize): with probability
/// `probability`, every value at or above `threshold` is inverted within `valueRange`.
public struct SolarizationOp: ImageAugmentationOp {
  /// `"Solarization"`.
  public static let kerasName = "Solarization"
  /// Values at or above it are inverted.
  public var threshold: Float
  /// The chance that an image is solarized.
  public var probability: Float
  /// The range inverted within.
  public var valueRange: ValueRange

  private enum CodingKeys: String, CodingKey {
    case threshold, probability
    case valueRange = "value_range"
  }

  /// The op.
  public init(threshold: Float, probability: Float = 1, valueRange: ValueRange = .bytes) {
    self.threshold = threshold
    self.probability = probability
    self.valueRange = valueRange
  }

  /// `threshold` inside the value range, `probability` in `[0, 1]`.
  public func validate() throws(ImageAugmentationError) {
    try valueRange.validate(op: Self.kerasName)
    try require(
      threshold >= valueRange.lower && threshold <= valueRange.upper, "threshold", threshold,
      "a value in [\(valueRange.lower), \(valueRange.upper)]")
    try require(probability >= 0 && probability <= 1, "probability", probability, "a number in [0, 1]")
  }

  /// Whether this image is solarized.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> ChanceParameter {
    ChanceParameter(generator.chance(probability))
  }

  /// The solarized image, or the input.
  public func applying(_ p: ChanceParameter, to image: ImageBuffer) -> ImageBuffer {
    p.applies ? ImageTransforms.solarized(image, threshold: threshold, range: valueRange) : image
  }
}

/// Keras' `RandomGrayscale`: with probability `factor`, an RGB image becomes its luma in all
/// three channels (the channel count is kept; grey images are unchanged).
public struct RandomGrayscaleOp: ImageAugmentationOp {
  /// `"RandomGrayscale"`.
  public static let kerasName = "RandomGrayscale"
  /// The chance that an image turns grey.
  public var factor: Float

  /// The op (Keras' default ½).
  public init(factor: Float = 0.5) { self.factor = factor }

  /// `factor` in `[0, 1]`.
  public func validate() throws(ImageAugmentationError) {
    try require(factor >= 0 && factor <= 1, "factor", factor, "a probability in [0, 1]")
  }

  /// Whether this image turns grey.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> ChanceParameter {
    ChanceParameter(generator.chance(factor))
  }

  /// The grey image, or the input.
  public func applying(_ p: ChanceParameter, to image: ImageBuffer) -> ImageBuffer {
    p.applies ? ImageTransforms.grayscaled(image) : image
  }
}
