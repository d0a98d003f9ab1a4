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
  public var preprocessor: ImagePreprocessor { core.preprocessor }
  /// Multiplies every pixel value after preprocessing.
  public var scale: Float { core.scale }
  /// Skip (and count) unreadable images in ``loader(epoch:threads:prefetchLimit:augmentation:)``
  /// instead of failing.
  public var skipBadImages: Bool { core.skipBadImages }
  /// Batches per epoch.
  public var stepsPerEpoch: Int { core.stepsPerEpoch }

  /// The folder read through the generic source sampler (planning, loading, caching).
  let core: SourceSampler

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
    self.classNames = source.classNames ?? []
    self.files = source.examples.map { example in
      guard case .file(let path) = example.location else { preconditionFailure("files only") }
      return path
    }
    self.labels = source.labels
    let fitted: ImagePreprocessor
    if let preprocessor {
      fitted = preprocessor
    } else {
      let first: DecodedImage
      do {
        first = try DecodedImage.read(files[0])
      } catch {
        throw SamplerError(error)
      }
      fitted = ImagePreprocessor(
        height: first.height, width: first.width, channels: first.channels, fit: .exact,
        scaling: .raw)
    }
    self.core = try SourceSampler(
      source: source, preprocessor: fitted, classesPerBatch: classesPerBatch,
      examplesPerClass: examplesPerClass, stepsPerEpoch: stepsPerEpoch, classList: classList,
      totalExamplesPerClass: totalExamplesPerClass, replacement: replacement, scale: scale,
      seed: seed, skipBadImages: skipBadImages, cacheBytes: cacheBytes)
  }

  public func plan(epoch: Int) -> [IndexBatch] { core.plan(epoch: epoch) }

  /// Decodes and prepares the batch's files on the calling thread (no image is skipped here:
  /// the tensor must have a row per planned index).
  /// - Throws: ``SamplerError`` for an unreadable or invalid file, or (without a
  ///   preprocessor) one whose shape differs from ``exampleShape``.
  public func examples(for batch: IndexBatch) throws -> Tensor {
    try core.examples(for: batch, augmentation: nil)
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
    core.loader(epoch: epoch, threads: threads, prefetchLimit: prefetchLimit, augmentation: augmentation)
  }

  /// The `[count] + exampleShape` tensor of a loaded batch, multiplied by ``scale``.
  public func tensor(_ loaded: LoadedBatch) -> Tensor { core.tensor(loaded) }
}
