/// One random image augmentation with Keras' preprocessing-layer name and hyper-parameters,
/// split in two: ``drawParameters(for:using:)`` takes every random choice from the generator,
/// ``applying(_:to:)`` is the deterministic transform given those choices. The sampler
/// pipeline (SimilarityDatasets' `Augmentation`) and the layers (SimilarityLayers'
/// `RandomFlip`, …) both run these, so the two faces cannot drift apart.
///
/// Images are `[height, width, channels]` (``ImageBuffer``).
public protocol ImageAugmentationOp: Codable, Equatable, Sendable {
  /// The random choices of one application.
  associatedtype Parameters: Equatable, Sendable
  /// The Keras layer name, e.g. `"RandomFlip"`.
  static var kerasName: String { get }
  /// Throws for hyper-parameters the op does not accept, naming the op, parameter and value.
  func validate() throws(ImageAugmentationError)
  /// The output `[height, width]` for an input of `height × width` (the input's, except for
  /// ``RandomCropOp``); throws when the op cannot take that size.
  func outputSize(height: Int, width: Int) throws(ImageAugmentationError) -> (height: Int, width: Int)
  /// Draws the random choices for `image` from `generator`.
  func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> Parameters
  /// The transform given its choices (deterministic).
  func applying(_ parameters: Parameters, to image: ImageBuffer) -> ImageBuffer
  /// What the op does outside training: the identity, except ``RandomCropOp``'s centre crop.
  func inference(_ image: ImageBuffer) -> ImageBuffer
  /// Whether ``inference(_:)`` is the identity (so callers may skip it).
  var isIdentityAtInference: Bool { get }
}

extension ImageAugmentationOp {
  /// The input size.
  public func outputSize(height: Int, width: Int) throws(ImageAugmentationError) -> (height: Int, width: Int) {
    (height, width)
  }

  /// The identity.
  public func inference(_ image: ImageBuffer) -> ImageBuffer { image }

  /// `true`: most ops do nothing outside training.
  public var isIdentityAtInference: Bool { true }

  /// Draws the choices from `generator` and applies them.
  public func randomlyApplied(to image: ImageBuffer, using generator: inout SplitMix64) -> ImageBuffer {
    applying(drawParameters(for: image, using: &generator), to: image)
  }

  /// Throws `invalidParameter` unless `condition`.
  func require(
    _ condition: Bool, _ parameter: String, _ value: Any, _ expected: String
  ) throws(ImageAugmentationError) {
    guard condition else {
      throw .invalidParameter(op: Self.kerasName, parameter: parameter, value: "\(value)", expected: expected)
    }
  }
}

extension SplitMix64 {
  /// `true` with probability `p`.
  mutating func chance(_ p: Float) -> Bool {
    nextUnitFloat() < p
  }

  /// A uniform integer in `0 ... upper`.
  mutating func integer(through upper: Int) -> Int {
    upper <= 0 ? 0 : Int(next() % UInt64(upper + 1))
  }
}

/// Keras' `RandomFlip`: each chosen axis mirrored with probability ½.
public struct RandomFlipOp: ImageAugmentationOp {
  /// Which axes may flip (Keras' `mode`).
  public enum Mode: String, Codable, Sendable, CaseIterable {
    /// Left–right.
    case horizontal
    /// Top–bottom.
    case vertical
    /// Each independently.
    case horizontalAndVertical = "horizontal_and_vertical"
  }

  /// `"RandomFlip"`.
  public static let kerasName = "RandomFlip"
  /// Which axes may flip.
  public var mode: Mode

  /// The op; Keras' default mode flips both axes.
  public init(mode: Mode = .horizontalAndVertical) { self.mode = mode }

  /// Always valid.
  public func validate() throws(ImageAugmentationError) {}

  /// Whether each axis flips.
  public struct Parameters: Equatable, Sendable {
    /// Mirror left–right.
    public var horizontal: Bool
    /// Mirror top–bottom.
    public var vertical: Bool

    /// The choices.
    public init(horizontal: Bool, vertical: Bool) {
      self.horizontal = horizontal
      self.vertical = vertical
    }
  }

  /// Each allowed axis flips with probability ½.
  public func drawParameters(for image: ImageBuffer, using generator: inout SplitMix64) -> Parameters {
    let horizontal = mode != .vertical && generator.chance(0.5)
    let vertical = mode != .horizontal && generator.chance(0.5)
    return Parameters(horizontal: horizontal, vertical: vertical)
  }

  /// The flipped image.
  public func applying(_ p: Parameters, to image: ImageBuffer) -> ImageBuffer {
    ImageTransforms.flipped(image, horizontal: p.horizontal, vertical: p.vertical)
  }
}
