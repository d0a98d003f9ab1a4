import Foundation
import SimilarityDatasets
import SimilarityLayers

/// Class-balanced batches of images read from disk: `directory/<class name>/*.{jpg,jpeg,png}`,
/// one sub-folder per class (classes numbered in sorted folder-name order, see
/// ``ImageFolderSource``). Planning is that of ``MultiShotSampler``; images are decoded (PNG
/// with libpng, JPEG with libjpeg-turbo, by magic bytes) when a batch is loaded, fitted by the
/// ``preprocessor``, then multiplied by `scale`.
///
/// ``examples(for:)`` loads a batch on the calling thread; ``loader(epoch:threads:prefetchLimit:augmentation:)``
/// makes an epoch's batches ahead on worker threads with bounded memory.
public struct ImageFolderSampler: Sampler, Sendable {
  /// The class folder names; label `i` is `classNames[i]`.
  public let classNames: [String]
  /// Every image file, grouped by class in sorted order.
  public let files: [String]
  /// The label of every file.
  public let labels: [Int]
  /// `[height, width, channels]` of every example (the preprocessor's output shape).
  public var exampleShape: [Int] { preprocessor.shape }
  /// Fits each decoded image to ``exampleShape``.
  public let preprocessor: ImagePreprocessor
  /// Multiplies every pixel value after preprocessing.
  public let scale: Float
  /// Skip (and count) unreadable images in ``loader(epoch:threads:prefetchLimit:augmentation:)``
  /// instead of failing.
  public let skipBadImages: Bool
  /// Batches per epoch.
  public var stepsPerEpoch: Int { planner.stepsPerEpoch }

  let source: ImageFolderSource
  let planner: ClassBalancedPlanner
  let cache: PreparedImageCache?
  let seed: UInt64

  /// Scans `directory`.
  ///
  /// - Parameters: as ``MultiShotSampler``; `classList` holds labels (indices into the sorted
  ///   class folder names).
  ///   - preprocessor: the model input every image is fitted to; `nil` reads the first image
  ///     and requires every image to have its shape (``ImageFit/exact``, values 0…255).
  ///   - cacheBytes: keep up to this many bytes of prepared images in memory (0: none).
  /// - Throws: ``SamplerError`` when the directory is missing, has no class folders, a class
  ///   folder has no image, the first image cannot be decoded (without a preprocessor), or the
  ///   batch settings do not fit the classes.
  public init(
    directory: URL, classesPerBatch: Int, examplesPerClass: Int, stepsPerEpoch: Int = 1000,
    classList: [Int]? = nil, totalExamplesPerClass: Int? = nil,
    replacement: ExampleReplacement = .whenClassTooSmall, scale: Float = 1, seed: UInt64 = 0,
    preprocessor: ImagePreprocessor? = nil, skipBadImages: Bool = false, cacheBytes: Int = 0
  ) throws(SamplerError) {
    let source: ImageFolderSource
    do {
      source = try ImageFolderSource(directory: directory.path)
    } catch {
      throw SamplerError(error)
    }
    self.source = source
    self.classNames = source.classNames ?? []
    self.files = source.examples.map { example in
      guard case .file(let path) = example.location else { preconditionFailure("files only") }
      return path
    }
    self.labels = source.labels
    if let preprocessor {
      self.preprocessor = preprocessor
    } else {
      let first: DecodedImage
      do {
        first = try DecodedImage.read(files[0])
      } catch {
        throw SamplerError(error)
      }
      self.preprocessor = ImagePreprocessor(
        height: first.height, width: first.width, channels: first.channels, fit: .exact,
        scaling: .raw)
    }
    self.scale = scale
    self.skipBadImages = skipBadImages
    self.cache = cacheBytes > 0 ? PreparedImageCache(byteBudget: cacheBytes) : nil
    self.seed = seed
    self.planner = try ClassBalancedPlanner(
      labels: labels, classesPerBatch: classesPerBatch, examplesPerClass: examplesPerClass,
      stepsPerEpoch: stepsPerEpoch, classList: classList,
      totalExamplesPerClass: totalExamplesPerClass, replacement: replacement, seed: seed)
  }

  public func plan(epoch: Int) -> [IndexBatch] { planner.plan(epoch: epoch) }

  /// Decodes and prepares the batch's files on the calling thread (no image is skipped here:
  /// the tensor must have a row per planned index).
  /// - Throws: ``SamplerError`` for an unreadable or invalid file, or (without a
  ///   preprocessor) one whose shape differs from ``exampleShape``.
  public func examples(for batch: IndexBatch) throws -> Tensor {
    let loaded: LoadedBatch
    do {
      loaded = try preparer(epoch: batch.epoch, augmentation: nil, skipping: false)
        .batch(number: batch.step, indices: batch.indices)
    } catch {
      throw SamplerError(error)
    }
    return tensor(loaded)
  }

  /// A loader making the batches of `plan(epoch:)` on `threads` worker threads, at most
  /// `prefetchLimit` batches ahead; `augmentation` is seeded per example from the sampler's
  /// seed, the epoch, the step and the row. Pair each ``LoadedBatch`` with its plan entry by
  /// ``LoadedBatch/number`` (rows of skipped images are missing; ``LoadedBatch/positions``
  /// says which rows remain).
  public func loader(
    epoch: Int, threads: Int = 2, prefetchLimit: Int = 4,
    augmentation: BatchPreparer.Augmentation? = nil
  ) -> BatchLoader {
    BatchLoader(
      preparer: preparer(epoch: epoch, augmentation: augmentation, skipping: skipBadImages),
      plan: plan(epoch: epoch).map(\.indices), threads: threads, prefetchLimit: prefetchLimit)
  }

  /// The `[count] + exampleShape` tensor of a loaded batch, multiplied by ``scale``.
  public func tensor(_ loaded: LoadedBatch) -> Tensor {
    Tensor(shape: loaded.shape, scalars: scale == 1 ? loaded.values : loaded.values.map { $0 * scale })
  }

  func preparer(
    epoch: Int, augmentation: BatchPreparer.Augmentation?, skipping: Bool
  ) -> BatchPreparer {
    var generator = SplitMix64.sampling(seed: seed, epoch: epoch, stream: 2)
    return BatchPreparer(
      source: source, preprocessor: preprocessor, augmentation: augmentation, cache: cache,
      skipBadImages: skipping, seed: generator.next())
  }
}
