import Foundation
import Testing

@testable import Similarity

/// SourceSampler: class-balanced batches from any example source with an augmenter, the same
/// on the calling thread and on any number of loader threads.
@Suite struct SourceSamplerTests {
  static let augmentation = Augmentation([
    .randomFlip(RandomFlipOp(mode: .horizontal)),
    .randomRotation(RandomRotationOp(factor: FactorRange(symmetric: 0.1))),
    .randomColorJitter(RandomColorJitterOp(brightness: 0.2, contrast: 0.2, saturation: 0.3, hue: 0.05, valueRange: ValueRange(0, 1))),
  ])

  @Test func augmentedBatchesAreDeterministicOnAnyThreadCount() throws {
    let root = try ImageFolderSamplerJPEGTests().folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let preprocessor = ImagePreprocessor(height: 16, width: 16, channels: 3, fit: .centerCrop)
    func sampler(_ augmentation: Augmentation?) throws -> SourceSampler {
      try SourceSampler(
        source: source, preprocessor: preprocessor, classesPerBatch: 3, examplesPerClass: 2,
        stepsPerEpoch: 3, augmentation: augmentation, seed: 5)
    }
    let augmented = try sampler(Self.augmentation)
    let plain = try sampler(nil)
    let plan = augmented.plan(epoch: 1)
    #expect(plan == plain.plan(epoch: 1))
    for batch in plan {
      #expect(Dictionary(grouping: batch.labels, by: { $0 }).values.allSatisfy { $0.count == 2 })
    }
    let direct = try plan.map { try augmented.examples(for: $0) }
    let unaugmented = try plan.map { try plain.examples(for: $0) }
    #expect(direct.map(\.shape) == plan.map { [$0.count, 16, 16, 3] })
    #expect(direct.map(\.scalars) != unaugmented.map(\.scalars))
    #expect(direct.allSatisfy { $0.scalars.allSatisfy { (0...1).contains($0) } })
    // A second sampler with the same seed repeats the batches; the next epoch differs.
    #expect(try plan.map { try sampler(Self.augmentation).examples(for: $0) }.map(\.scalars) == direct.map(\.scalars))
    let epoch2 = try augmented.plan(epoch: 2).map { try augmented.examples(for: $0) }
    #expect(epoch2.map(\.scalars) != direct.map(\.scalars))
    for threads in [1, 3] {
      let loader = augmented.loader(epoch: 1, threads: threads, prefetchLimit: 2)
      var loaded: [Tensor] = []
      while let batch = try loader.next() { loaded.append(augmented.tensor(batch)) }
      #expect(loaded.map(\.scalars) == direct.map(\.scalars), "\(threads) threads")
    }
  }

  @Test func invalidOrShapeChangingAugmentationsAreRefused() throws {
    let root = try ImageFolderSamplerJPEGTests().folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let preprocessor = ImagePreprocessor(height: 16, width: 16, channels: 3)
    func error(_ augmentation: Augmentation) -> String? {
      do {
        _ = try SourceSampler(
          source: source, preprocessor: preprocessor, classesPerBatch: 1, examplesPerClass: 1,
          augmentation: augmentation)
        return nil
      } catch {
        return error.description
      }
    }
    #expect(error(Augmentation([.randomGaussianBlur(RandomGaussianBlurOp(kernelSize: 6))]))
      == "sampler augmentation: RandomGaussianBlur: kernel_size 6 is invalid; expected an odd number in 1…255")
    #expect(error(Augmentation([.randomCrop(RandomCropOp(height: 8, width: 8))]))?
      .hasPrefix("sampler augmentation: Augmentation: cannot take an image of shape [16, 16, 3]") == true)
    #expect(error(Self.augmentation) == nil)
  }
}
