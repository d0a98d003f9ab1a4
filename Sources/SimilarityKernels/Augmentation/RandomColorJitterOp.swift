/// Colour jitter (Keras' `RandomColorJitter`, SimCLR's and torchvision's `ColorJitter`):
/// brightness, contrast, saturation and hue changed in that order by amounts drawn
/// independently, then clipped to `valueRange`.
///
/// - brightness: a delta in `[-brightness, brightness] × (upper − lower)`;
/// - contrast: a factor in `[1 − contrast, 1 + contrast]`;
/// - saturation: a factor in `[1 − saturation, 1 + saturation]` (RGB only);
/// - hue: a rotation in `[-hue, hue]` turns (RGB only).
public struct RandomColorJitterOp: ImageAugmentationOp {
  /// `"RandomColorJitter"`.
  public static let kerasName = "RandomColorJitter"
  /// The brightness range, a fraction of the value range in `[0, 1]`.
  public var brightness: Float
  /// The contrast range in `[0, 1]`.
  public var contrast: Float
  /// The saturation range in `[0, 1]`.
  public var saturation: Float
  /// The hue range in turns, in `[0, 0.5]`.
  public var hue: Float
  /// The pixel range (saturation and hue work relative to its lower end).
  public var valueRange: ValueRange

  private enum CodingKeys: String, CodingKey {
    case brightness, contrast, saturation, hue
    case valueRange = "value_range"
  }

  /// The op; zero leaves a property unchanged.
  public init(
    brightness: Float = 0, contrast: Float = 0, saturation: Float = 0, hue: Float = 0,
    valueRange: ValueRange = .bytes
  ) {
    self.brightness = brightness
    self.contrast = contrast
    self.saturation = saturation
    self.hue = hue
    self.valueRange = valueRange
  }

  /// Every strength within its range.
  public func validate() throws(ImageAugmentationError) {
    try require(brightness >= 0 && brightness <= 1, "brightness", brightness, "a number in [0, 1]")
    try require(contrast >= 0 && contrast <= 1, "contrast", contrast, "a number in [0, 1]")
    try require(saturation >= 0 && saturation <= 1, "saturation", saturation, "a number in [0, 1]")
    try require(hue >= 0 && hue <= 0.5, "hue", hue, "a number of turns in [0, 0.5]")
    try valueRange.validate(op: Self.kerasName)
  }

  /// The four amounts.
  public struct Parameters: Equatable, Sendable {
    /// Added to every value.
    public var brightnessDelta: Float
    /// `tf.image.adjust_contrast`'s factor.
    public var contrastFactor: Float
    /// `tf.image.adjust_saturation`'s factor.
    public var saturationFactor: Float
    /// `tf.image.adjust_hue`'s delta, in turns.
    public var hueDelta: Float

    /// The choices.
    public init(brightnessDelta: Float, contrastFactor: Float, saturationFactor: Float, hueDelta: Float) {
      self.brightnessDelta = brightnessDelta
      self.contrastFactor = contrastFactor
      self.saturationFactor = saturationFactor
      self.hueDelta = hueDelta
    }
  }

  /// Four independent uniform draws.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> Parameters {
    let width = valueRange.upper - valueRange.lower
    return Parameters(
      brightnessDelta: FactorRange(symmetric: brightness).draw(using: &generator) * width,
      contrastFactor: FactorRange(1 - contrast, 1 + contrast).draw(using: &generator),
      saturationFactor: FactorRange(1 - saturation, 1 + saturation).draw(using: &generator),
      hueDelta: FactorRange(symmetric: hue).draw(using: &generator))
  }

  /// The four adjustments, each result clipped to the value range.
  public func applying(_ p: Parameters, to image: ImageBuffer) -> ImageBuffer {
    var out = ImageTransforms.brightnessAdjusted(image, delta: p.brightnessDelta).clipped(to: valueRange)
    out = ImageTransforms.contrastAdjusted(out, factor: p.contrastFactor).clipped(to: valueRange)
    guard out.channels == 3 else { return out }
    // Saturation and hue are defined for values ≥ 0: shift by the range's lower end.
    out = ImageTransforms.brightnessAdjusted(out, delta: -valueRange.lower)
    out = ImageTransforms.saturationAdjusted(out, factor: p.saturationFactor)
    out = ImageTransforms.hueAdjusted(out, delta: p.hueDelta)
    return ImageTransforms.brightnessAdjusted(out, delta: valueRange.lower).clipped(to: valueRange)
  }
}
