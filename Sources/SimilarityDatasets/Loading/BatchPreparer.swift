import SimilarityKernels

/// Turns example indices of a source into batches: load, prepare (through an optional cache),
/// augment with a generator seeded by the batch number and the row's position, stack. Pure
/// given its inputs, so batches are the same whatever thread makes them.
public struct BatchPreparer: Sendable {
  /// A random change of one prepared example. It gets the example's own generator, seeded from
  /// the loader's seed, the batch number and the row's position, and must return an image of
  /// the same shape.
  public typealias Augmentation = @Sendable (FloatImage, inout SplitMix64) -> FloatImage

  /// Where examples come from.
  public let source: any ExampleSource
  /// How they are fitted to the model input.
  public let preprocessor: ImagePreprocessor
  /// Applied after preparation, never cached.
  public let augmentation: Augmentation?
  /// Prepared examples kept in memory, if any.
  public let cache: PreparedImageCache?
  /// Skip (and report) examples that fail to load instead of failing the batch.
  public let skipBadImages: Bool
  /// Seeds the augmentation generators.
  public let seed: UInt64

  /// A preparer; see the properties.
  public init(
    source: any ExampleSource, preprocessor: ImagePreprocessor,
    augmentation: Augmentation? = nil, cache: PreparedImageCache? = nil,
    skipBadImages: Bool = false, seed: UInt64 = 0
  ) {
    self.source = source
    self.preprocessor = preprocessor
    self.augmentation = augmentation
    self.cache = cache
    self.skipBadImages = skipBadImages
    self.seed = seed
  }

  /// The generator of row `position` of batch `number`.
  public func generator(batch number: Int, position: Int) -> SplitMix64 {
    var root = SplitMix64(seed: seed)
    var perBatch = SplitMix64(seed: root.next() ^ UInt64(truncatingIfNeeded: number))
    return SplitMix64(seed: perBatch.next() ^ UInt64(truncatingIfNeeded: position))
  }

  /// Example `index` fitted to the model input (from the cache when held).
  /// - Throws: ``SourceError`` naming the file.
  public func prepared(_ index: Int) throws(SourceError) -> FloatImage {
    if let image = cache?.image(index) { return image }
    let image = try source.load(index).prepared(by: preprocessor, file: source.name(of: index))
    cache?.insert(image, for: index)
    return image
  }

  /// Batch `number` of the examples `indices`.
  /// - Throws: the first ``SourceError`` when ``skipBadImages`` is off.
  public func batch(number: Int, indices: [Int]) throws(SourceError) -> LoadedBatch {
    let shape = preprocessor.shape
    let size = shape.reduce(1, *)
    var values: [Float] = []
    values.reserveCapacity(indices.count * size)
    var positions: [Int] = []
    var kept: [Int] = []
    var skipped: [SkippedExample] = []
    let examples = source.examples
    for (position, index) in indices.enumerated() {
      var image: FloatImage
      do {
        image = try prepared(index)
      } catch {
        guard skipBadImages else { throw error }
        skipped.append(SkippedExample(index: index, error: error))
        continue
      }
      if let augmentation {
        var generator = generator(batch: number, position: position)
        image = augmentation(image, &generator)
        precondition(image.shape == shape,
          "BatchPreparer: the augmentation changed \(shape) to \(image.shape)")
      }
      values.append(contentsOf: image.values)
      positions.append(position)
      kept.append(index)
    }
    return LoadedBatch(
      number: number, values: values, shape: [kept.count] + shape, positions: positions,
      indices: kept, labels: kept.map { examples[$0].label }, skipped: skipped)
  }
}
