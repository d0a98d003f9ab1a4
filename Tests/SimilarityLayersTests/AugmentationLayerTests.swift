import Foundation
import Testing

@testable import SimilarityLayers

/// Keras' augmentation layers: identity at inference (a centre crop for RandomCrop), the
/// shared op applied per example while training, seeded, and `architecture.json` like the
/// other layers, with invalid hyper-parameters refused by name.
@Suite struct AugmentationLayerTests {
  static func images(batch: Int = 3, height: Int = 6, width: Int = 5, channels: Int = 3) -> Tensor {
    var generator = SplitMix64(seed: 4)
    let count = batch * height * width * channels
    return Tensor(
      shape: [batch, height, width, channels],
      scalars: (0..<count).map { _ in generator.nextUnitFloat() * 255 })
  }

  static var layers: [any Layer] { [
    RandomFlip(RandomFlipOp(mode: .horizontal), seed: 1),
    RandomRotation(RandomRotationOp(factor: FactorRange(symmetric: 0.2), fillMode: .nearest), seed: 2),
    RandomZoom(RandomZoomOp(heightFactor: FactorRange(-0.3, 0.3), widthFactor: FactorRange(0.1, 0.2)), seed: 3),
    RandomTranslation(RandomTranslationOp(heightFactor: FactorRange(symmetric: 0.2), widthFactor: FactorRange(symmetric: 0.2)), seed: 4),
    RandomContrast(RandomContrastOp(factor: 0.5), seed: 5),
    RandomBrightness(RandomBrightnessOp(factor: FactorRange(symmetric: 0.3)), seed: 6),
    RandomColorJitter(RandomColorJitterOp(brightness: 0.2, contrast: 0.2, saturation: 0.5, hue: 0.1), seed: 7),
    RandomGaussianBlur(RandomGaussianBlurOp(kernelSize: 3, sigma: FactorRange(0.5, 1.5)), seed: 8),
    Solarization(SolarizationOp(threshold: 128), seed: 9),
    RandomGrayscale(RandomGrayscaleOp(factor: 1), seed: 10),
  ] }

  @Test func identityAtInferenceAugmentedInTraining() {
    let input = Self.images(batch: 8)
    for layer in Self.layers {
      layer.isTraining = false
      #expect(layer(input).scalars == input.scalars ? true : false, "\(layer.typeName) at inference")
      layer.isTraining = true
      let output = layer(input)
      #expect(output.shape == input.shape)
      let changed = output.scalars != input.scalars
      #expect(changed, "\(layer.typeName) in training")
    }
  }

  @Test func trainingAppliesTheSharedOpPerExampleFromTheSeed() throws {
    let input = Self.images(batch: 4)
    let op = RandomRotationOp(factor: FactorRange(symmetric: 0.25), fillMode: .reflect)
    let layer = RandomRotation(op, seed: 21)
    layer.isTraining = true
    let output = layer(input)
    // The same op on each example with one generator seeded like the layer's.
    var generator = SplitMix64(seed: 21)
    let size = 6 * 5 * 3
    for b in 0..<4 {
      let image = ImageBuffer(height: 6, width: 5, channels: 3, values: Array(input.scalars[(b * size)..<((b + 1) * size)]))
      let expected = op.randomlyApplied(to: image, using: &generator)
      #expect(Array(output.scalars[(b * size)..<((b + 1) * size)]) == expected.values)
    }
    // A second layer with the same seed repeats it; the next call draws new angles.
    let twin = RandomRotation(op, seed: 21)
    twin.isTraining = true
    #expect(twin(input).scalars == output.scalars)
    #expect(twin(input).scalars != output.scalars)
  }

