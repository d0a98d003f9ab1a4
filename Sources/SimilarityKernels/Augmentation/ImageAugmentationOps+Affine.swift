/// The transform matrix an affine augmentation drew (`ImageTransforms.projected`'s 8 values).
public struct AffineParameters: Equatable, Sendable {
  /// `[a0, a1, a2, b0, b1, b2, c0, c1]`.
  public var transform: [Float]

  /// The choice.
  public init(transform: [Float]) { self.transform = transform }
}

/// The resampling settings shared by ``RandomRotationOp``, ``RandomZoomOp`` and
/// ``RandomTranslationOp``.
protocol AffineAugmentationOp: ImageAugmentationOp where Parameters == AffineParameters {
  var fillMode: FillMode { get }
  var interpolation: Interpolation { get }
  var fillValue: Float { get }
}

extension AffineAugmentationOp {
  /// The image resampled through the drawn transform.
  public func applying(_ p: AffineParameters, to image: ImageBuffer) -> ImageBuffer {
    ImageTransforms.projected(
      image, transform: p.transform, fillMode: fillMode, interpolation: interpolation,
      fillValue: fillValue)
  }

  func requireFiniteFill() throws(ImageAugmentationError) {
    try require(fillValue.isFinite, "fill_value", fillValue, "a finite number")
  }
}

/// Keras' `RandomRotation`: a rotation about the centre by an angle drawn from `factor`
/// (fractions of a full turn, 2π), resampled with `interpolation` and `fillMode`.
public struct RandomRotationOp: AffineAugmentationOp {
  /// `"RandomRotation"`.
  public static let kerasName = "RandomRotation"
  /// The angle range in turns (`0.1` is ±36°).
  public var factor: FactorRange
  /// Outside pixels.
  public var fillMode: FillMode
  /// Reading between pixels.
  public var interpolation: Interpolation
  /// The value of `.constant` fill.
  public var fillValue: Float

  private enum CodingKeys: String, CodingKey {
    case factor, interpolation
    case fillMode = "fill_mode"
    case fillValue = "fill_value"
  }

  /// The op with Keras' defaults (`reflect`, `bilinear`, fill value 0).
  public init(
    factor: FactorRange, fillMode: FillMode = .reflect, interpolation: Interpolation = .bilinear,
    fillValue: Float = 0
  ) {
    self.factor = factor
    self.fillMode = fillMode
    self.interpolation = interpolation
    self.fillValue = fillValue
  }

  /// `factor` within `[-1, 1]`, ordered.
  public func validate() throws(ImageAugmentationError) {
    try factor.validate(op: Self.kerasName, parameter: "factor", allowed: -1...1)
    try requireFiniteFill()
  }

  /// The rotation matrix of an angle drawn from `factor · 2π`.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> AffineParameters {
    let angle = factor.draw(using: &generator) * 2 * Float.pi
    return AffineParameters(
      transform: ImageTransforms.rotationTransform(angle: angle, height: image.height, width: image.width))
  }
}

/// Keras' `RandomZoom`: a zoom about the centre by `1 + f` per axis, `f` drawn from
/// `heightFactor` (and `widthFactor`, or the same draw when it is `nil`); positive factors
/// zoom out, negative zoom in.
public struct RandomZoomOp: AffineAugmentationOp {
  /// `"RandomZoom"`.
  public static let kerasName = "RandomZoom"
  /// The vertical zoom range.
  public var heightFactor: FactorRange
  /// The horizontal zoom range; `nil` keeps the aspect ratio.
  public var widthFactor: FactorRange?
  /// Outside pixels.
  public var fillMode: FillMode
  /// Reading between pixels.
  public var interpolation: Interpolation
  /// The value of `.constant` fill.
  public var fillValue: Float

  private enum CodingKeys: String, CodingKey {
    case interpolation
    case heightFactor = "height_factor"
    case widthFactor = "width_factor"
    case fillMode = "fill_mode"
    case fillValue = "fill_value"
  }

  /// The op with Keras' defaults.
  public init(
    heightFactor: FactorRange, widthFactor: FactorRange? = nil, fillMode: FillMode = .reflect,
    interpolation: Interpolation = .bilinear, fillValue: Float = 0
  ) {
    self.heightFactor = heightFactor
    self.widthFactor = widthFactor
    self.fillMode = fillMode
    self.interpolation = interpolation
    self.fillValue = fillValue
  }

  /// Factors within `(-1, ∞)` (a zoom of `1 + f` must stay positive).
  public func validate() throws(ImageAugmentationError) {
    let allowed: ClosedRange<Float> = -0.999...1000
    try heightFactor.validate(op: Self.kerasName, parameter: "height_factor", allowed: allowed)
    try widthFactor?.validate(op: Self.kerasName, parameter: "width_factor", allowed: allowed)
    try requireFiniteFill()
  }

  /// The zoom matrix.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> AffineParameters {
    let zoomY = 1 + heightFactor.draw(using: &generator)
    let zoomX = widthFactor.map { 1 + $0.draw(using: &generator) } ?? zoomY
    return AffineParameters(
      transform: ImageTransforms.zoomTransform(
        zoomX: zoomX, zoomY: zoomY, height: image.height, width: image.width))
  }
}

/// Keras' `RandomTranslation`: a shift by fractions of the height and width drawn from
/// `heightFactor` and `widthFactor` (positive moves the content down and right).
public struct RandomTranslationOp: AffineAugmentationOp {
  /// `"RandomTranslation"`.
  public static let kerasName = "RandomTranslation"
  /// The vertical shift range, as a fraction of the height.
  public var heightFactor: FactorRange
  /// The horizontal shift range, as a fraction of the width.
  public var widthFactor: FactorRange
  /// Outside pixels.
  public var fillMode: FillMode
  /// Reading between pixels.
  public var interpolation: Interpolation
  /// The value of `.constant` fill.
  public var fillValue: Float

  private enum CodingKeys: String, CodingKey {
    case interpolation
    case heightFactor = "height_factor"
    case widthFactor = "width_factor"
    case fillMode = "fill_mode"
    case fillValue = "fill_value"
  }

  /// The op with Keras' defaults.
  public init(
    heightFactor: FactorRange, widthFactor: FactorRange, fillMode: FillMode = .reflect,
    interpolation: Interpolation = .bilinear, fillValue: Float = 0
  ) {
    self.heightFactor = heightFactor
    self.widthFactor = widthFactor
    self.fillMode = fillMode
    self.interpolation = interpolation
    self.fillValue = fillValue
  }

  /// Factors within `[-1, 1]`.
  public func validate() throws(ImageAugmentationError) {
    try heightFactor.validate(op: Self.kerasName, parameter: "height_factor", allowed: -1...1)
    try widthFactor.validate(op: Self.kerasName, parameter: "width_factor", allowed: -1...1)
    try requireFiniteFill()
  }

  /// The translation matrix.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> AffineParameters {
    let dy = heightFactor.draw(using: &generator) * Float(image.height)
    let dx = widthFactor.draw(using: &generator) * Float(image.width)
    return AffineParameters(transform: ImageTransforms.translationTransform(dx: dx, dy: dy))
  }
}
