import SimilarityDatasets
import SimilarityLayers

/// Class-balanced batches from any ``ExampleSource`` (an image folder, a CSV/TSV manifest,
/// `.npy` arrays), each example loaded when its batch is made, fitted by the
/// ``preprocessor``, augmented by ``augmentation`` (TensorFlow Similarity's `augmenter` on a
/// `MultiShotMemorySampler`), then multiplied by ``scale``. Planning is that of
/// ``MultiShotSampler``: `classesPerBatch` classes × `examplesPerClass` examples per batch.
///
/// Every example's augmentation draws from a generator seeded by the sampler's seed, the
/// epoch, the step and the row, so ``examples(for:)`` and ``loader(epoch:threads:prefetchLimit:)``
/// give the same batches on any number of threads.
public struct SourceSampler: Sampler, Sendable {
  /// Where examples come from.
  public let source: any ExampleSource
  /// The label of every example of the source.
  public let labels: [Int]
  /// Fits each example to ``exampleShape``.
  public let preprocessor: ImagePreprocessor
  /// Applied to each prepared example of a training batch, if any.
  public let augmentation: Augmentation?
  /// Multiplies every value after augmentation.
  public let scale: Float
  /// Skip (and count) unreadable examples in ``loader(epoch:threads:prefetchLimit:)``.
  public let skipBadImages: Bool
  /// `[height, width, channels]` of every example.
  public var exampleShape: [Int] { preprocessor.shape }
  /// Batches per epoch.
  public var stepsPerEpoch: Int { planner.stepsPerEpoch }

  let planner: ClassBalancedPlanner
  let cache: PreparedImageCache?
  let seed: UInt64
  let hook: BatchPreparer.Augmentation?

  /// - Parameters: as ``MultiShotSampler``, and
  ///   - source: the examples and their labels.
  ///   - preprocessor: the model input every example is fitted to.
  ///   - augmentation: the steps applied to every example of a batch (they must keep
  ///     `preprocessor.shape`).
  ///   - scale: multiplies the values after augmentation.
  ///   - cacheBytes: keep up to this many bytes of prepared (not augmented) examples.
  /// - Throws: ``SamplerError`` when the batch settings do not fit the classes, or
  ///   ``SamplerError/invalidAugmentation(_:)`` for an invalid or shape-changing augmentation.
  public init(
    source: any ExampleSource, preprocessor: ImagePreprocessor, classesPerBatch: Int,
    examplesPerClass: Int, stepsPerEpoch: Int = 1000, classList: [Int]? = nil,
    totalExamplesPerClass: Int? = nil, replacement: ExampleReplacement = .whenClassTooSmall,
    augmentation: Augmentation? = nil, scale: Float = 1, seed: UInt64 = 0,
    skipBadImages: Bool = false, cacheBytes: Int = 0
  ) throws(SamplerError) {
    self.source = source
    self.labels = source.labels
    self.preprocessor = preprocessor
    self.augmentation = augmentation
    do {
      hook = try augmentation?.hook(forShape: preprocessor.shape)
    } catch {
      throw .invalidAugmentation(error)
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

  /// Loads, prepares and augments the batch's examples on the calling thread (none is
  /// skipped: the tensor has a row per planned index).
  /// - Throws: ``SamplerError`` naming the file of an unreadable or invalid example.
  public func examples(for batch: IndexBatch) throws -> Tensor {
    try examples(for: batch, augmentation: hook)
  }

  /// A loader making the batches of `plan(epoch:)` on `threads` worker threads, at most
  /// `prefetchLimit` ahead, with ``augmentation``; pair each ``LoadedBatch`` with its plan
  /// entry by ``LoadedBatch/number``, and make its tensor with ``tensor(_:)``.
  public func loader(epoch: Int, threads: Int = 2, prefetchLimit: Int = 4) -> BatchLoader {
    loader(epoch: epoch, threads: threads, prefetchLimit: prefetchLimit, augmentation: hook)
  }

  /// The `[count] + exampleShape` tensor of a loaded batch, multiplied by ``scale``.
  public func tensor(_ loaded: LoadedBatch) -> Tensor {
    Tensor(shape: loaded.shape, scalars: scale == 1 ? loaded.values : loaded.values.map { $0 * scale })
  }

  func examples(for batch: IndexBatch, augmentation: BatchPreparer.Augmentation?) throws -> Tensor {
    let loaded: LoadedBatch
    do {
      loaded = try preparer(epoch: batch.epoch, augmentation: augmentation, skipping: false)
        .batch(number: batch.step, indices: batch.indices)
    } catch {
      throw SamplerError(error)
    }
    return tensor(loaded)
  }

  func loader(
    epoch: Int, threads: Int, prefetchLimit: Int, augmentation: BatchPreparer.Augmentation?
  ) -> BatchLoader {
    BatchLoader(
      preparer: preparer(epoch: epoch, augmentation: augmentation, skipping: skipBadImages),
      plan: plan(epoch: epoch).map(\.indices), threads: threads, prefetchLimit: prefetchLimit)
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
