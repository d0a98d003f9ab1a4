import SimilarityTensors

/// A Keras image-augmentation layer (`RandomFlip`, `RandomCrop`, `RandomRotation`,
/// `RandomZoom`, `RandomTranslation`, `RandomContrast`, `RandomBrightness`,
/// `RandomColorJitter`, `RandomGaussianBlur`, `Solarization`, `RandomGrayscale`) on
/// `[batch, height, width, channels]` images: while training (``isTraining``), each example
/// gets the op with choices drawn from the layer's own generator, seeded by `seed`; at
/// inference it is the identity (``RandomCrop`` crops the centre), as in Keras.
///
/// The transforms are SimilarityKernels' ``ImageAugmentationOp``s, the same code as
/// SimilarityDatasets' `Augmentation` pipeline. Augmentation is not differentiated: in
/// training the output is a new constant tensor, so put these layers first, on the input.
public final class AugmentationLayer<Op: ImageAugmentationOp>: Layer {
  /// The Keras class name (`"RandomFlip"`, …).
  public static var typeName: String { Op.kerasName }
  /// Keras' snake-case default name (`"random_flip"`, …).
  public static var defaultName: String { snakeCase(Op.kerasName) }
  /// The layer's name.
  public var name: String
  /// The augmentation.
  public let op: Op
  /// The seed of the layer's generator.
  public let seed: UInt64
  /// Whether the op is applied (set through the model's ``Model/isTraining``).
  public var isTraining = false
  private var generator: SplitMix64

  /// Creates the layer; `op`'s hyper-parameters must be valid (programmer error otherwise —
  /// ``LayerConfiguration/makeLayer(lambdas:)`` throws instead).
  public init(_ op: Op, seed: UInt64 = 0, name: String? = nil) {
    do { try op.validate() } catch { preconditionFailure(error.description) }
    self.op = op
    self.seed = seed
    self.generator = SplitMix64(seed: seed)
    self.name = name ?? Self.defaultName
  }

  /// The input shape, or the crop's for ``RandomCrop`` (inputs must be
  /// `[batch, height, width, channels]` at least that large).
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(inputShape.count == 4, "\(Self.typeName): needs [batch, height, width, channels] inputs")
    guard let height = inputShape[1], let width = inputShape[2] else { return inputShape }
    do {
      let size = try op.outputSize(height: height, width: width)
      return [inputShape[0], size.height, size.width, inputShape[3]]
    } catch {
      preconditionFailure(error.description)
    }
  }

  /// Each example augmented while training; at inference the input (``RandomCrop``: its
  /// centre crop).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let shape = input.shape
    precondition(shape.count == 4, "\(Self.typeName): needs [batch, height, width, channels], got \(shape)")
    guard isTraining || !op.isIdentityAtInference else { return input }
    let (batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
    let size = height * width * channels
    var out: [Float] = []
    var outShape = shape
    for b in 0..<batch {
      let image = ImageBuffer(
        height: height, width: width, channels: channels,
        values: Array(input.scalars[(b * size)..<((b + 1) * size)]))
      let result = isTraining
        ? op.randomlyApplied(to: image, using: &generator) : op.inference(image)
      outShape = [batch, result.height, result.width, channels]
      out.append(contentsOf: result.values)
    }
    if batch == 0 {
      let size = (try? op.outputSize(height: height, width: width)) ?? (height: height, width: width)
      outShape = [0, size.height, size.width, channels]
    }
    return Tensor(shape: outShape, scalars: out)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .imageAugmentation(AugmentationLayerConfiguration(name: name, seed: seed, step: step))
  }

  /// The op as a step value.
  var step: ImageAugmentationStep {
    switch op {
    case let op as RandomFlipOp: .randomFlip(op)
    case let op as RandomCropOp: .randomCrop(op)
    case let op as RandomRotationOp: .randomRotation(op)
    case let op as RandomZoomOp: .randomZoom(op)
    case let op as RandomTranslationOp: .randomTranslation(op)
    case let op as RandomContrastOp: .randomContrast(op)
    case let op as RandomBrightnessOp: .randomBrightness(op)
    case let op as RandomColorJitterOp: .randomColorJitter(op)
    case let op as RandomGaussianBlurOp: .randomGaussianBlur(op)
    case let op as SolarizationOp: .solarization(op)
    case let op as RandomGrayscaleOp: .randomGrayscale(op)
    default: preconditionFailure("AugmentationLayer: \(Op.self) is not one of the library's ops")
    }
  }
}

/// `"RandomFlip"` → `"random_flip"`.
func snakeCase(_ name: String) -> String {
  var out = ""
  for character in name {
    if character.isUppercase, !out.isEmpty { out.append("_") }
    out.append(contentsOf: character.lowercased())
  }
  return out
}

/// Keras' `RandomFlip` layer.
public typealias RandomFlip = AugmentationLayer<RandomFlipOp>
/// Keras' `RandomCrop` layer.
public typealias RandomCrop = AugmentationLayer<RandomCropOp>
/// Keras' `RandomRotation` layer.
public typealias RandomRotation = AugmentationLayer<RandomRotationOp>
/// Keras' `RandomZoom` layer.
public typealias RandomZoom = AugmentationLayer<RandomZoomOp>
/// Keras' `RandomTranslation` layer.
public typealias RandomTranslation = AugmentationLayer<RandomTranslationOp>
/// Keras' `RandomContrast` layer.
public typealias RandomContrast = AugmentationLayer<RandomContrastOp>
/// Keras' `RandomBrightness` layer.
public typealias RandomBrightness = AugmentationLayer<RandomBrightnessOp>
/// Keras' `RandomColorJitter` layer.
public typealias RandomColorJitter = AugmentationLayer<RandomColorJitterOp>
/// Keras' `RandomGaussianBlur` layer.
public typealias RandomGaussianBlur = AugmentationLayer<RandomGaussianBlurOp>
/// Keras' `Solarization` layer.
public typealias Solarization = AugmentationLayer<SolarizationOp>
/// Keras' `RandomGrayscale` layer.
public typealias RandomGrayscale = AugmentationLayer<RandomGrayscaleOp>
