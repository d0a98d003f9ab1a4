import Foundation
import Testing

@testable import Similarity

/// ImageFolderSampler over JPEG and PNG files of different sizes, through SimilarityDatasets'
/// preprocessor and prefetching loader.
@Suite struct ImageFolderSamplerJPEGTests {
  func folder() throws -> URL {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-jpeg-images-\(UUID().uuidString)")
    for (k, name) in ["birds", "cars", "dogs"].enumerated() {
      let classFolder = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
      for i in 0..<4 {
        let (h, w) = (28 + 9 * i, 64 - 7 * i)
        let image = DecodedImage(
          height: h, width: w, channels: 3,
          pixels: (0..<(h * w * 3)).map { UInt8((k * 60 + $0 % 50) % 256) })
        try Data(try JPEGEncoder.encode(image)).write(
          to: classFolder.appendingPathComponent("\(i).jpg"))
      }
      try greyPNG.write(to: classFolder.appendingPathComponent("grey.png"))
    }
    return root
  }

  @Test func jpegAndPNGOfAnySizeAreFittedToTheInput() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let preprocessor = ImagePreprocessor(height: 32, width: 32, channels: 3, fit: .centerCrop)
    let sampler = try ImageFolderSampler(
      directory: root, classesPerBatch: 3, examplesPerClass: 2, stepsPerEpoch: 4, seed: 3,
      preprocessor: preprocessor)
    #expect(sampler.classNames == ["birds", "cars", "dogs"])
    #expect(sampler.files.count == 15)
    #expect(sampler.exampleShape == [32, 32, 3])
    let plan = sampler.plan(epoch: 1)
    let direct = try plan.map { try sampler.examples(for: $0) }
    #expect(direct.allSatisfy { $0.shape == [6, 32, 32, 3] })
    #expect(direct.allSatisfy { $0.scalars.allSatisfy { (0...1).contains($0) } })
    // The threaded loader gives the same tensors, in plan order.
    let loader = sampler.loader(epoch: 1, threads: 2, prefetchLimit: 2)
    var loaded: [Tensor] = []
    while let batch = try loader.next() {
      #expect(batch.indices == plan[batch.number].indices)
      loaded.append(sampler.tensor(batch))
    }
    #expect(loaded.map(\.scalars) == direct.map(\.scalars))
  }

  @Test func withoutAPreprocessorOtherSizesAreStillRefused() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let sampler = try ImageFolderSampler(directory: root, classesPerBatch: 1, examplesPerClass: 1)
    #expect(sampler.exampleShape == [28, 64, 3])
    #expect(
      throws: SamplerError.imageShapeMismatch(
        path: root.appendingPathComponent("birds/1.jpg").path, expected: [28, 64, 3],
        found: [37, 57, 3])
    ) {
      try sampler.examples(for: IndexBatch(epoch: 1, step: 0, indices: [1], labels: [0]))
    }
  }
}
