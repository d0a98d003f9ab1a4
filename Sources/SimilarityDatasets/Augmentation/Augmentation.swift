import SimilarityKernels

/// A pipeline of random image augmentations with Keras' names (``ImageAugmentationStep``:
/// `RandomFlip`, `RandomCrop`, `RandomRotation`, `RandomZoom`, `RandomTranslation`,
/// `RandomContrast`, `RandomBrightness`, `RandomColorJitter`, `RandomGaussianBlur`,
/// `Solarization`, `RandomGrayscale`) applied in order to `[height, width, channels]`
/// images: TensorFlow Similarity's sampler `augmenter`, as a `Codable` value a training recipe
/// can store.
///
/// Every random choice comes from the generator passed in, one split generator per step, so
/// an example's augmentation depends only on its seed (``BatchPreparer`` seeds it from the
/// loader's seed, the batch number and the row) and batches are the same on any number of
/// threads. The same steps run inside SimilarityLayers' augmentation layers.
///
/// ```swift
/// let augmentation = Augmentation([
///   .randomFlip(RandomFlipOp(mode: .horizontal)),
///   .randomRotation(RandomRotationOp(factor: FactorRange(symmetric: 0.05))),
///   .randomColorJitter(RandomColorJitterOp(brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.05)),
/// ])
/// let hook = try augmentation.hook(forShape: [32, 32, 3])  // BatchPreparer.Augmentation
/// ```
public struct Augmentation: Codable, Equatable, Sendable {
  /// The steps, applied first to last.
  public var steps: [ImageAugmentationStep]

  /// A pipeline of `steps`.
  public init(_ steps: [ImageAugmentationStep]) {
    self.steps = steps
  }

  /// Throws the first step's invalid hyper-parameter, naming the op, parameter and value.
  public func validate() throws(ImageAugmentationError) {
    for step in steps { try step.validate() }
  }

  /// The shape the pipeline turns `[height, width, channels]` into; throws when a step cannot
  /// take the shape it receives (a crop larger than its input, a shape that is not HWC).
  public func outputShape(forShape shape: [Int]) throws(ImageAugmentationError) -> [Int] {
    guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
      throw .unsupportedShape(
        op: steps.first?.kerasName ?? "Augmentation", shape: shape,
        expected: "[height, width, channels] with positive extents")
    }
    var (height, width) = (shape[0], shape[1])
    for step in steps { (height, width) = try step.outputSize(height: height, width: width) }
    return [height, width, shape[2]]
  }

  /// `image` with every step applied, each with choices from its own generator split off
  /// `generator` (training behaviour). The image must be one the steps accept
  /// (``outputShape(forShape:)``).
  public func applied(to image: FloatImage, using generator: inout SplitMix64) -> FloatImage {
    var buffer = image
    for step in steps {
      var stepGenerator = generator.split()
      buffer = step.randomlyApplied(to: buffer, using: &stepGenerator)
    }
    return buffer
  }

  /// `image` as the steps leave it outside training (only ``RandomCropOp`` acts: a centre crop).
  public func inference(_ image: FloatImage) -> FloatImage {
    steps.reduce(image) { $1.inference($0) }
  }

  /// The pipeline as ``BatchPreparer``'s augmentation hook for prepared images of `shape`
  /// (the preprocessor's `[height, width, channels]`), after checking every step and that
  /// the pipeline keeps that shape (batches are stacked).
  public func hook(forShape shape: [Int]) throws(ImageAugmentationError) -> BatchPreparer.Augmentation {
    try validate()
    let output = try outputShape(forShape: shape)
    guard output == shape else {
      throw .unsupportedShape(
        op: "Augmentation", shape: shape,
        expected: "steps that keep that shape, since a batch stacks examples of one shape "
          + "(these steps make \(output); use RandomCrop as a model layer instead)")
    }
    let pipeline = self
    return { image, generator in pipeline.applied(to: image, using: &generator) }
  }
}
