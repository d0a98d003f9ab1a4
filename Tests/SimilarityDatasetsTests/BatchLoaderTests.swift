import Foundation
import SimilarityKernels
import Testing

@testable import SimilarityDatasets

/// The prefetching loader: deterministic batches whatever the thread count, a bounded number
/// of batches in flight, skipped images counted, errors naming the file, the cache's budget.
@Suite struct BatchLoaderTests {
  /// A folder of JPEGs of different sizes in 3 classes, with one broken file in class 1.
  static func folder(broken: Bool) throws -> URL {
    let root = try TestSupport.makeTemporaryDirectory()
    var files: [String: Data] = [:]
    for i in 0..<12 {
      files["class\(i % 3)/\(i).jpg"] = try SourceTests.jpeg(8 + i, 20 - i, grey: i % 2 == 0, value: UInt8(i * 20))
    }
    if broken { files["class1/broken.jpg"] = Data(try SourceTests.jpeg(16, 16).prefix(200)) }
    try SourceTests.write(files, in: root)
    return root
  }

  static let augmentation: BatchPreparer.Augmentation = { image, generator in
    var image = image
    let shift = generator.nextUnitFloat()
    for i in image.values.indices { image.values[i] += shift }
    return image
  }

  static func run(_ loader: BatchLoader) throws -> [LoadedBatch] {
    var batches: [LoadedBatch] = []
    while let batch = try loader.next() { batches.append(batch) }
    return batches
  }