  @Test func randomCropCropsTheCentreAtInference() {
    let input = Self.images(height: 6, width: 5)
    let crop = RandomCrop(RandomCropOp(height: 3, width: 4), seed: 1)
    #expect(crop.outputShape(forInputShape: [nil, 6, 5, 3]) == [nil, 3, 4, 3])
    let centre = crop(input)
    #expect(centre.shape == [3, 3, 4, 3])
    // Rows 1…3, columns 0…3 of each example.
    #expect(centre.scalars[0] == input.scalars[(1 * 5 + 0) * 3])
    #expect(centre.scalars[(2 * 4 + 3) * 3 + 2] == input.scalars[(3 * 5 + 3) * 3 + 2])
    crop.isTraining = true
    var tops: Set<Float> = []
    for _ in 0..<20 {
      let random = crop(input)
      #expect(random.shape == [3, 3, 4, 3])
      tops.insert(random.scalars[0])
    }
    #expect(tops.count > 1)
  }

  @Test func sequentialModelSwitchesThemAndSavesThem() throws {
    let model = Sequential(name: "augmented", seed: 3, layers: [
      Input(shape: [6, 5, 3]),
      RandomFlip(RandomFlipOp(mode: .horizontalAndVertical), seed: 5),
      RandomCrop(RandomCropOp(height: 4, width: 4), seed: 6),
      RandomColorJitter(RandomColorJitterOp(brightness: 0.1, hue: 0.02, valueRange: ValueRange(0, 1)), seed: 7),
      Flatten(),
    ])
    let configuration = try model.sequentialConfiguration()
    let data = try JSONEncoder().encode(configuration)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains(#""type":"RandomFlip""#) && text.contains(#""mode":"horizontal_and_vertical""#))
    #expect(text.contains(#""name":"random_crop""#) && text.contains(#""seed":6"#))
    #expect(text.contains(#""value_range":[0,1]"#))
    let decoded = try JSONDecoder().decode(Sequential.Configuration.self, from: data)
    #expect(decoded == configuration)
    let rebuilt = try Sequential(configuration: decoded)
    #expect(try rebuilt.sequentialConfiguration() == configuration)
    #expect(rebuilt.outputShape == [nil, 48])
    let input = Self.images(batch: 2)
    #expect(rebuilt(input).scalars == model(input).scalars)
    model.isTraining = true
    #expect(model.isTraining)
  }

  static func planError(_ layer: LayerConfiguration, input: [Int] = [6, 5, 3]) -> String? {
    let configuration = Sequential.Configuration(
      name: "m", seed: 0, layers: [.input(Input.Configuration(name: "input", shape: input)), layer])
    do {
      _ = try ArchitecturePlan(configuration)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func invalidConfigurationsAreRefusedByName() throws {
    func configuration(_ step: ImageAugmentationStep) -> LayerConfiguration {
      .imageAugmentation(AugmentationLayerConfiguration(name: "aug", seed: 0, step: step))
    }
    #expect(Self.planError(configuration(.randomRotation(RandomRotationOp(factor: FactorRange(0.3, 0.1)))))
      == "invalid RandomRotation 'aug' configuration: RandomRotation: factor [0.3, 0.1] is invalid; expected lower ≤ upper, both in [-1.0, 1.0]")
    #expect(Self.planError(configuration(.randomCrop(RandomCropOp(height: 8, width: 2))))
      == "invalid RandomCrop 'aug' configuration: RandomCrop: cannot take an image of shape [6, 5]; expected at least 8 × 2 to crop 8 × 2")
    #expect(Self.planError(configuration(.randomFlip(RandomFlipOp())), input: [30])?
      .contains("needs [height, width, channels] inputs") == true)
    #expect(Self.planError(configuration(.randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 3)))) == nil)
    #expect(throws: ArchitectureError.self) {
      _ = try configuration(.randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 2))).makeLayer()
    }
    let unknown = #"{"type":"RandomShear","config":{"name":"x"}}"#
    #expect(throws: ArchitectureError.unknownLayerType("RandomShear")) {
      _ = try JSONDecoder().decode(LayerConfiguration.self, from: Data(unknown.utf8))
    }
    #expect(LayerConfiguration.knownTypeNames.contains("RandomGaussianBlur"))
  }
}
