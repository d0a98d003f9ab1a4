/// Any one of the augmentations, as a value: what an augmentation pipeline and an
/// augmentation layer's configuration store. Encoded like a Keras layer,
/// `{"type": "RandomFlip", "config": {"mode": "horizontal"}}`.
public enum ImageAugmentationStep: Equatable, Sendable {
  /// ``RandomFlipOp``.
  case randomFlip(RandomFlipOp)
  /// ``RandomCropOp``.
  case randomCrop(RandomCropOp)
  /// ``RandomRotationOp``.
  case randomRotation(RandomRotationOp)
  /// ``RandomZoomOp``.
  case randomZoom(RandomZoomOp)
  /// ``RandomTranslationOp``.
  case randomTranslation(RandomTranslationOp)
  /// ``RandomContrastOp``.
  case randomContrast(RandomContrastOp)
  /// ``RandomBrightnessOp``.
  case randomBrightness(RandomBrightnessOp)
  /// ``RandomColorJitterOp``.
  case randomColorJitter(RandomColorJitterOp)
  /// ``RandomGaussianBlurOp``.
  case randomGaussianBlur(RandomGaussianBlurOp)
  /// ``SolarizationOp``.
  case solarization(SolarizationOp)
  /// ``RandomGrayscaleOp``.
  case randomGrayscale(RandomGrayscaleOp)

  /// The op inside.
  public var op: any ImageAugmentationOp {
    switch self {
    case .randomFlip(let op): op
    case .randomCrop(let op): op
    case .randomRotation(let op): op
    case .randomZoom(let op): op
    case .randomTranslation(let op): op
    case .randomContrast(let op): op
    case .randomBrightness(let op): op
    case .randomColorJitter(let op): op
    case .randomGaussianBlur(let op): op
    case .solarization(let op): op
    case .randomGrayscale(let op): op
    }
  }

  /// The Keras layer name.
  public var kerasName: String { type(of: op).kerasName }

  /// Every Keras name a step can have.
  public static let kerasNames = [
    RandomFlipOp.kerasName, RandomCropOp.kerasName, RandomRotationOp.kerasName,
    RandomZoomOp.kerasName, RandomTranslationOp.kerasName, RandomContrastOp.kerasName,
    RandomBrightnessOp.kerasName, RandomColorJitterOp.kerasName, RandomGaussianBlurOp.kerasName,
    SolarizationOp.kerasName, RandomGrayscaleOp.kerasName,
  ]

  /// Throws for hyper-parameters the op does not accept.
  public func validate() throws(ImageAugmentationError) { try op.validate() }

  /// The output `[height, width]` for an input of `height × width`.
  public func outputSize(height: Int, width: Int) throws(ImageAugmentationError) -> (height: Int, width: Int) {
    try op.outputSize(height: height, width: width)
  }

  /// The op applied with choices drawn from `generator` (training).
  public func randomlyApplied(to image: ImageBuffer, using generator: inout SplitMix64) -> ImageBuffer {
    op.randomlyApplied(to: image, using: &generator)
  }

  /// The op outside training.
  public func inference(_ image: ImageBuffer) -> ImageBuffer { op.inference(image) }
}

extension ImageAugmentationStep: Codable {
  private enum CodingKeys: String, CodingKey {
    case type, config
  }

  /// Decodes `{"type", "config"}`; an unknown type names the known ones.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let type = try container.decode(String.self, forKey: .type)
    guard Self.kerasNames.contains(type) else {
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container,
        debugDescription: "unknown augmentation \"\(type)\"; expected one of "
          + Self.kerasNames.joined(separator: ", "))
    }
    try self.init(kerasName: type, configuration: container.superDecoder(forKey: .config))
  }

  /// The step named `kerasName` (one of ``kerasNames``, programmer error otherwise) with its
  /// hyper-parameters decoded from `decoder` (keys it does not know, such as a layer's
  /// `name` and `seed`, are ignored).
  public init(kerasName: String, configuration decoder: any Decoder) throws {
    switch kerasName {
    case RandomFlipOp.kerasName: self = .randomFlip(try RandomFlipOp(from: decoder))
    case RandomCropOp.kerasName: self = .randomCrop(try RandomCropOp(from: decoder))
    case RandomRotationOp.kerasName: self = .randomRotation(try RandomRotationOp(from: decoder))
    case RandomZoomOp.kerasName: self = .randomZoom(try RandomZoomOp(from: decoder))
    case RandomTranslationOp.kerasName: self = .randomTranslation(try RandomTranslationOp(from: decoder))
    case RandomContrastOp.kerasName: self = .randomContrast(try RandomContrastOp(from: decoder))
    case RandomBrightnessOp.kerasName: self = .randomBrightness(try RandomBrightnessOp(from: decoder))
    case RandomColorJitterOp.kerasName: self = .randomColorJitter(try RandomColorJitterOp(from: decoder))
    case RandomGaussianBlurOp.kerasName: self = .randomGaussianBlur(try RandomGaussianBlurOp(from: decoder))
    case SolarizationOp.kerasName: self = .solarization(try SolarizationOp(from: decoder))
    case RandomGrayscaleOp.kerasName: self = .randomGrayscale(try RandomGrayscaleOp(from: decoder))
    default: preconditionFailure("ImageAugmentationStep: unknown Keras name \(kerasName)")
    }
  }

  /// Encodes `{"type", "config"}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kerasName, forKey: .type)
    try container.encode(op, forKey: .config)
  }
}