  @Test func batchesAreTheSameWhateverTheThreadCount() throws {
    let root = try Self.folder(broken: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let preparer = BatchPreparer(
      source: source, preprocessor: ImagePreprocessor(height: 9, width: 7, channels: 3),
      augmentation: Self.augmentation, seed: 42)
    let plan = [[0, 5, 9], [11, 2], [3, 3, 3, 1], [7], [10, 4, 6, 8]]
    let reference = try Self.run(BatchLoader(preparer: preparer, plan: plan, threads: 1, prefetchLimit: 1))
    #expect(reference.map(\.indices) == plan)
    #expect(reference.map(\.shape) == plan.map { [$0.count, 9, 7, 3] })
    // Augmentation seeds depend on (batch, position): the three copies of example 3 differ.
    let size = 9 * 7 * 3
    #expect(Array(reference[2].values[0..<size]) != Array(reference[2].values[size..<(2 * size)]))
    for threads in [2, 3, 4] {
      for _ in 0..<3 {
        let batches = try Self.run(
          BatchLoader(preparer: preparer, plan: plan, threads: threads, prefetchLimit: 2))
        #expect(batches.map(\.values) == reference.map(\.values), "\(threads) threads")
        #expect(batches.map(\.labels) == reference.map(\.labels))
      }
    }
    // Without augmentation each row is the preprocessed image, computed directly.
    let plain = BatchPreparer(
      source: source, preprocessor: ImagePreprocessor(height: 9, width: 7, channels: 3))
    let first = try plain.batch(number: 0, indices: [5])
    guard case .image(let decoded) = try source.load(5) else { return }
    #expect(first.values == ImagePreprocessor(height: 9, width: 7, channels: 3).prepare(decoded).values)
  }

  @Test func atMostPrefetchLimitBatchesAreInFlight() throws {
    let root = try Self.folder(broken: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let made = Counter()
    let preparer = BatchPreparer(
      source: try ImageFolderSource(directory: root.path),
      preprocessor: ImagePreprocessor(height: 4, width: 4, channels: 1),
      augmentation: { image, _ in
        made.increment()
        return image
      })
    let plan = (0..<40).map { [$0 % 12] }
    let loader = BatchLoader(preparer: preparer, plan: plan, threads: 3, prefetchLimit: 3)
    // The consumer is slow: the workers must wait instead of preparing all 40 batches.
    for taken in 1...5 {
      _ = try loader.next()
      Thread.sleep(forTimeInterval: 0.05)
      #expect(made.value <= taken + 3, "\(made.value) batches made after \(taken) were taken")
    }
    #expect(loader.peakInFlight <= 3)
    #expect(loader.peakInFlight >= 1)
    loader.cancel()
    #expect(try loader.next() == nil)
  }

  @Test func droppingTheLoaderStopsItsWorkers() throws {
    let root = try Self.folder(broken: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let made = Counter()
    let preparer = BatchPreparer(
      source: try ImageFolderSource(directory: root.path),
      preprocessor: ImagePreprocessor(height: 4, width: 4, channels: 1),
      augmentation: { image, _ in
        made.increment()
        Thread.sleep(forTimeInterval: 0.002)
        return image
      })
    do {
      let loader = BatchLoader(
        preparer: preparer, plan: (0..<500).map { [$0 % 12] }, threads: 2, prefetchLimit: 100)
      _ = try loader.next()
    }
    Thread.sleep(forTimeInterval: 0.05)
    let afterDrop = made.value
    Thread.sleep(forTimeInterval: 0.1)
    #expect(made.value == afterDrop, "workers kept making batches after the loader was dropped")
    #expect(afterDrop < 500)
  }

  @Test func badImagesAreSkippedAndCountedOrNamed() throws {
    let root = try Self.folder(broken: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let broken = source.examples.firstIndex { $0.location == .file(root.path + "/class1/broken.jpg") }!
    let plan = [[0, broken, 1], [broken], [2, broken, broken]]
    let preprocessor = ImagePreprocessor(height: 5, width: 5, channels: 3)
    let skipping = BatchLoader(
      preparer: BatchPreparer(source: source, preprocessor: preprocessor, skipBadImages: true),
      plan: plan, threads: 2)
    let batches = try Self.run(skipping)
    // The all-broken batch is passed over; its example still counts.
    #expect(batches.map(\.number) == [0, 2])
    #expect(batches.map(\.positions) == [[0, 2], [0]])
    #expect(batches.map(\.indices) == [[0, 1], [2]])
    #expect(skipping.skippedCount == 4)
    #expect(batches[0].skipped.first?.error.path == root.path + "/class1/broken.jpg")
    let strict = BatchLoader(
      preparer: BatchPreparer(source: source, preprocessor: preprocessor), plan: plan, threads: 2)
    do {
      _ = try Self.run(strict)
      Issue.record("a truncated JPEG was loaded")
    } catch let error as SourceError {
      #expect(error.path == root.path + "/class1/broken.jpg")
      #expect("\(error)".hasPrefix(root.path + "/class1/broken.jpg: not a valid JPEG image"))
    }
    #expect(throws: SourceError.self) { try strict.next() }
  }

  @Test func cacheStaysWithinItsBudgetAndChangesNothing() throws {
    let root = try Self.folder(broken: false)
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ImageFolderSource(directory: root.path)
    let preprocessor = ImagePreprocessor(height: 6, width: 6, channels: 3)
    let imageBytes = 6 * 6 * 3 * 4
    let cache = PreparedImageCache(byteBudget: imageBytes * 5 + 10)
    let cached = BatchPreparer(
      source: source, preprocessor: preprocessor, augmentation: Self.augmentation, cache: cache,
      seed: 7)
    let uncached = BatchPreparer(
      source: source, preprocessor: preprocessor, augmentation: Self.augmentation, seed: 7)
    let plan = (0..<4).map { e in (0..<12).map { ($0 + e) % 12 } }
    let first = try Self.run(BatchLoader(preparer: cached, plan: plan, threads: 2))
    #expect(cache.count == 5)
    #expect(cache.usedBytes == imageBytes * 5)
    #expect(cache.hits > 0)
    let second = try Self.run(BatchLoader(preparer: uncached, plan: plan, threads: 2))
    #expect(first.map(\.values) == second.map(\.values))
  }
}

/// A thread-safe counter for tests.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
