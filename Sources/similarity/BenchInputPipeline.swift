import ArgumentParser
import Foundation
import SimilarityDatasets
import SimilarityIO
import SimilarityKernels

/// `similarity bench input-pipeline`: JPEG images per second decoded and resized by the
/// prefetching ``BatchLoader`` on 1 and 2 worker threads, for 28², 96² and 224² images.
struct BenchInputPipeline: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "input-pipeline",
    abstract: "JPEG images/s decoded + resized by the batch loader on 1 and 2 threads.",
    discussion: """
      Writes --images RGB JPEGs (quality 90, 4:2:0, libjpeg-turbo's tjCompress2) of each size \
      into a temporary folder it owns and removes, reads every file once to warm the page \
      cache, then times --samples passes of the loader (batches of --batch-size, 4 batches \
      prefetched) decoding each image and fitting it to --input-size with bilinear resizing; \
      the best pass is reported. One line per case: `input-pipeline jpeg_<S>x<S> \
      threads=<T> images=<N> images_per_s=<rate>`.
      """)

  @Option(parsing: .unconditional, help: "JPEG files per size.")
  var images = 256

  @Option(parsing: .unconditional, help: "Timed passes per case; the fastest is reported.")
  var samples = 3

  @Option(parsing: .unconditional, help: "Images per batch.")
  var batchSize = 32

  @Option(parsing: .unconditional, help: "The model input side the images are resized to (square).")
  var inputSize = 32

  static let sides = [28, 96, 224]
  static let threadCounts = [1, 2]

  func validate() throws {
    try OptionCheck.positive(images, "--images")
    try OptionCheck.positive(samples, "--samples")
    try OptionCheck.positive(batchSize, "--batch-size")
    try OptionCheck.within(1...4096, inputSize, "--input-size")
  }

  func run() throws {
    print(
      "isa=\(InstructionSet.active) images=\(images) batch=\(batchSize) "
        + "input=\(inputSize)x\(inputSize)x3 samples=\(samples)")
    print("variants: \(KernelFamily.summary())")
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-bench-input-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let preprocessor = ImagePreprocessor(
      height: inputSize, width: inputSize, channels: 3, fit: .stretch, scaling: .unit)
    for side in Self.sides {
      let folder = root.appendingPathComponent("\(side)/images")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      var generator = SplitMix64(seed: UInt64(side))
      for i in 0..<images {
        try AtomicFile.write(
          try JPEGEncoder.encode(Self.photo(side: side, using: &generator)),
          to: folder.appendingPathComponent("\(i).jpg"))
      }
      let source = try ImageFolderSource(directory: folder.deletingLastPathComponent().path)
      for case .file(let path) in source.examples.map(\.location) {
        _ = try DecodedImage.bytes(of: path, expected: "a JPEG file")
      }
      let order = Array(source.examples.indices)
      let plan = stride(from: 0, to: order.count, by: batchSize).map {
        Array(order[$0..<min($0 + batchSize, order.count)])
      }
      for threads in Self.threadCounts {
        var best = Double.infinity
        for _ in 0..<samples {
          let start = KernelBenchmark.now()
          let loader = BatchLoader(
            preparer: BatchPreparer(source: source, preprocessor: preprocessor), plan: plan,
            threads: threads, prefetchLimit: 4)
          var loaded = 0
          while let batch = try loader.next() { loaded += batch.count }
          precondition(loaded == images, "the loader lost images")
          best = min(best, KernelBenchmark.now() - start)
        }
        print(
          "input-pipeline jpeg_\(side)x\(side) threads=\(threads) images=\(images) "
            + "images_per_s=\(KernelBenchmark.format(Double(images) / best, 1))")
      }
    }
  }

  /// A photo-like RGB image: smooth gradients plus noise (so JPEG has detail to code).
  static func photo(side: Int, using generator: inout SplitMix64) -> DecodedImage {
    var pixels = [UInt8](repeating: 0, count: side * side * 3)
    let phase = Int(generator.next() % 97)
    for y in 0..<side {
      for x in 0..<side {
        let noise = Int(generator.next() % 24)
        let base = (y * side + x) * 3
        pixels[base] = UInt8((x * 255 / side + noise + phase) % 256)
        pixels[base + 1] = UInt8((y * 255 / side + noise) % 256)
        pixels[base + 2] = UInt8(((x + y) * 127 / side + noise) % 256)
      }
    }
    return DecodedImage(height: side, width: side, channels: 3, pixels: pixels)
  }
}
