import Foundation
import SimilarityKernels
import Testing

@testable import SimilarityDatasets

/// The `Augmentation` pipeline: seeded and deterministic (also through the threaded loader),
/// `Codable`, parameter ranges refused with the op and value named, draws inside their ranges.
@Suite struct AugmentationPipelineTests {
  static let everyStep: [ImageAugmentationStep] = [
    .randomFlip(RandomFlipOp(mode: .horizontalAndVertical)),
    .randomRotation(RandomRotationOp(factor: FactorRange(symmetric: 0.1), fillMode: .wrap)),
    .randomZoom(RandomZoomOp(heightFactor: FactorRange(-0.2, 0.3), interpolation: .nearest)),
    .randomTranslation(RandomTranslationOp(
      heightFactor: FactorRange(symmetric: 0.1), widthFactor: FactorRange(0, 0.2), fillMode: .constant,
      fillValue: 0.5)),
    .randomContrast(RandomContrastOp(factor: 0.3, valueRange: ValueRange(0, 1))),
    .randomBrightness(RandomBrightnessOp(factor: FactorRange(symmetric: 0.2), valueRange: ValueRange(0, 1))),
    .randomColorJitter(RandomColorJitterOp(
      brightness: 0.1, contrast: 0.2, saturation: 0.3, hue: 0.05, valueRange: ValueRange(0, 1))),
    .randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 3, sigma: FactorRange(0.1, 2))),
    .solarization(SolarizationOp(threshold: 0.8, probability: 0.5, valueRange: ValueRange(0, 1))),
    .randomGrayscale(RandomGrayscaleOp(factor: 0.2)),
  ]

  static func image(_ seed: UInt64, height: Int = 8, width: Int = 9, channels: Int = 3) -> FloatImage {
    var generator = SplitMix64(seed: seed)
    return FloatImage(
      height: height, width: width, channels: channels,
      values: (0..<(height * width * channels)).map { _ in generator.nextUnitFloat() })
  }

  @Test func sameSeedSameImageDifferentSeedDifferentImage() throws {
    let pipeline = Augmentation(Self.everyStep)
    try pipeline.validate()
    let image = Self.image(1)
    var a = SplitMix64(seed: 5)
    var b = SplitMix64(seed: 5)
    let first = pipeline.applied(to: image, using: &a)
    #expect(first == pipeline.applied(to: image, using: &b))
    #expect(first.shape == image.shape)
    var outputs: Set<[Float]> = []
    for seed in 0..<8 as Range<UInt64> {
      var generator = SplitMix64(seed: seed)
      outputs.insert(pipeline.applied(to: image, using: &generator).values)
    }
    #expect(outputs.count == 8)
    // Outside training only a crop acts.
    #expect(pipeline.inference(image) == image)
    let crop = Augmentation([.randomCrop(RandomCropOp(height: 4, width: 5))])
    #expect(crop.inference(image) == image.cropped(top: 2, left: 2, height: 4, width: 5))
  }

  @Test func pipelineRoundTripsThroughJSON() throws {
    let pipeline = Augmentation(Self.everyStep + [.randomCrop(RandomCropOp(height: 4, width: 4))])
    let data = try JSONEncoder().encode(pipeline)
    #expect(try JSONDecoder().decode(Augmentation.self, from: data) == pipeline)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""type":"RandomRotation""#))
    #expect(text.contains(#""fill_mode":"wrap""#))
    #expect(text.contains(#""mode":"horizontal_and_vertical""#))
    // Keras' single-number factor means [-f, f].
    let keras = #"{"steps":[{"type":"RandomRotation","config":{"factor":0.25,"fill_mode":"reflect","interpolation":"nearest","fill_value":0}}]}"#
    let decoded = try JSONDecoder().decode(Augmentation.self, from: Data(keras.utf8))
    #expect(decoded.steps == [.randomRotation(RandomRotationOp(factor: FactorRange(-0.25, 0.25), interpolation: .nearest))])
    let unknown = #"{"steps":[{"type":"RandomShear","config":{}}]}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Augmentation.self, from: Data(unknown.utf8)) }
  }

  static func message(_ step: ImageAugmentationStep) -> String? {
    do {
      try Augmentation([step]).validate()
      return nil
    } catch {
      return error.description
    }
  }

  @Test func invalidParametersAreRefusedByName() {
    #expect(Self.message(.randomRotation(RandomRotationOp(factor: FactorRange(0.2, -0.2))))
      == "RandomRotation: factor [0.2, -0.2] is invalid; expected lower ≤ upper, both in [-1.0, 1.0]")
    #expect(Self.message(.randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 4)))
      == "RandomGaussianBlur: kernel_size 4 is invalid; expected an odd number in 1…255")
    #expect(Self.message(.randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 3, sigma: FactorRange(0, 1))))?
      .hasPrefix("RandomGaussianBlur: sigma [0.0, 1.0] is invalid") == true)
    #expect(Self.message(.randomBrightness(RandomBrightnessOp(factor: FactorRange(symmetric: 0.1), valueRange: ValueRange(255, 0))))
      == "RandomBrightness: value_range [255.0, 0.0] is invalid; expected finite values with lower < upper")
    #expect(Self.message(.randomContrast(RandomContrastOp(factor: -0.1)))
      == "RandomContrast: factor -0.1 is invalid; expected a number in [0, 1]")
    #expect(Self.message(.randomZoom(RandomZoomOp(heightFactor: FactorRange(-1.5, 0))))?
      .hasPrefix("RandomZoom: height_factor [-1.5, 0.0] is invalid") == true)
    #expect(Self.message(.randomTranslation(RandomTranslationOp(heightFactor: FactorRange(symmetric: 0.1), widthFactor: FactorRange(.nan, 0))))?
      .hasPrefix("RandomTranslation: width_factor") == true)
    #expect(Self.message(.solarization(SolarizationOp(threshold: 300)))
      == "Solarization: threshold 300.0 is invalid; expected a value in [0.0, 255.0]")
    #expect(Self.message(.randomGrayscale(RandomGrayscaleOp(factor: 1.5)))
      == "RandomGrayscale: factor 1.5 is invalid; expected a probability in [0, 1]")
    #expect(Self.message(.randomColorJitter(RandomColorJitterOp(hue: 0.7)))
      == "RandomColorJitter: hue 0.7 is invalid; expected a number of turns in [0, 0.5]")
    #expect(Self.message(.randomCrop(RandomCropOp(height: 0, width: 3)))
      == "RandomCrop: height 0 is invalid; expected 1…1048576")
    for step in Self.everyStep { #expect(Self.message(step) == nil) }
  }

  @Test func hookKeepsThePreparedShape() throws {
    let crop = Augmentation([.randomCrop(RandomCropOp(height: 20, width: 20))])
    #expect(throws: ImageAugmentationError.self) { _ = try crop.hook(forShape: [16, 16, 3]) }
    do {
      _ = try crop.hook(forShape: [32, 32, 3])
      Issue.record("a shape-changing pipeline was accepted as a hook")
    } catch {
      #expect(error.description.contains("[20, 20, 3]"))
    }
    #expect(try crop.outputShape(forShape: [32, 40, 1]) == [20, 20, 1])
    _ = try Augmentation(Self.everyStep).hook(forShape: [9, 7, 3])
  }

  @Test func drawsStayInTheirRanges() {
    let image = Self.image(3)
    var generator = SplitMix64(seed: 11)
    let brightness = RandomBrightnessOp(factor: FactorRange(-0.1, 0.3), valueRange: ValueRange(0, 2))
    var horizontal = 0
    for _ in 0..<400 {
      let delta = brightness.drawParameters(for: image, using: &generator).value
      #expect(delta >= -0.2 && delta <= 0.6)
      let flip = RandomFlipOp(mode: .horizontal).drawParameters(for: image, using: &generator)
      #expect(!flip.vertical)
      if flip.horizontal { horizontal += 1 }
      let crop = RandomCropOp(height: 3, width: 9).drawParameters(for: image, using: &generator)
      #expect((0...5).contains(crop.top) && crop.left == 0)
      let jitter = RandomColorJitterOp(brightness: 0.1, contrast: 0.2, saturation: 0.3, hue: 0.05)
        .drawParameters(for: image, using: &generator)
      #expect(abs(jitter.brightnessDelta) <= 25.5 && abs(jitter.contrastFactor - 1) <= 0.2)
      #expect(abs(jitter.saturationFactor - 1) <= 0.3 && abs(jitter.hueDelta) <= 0.05)
    }
    #expect((150...250).contains(horizontal))
    // A zero factor is the identity, exactly.
    let still = RandomRotationOp(factor: FactorRange(0, 0))
    #expect(still.randomlyApplied(to: image, using: &generator) == image)
    let none = RandomTranslationOp(heightFactor: FactorRange(0, 0), widthFactor: FactorRange(0, 0))
    #expect(none.randomlyApplied(to: image, using: &generator) == image)
    // An integer translation moves pixels; constant fill shows at the uncovered edge.
    let shifted = ImageTransforms.projected(
      image, transform: ImageTransforms.translationTransform(dx: 2, dy: 1), fillMode: .constant,
      interpolation: .bilinear, fillValue: -1)
    #expect(shifted[3, 4, 1] == image[2, 2, 1] && shifted[0, 4, 1] == -1 && shifted[3, 1, 0] == -1)
    // Grayscale keeps 3 channels, all equal.
    let grey = ImageTransforms.grayscaled(image)
    #expect(grey.channels == 3 && grey[2, 3, 0] == grey[2, 3, 2])
  }

  @Test func loaderBatchesAreTheSameWhateverTheThreadCount() throws {
    let root = try BatchLoaderTests.folder(broken: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let preprocessor = ImagePreprocessor(height: 9, width: 7, channels: 3)
    let hook = try Augmentation(Self.everyStep.map { step in
      // Pixels here are bytes 0…255.
      switch step {
      case .randomContrast: .randomContrast(RandomContrastOp(factor: 0.3))
      case .randomBrightness: .randomBrightness(RandomBrightnessOp(factor: FactorRange(symmetric: 0.2)))
      case .randomColorJitter: .randomColorJitter(RandomColorJitterOp(brightness: 0.1, saturation: 0.3, hue: 0.05))
      case .solarization: .solarization(SolarizationOp(threshold: 200, probability: 0.5))
      default: step
      }
    }).hook(forShape: preprocessor.shape)
    let preparer = BatchPreparer(source: source, preprocessor: preprocessor, augmentation: hook, seed: 9)
    let plan = [[0, 5, 9], [11, 2], [3, 3, 3, 1], [7], [10, 4, 6, 8]]
    let reference = try BatchLoaderTests.run(BatchLoader(preparer: preparer, plan: plan, threads: 1, prefetchLimit: 1))
    let plain = try BatchLoaderTests.run(
      BatchLoader(preparer: BatchPreparer(source: source, preprocessor: preprocessor), plan: plan, threads: 1))
    #expect(reference.map(\.values) != plain.map(\.values))
    for threads in [2, 3] {
      let batches = try BatchLoaderTests.run(BatchLoader(preparer: preparer, plan: plan, threads: threads, prefetchLimit: 2))
      #expect(batches.map(\.values) == reference.map(\.values), "\(threads) threads")
    }
  }
}
