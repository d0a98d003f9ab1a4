/// Keras' `RandomCrop`: a `height × width` window at a uniformly random position while
/// training, the centred window at inference. The input must be at least that large.
public struct RandomCropOp: ImageAugmentationOp {
  /// `"RandomCrop"`.
  public static let kerasName = "RandomCrop"
  /// Output rows.
  public var height: Int
  /// Output columns.
  public var width: Int

  /// The op.
  public init(height: Int, width: Int) {
    self.height = height
    self.width = width
  }

  /// Positive sizes.
  public func validate() throws(ImageAugmentationError) {
    try require(height > 0 && height <= 1 << 20, "height", height, "1…1048576")
    try require(width > 0 && width <= 1 << 20, "width", width, "1…1048576")
  }

  /// `height × width`; throws for a smaller input.
  public func outputSize(height inputHeight: Int, width inputWidth: Int) throws(ImageAugmentationError)
    -> (height: Int, width: Int)
  {
    guard inputHeight >= height, inputWidth >= width else {
      throw .unsupportedShape(
        op: Self.kerasName, shape: [inputHeight, inputWidth],
        expected: "at least \(height) × \(width) to crop \(height) × \(width)")
    }
    return (height, width)
  }

  /// The window's top-left pixel.
  public struct Parameters: Equatable, Sendable {
    /// First row.
    public var top: Int
    /// First column.
    public var left: Int

    /// The choices.
    public init(top: Int, left: Int) {
      self.top = top
      self.left = left
    }
  }

  /// A uniform position.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> Parameters {
    let top = generator.integer(through: image.height - height)
    let left = generator.integer(through: image.width - width)
    return Parameters(top: top, left: left)
  }

  /// The window.
  public func applying(_ p: Parameters, to image: ImageBuffer) -> ImageBuffer {
    image.cropped(top: p.top, left: p.left, height: height, width: width)
  }

  /// `false`: the centre crop.
  public var isIdentityAtInference: Bool { false }

  /// The centred window (the extra row or column, when the margin is odd, goes below and
  /// right, as Keras' `CenterCrop`).
  public func inference(_ image: ImageBuffer) -> ImageBuffer {
    applying(Parameters(top: (image.height - height) / 2, left: (image.width - width) / 2), to: image)
  }
}
