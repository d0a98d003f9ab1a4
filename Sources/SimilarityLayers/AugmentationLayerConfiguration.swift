import SimilarityTensors

/// The hyper-parameters of an ``AugmentationLayer``: its name, seed and op, written flat as
/// Keras does, `{"name": "random_flip", "seed": 7, "mode": "horizontal"}`, under the op's
/// Keras type (`"type": "RandomFlip"`).
public struct AugmentationLayerConfiguration: Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// The generator's seed.
  public var seed: UInt64
  /// The op and its hyper-parameters.
  public var step: ImageAugmentationStep

  /// A configuration.
  public init(name: String, seed: UInt64, step: ImageAugmentationStep) {
    self.name = name
    self.seed = seed
    self.step = step
  }

  private enum CodingKeys: String, CodingKey {
    case name, seed
  }

  /// Decodes the configuration of the layer whose Keras type is `kerasName`.
  init(kerasName: String, from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    seed = try container.decode(UInt64.self, forKey: .seed)
    step = try ImageAugmentationStep(kerasName: kerasName, configuration: decoder)
  }

  /// Encodes name, seed and the op's hyper-parameters in one object.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(seed, forKey: .seed)
    try step.op.encode(to: encoder)
  }

  /// The layer.
  func makeLayer() -> any Layer {
    switch step {
    case .randomFlip(let op): RandomFlip(op, seed: seed, name: name)
    case .randomCrop(let op): RandomCrop(op, seed: seed, name: name)
    case .randomRotation(let op): RandomRotation(op, seed: seed, name: name)
    case .randomZoom(let op): RandomZoom(op, seed: seed, name: name)
    case .randomTranslation(let op): RandomTranslation(op, seed: seed, name: name)
    case .randomContrast(let op): RandomContrast(op, seed: seed, name: name)
    case .randomBrightness(let op): RandomBrightness(op, seed: seed, name: name)
    case .randomColorJitter(let op): RandomColorJitter(op, seed: seed, name: name)
    case .randomGaussianBlur(let op): RandomGaussianBlur(op, seed: seed, name: name)
    case .solarization(let op): Solarization(op, seed: seed, name: name)
    case .randomGrayscale(let op): RandomGrayscale(op, seed: seed, name: name)
    }
  }
}
