import Foundation

/// Prepared (decoded, converted, fitted and scaled, not augmented) examples kept in memory up to
/// a byte budget, shared by the worker threads of one or more ``BatchLoader``s (e.g. one per
/// epoch) over the same source and preprocessor.
///
/// An example is kept when it fits in what is left of the budget; nothing is evicted, so the
/// cache never changes what a batch holds, only how fast it is made.
public final class PreparedImageCache: @unchecked Sendable {
  /// The most bytes of `Float` values held.
  public let byteBudget: Int
  private let lock = NSLock()
  private var images: [Int: FloatImage] = [:]
  private var bytes = 0
  private var hitCount = 0

  /// A cache of at most `byteBudget` bytes of values (≥ 0; programmer error otherwise).
  public init(byteBudget: Int) {
    precondition(byteBudget >= 0, "PreparedImageCache: negative budget")
    self.byteBudget = byteBudget
  }

  /// Bytes held now.
  public var usedBytes: Int { lock.withLock { bytes } }
  /// Examples held now.
  public var count: Int { lock.withLock { images.count } }
  /// Lookups answered from the cache so far.
  public var hits: Int { lock.withLock { hitCount } }

  /// The prepared example `index`, if held.
  func image(_ index: Int) -> FloatImage? {
    lock.withLock {
      let image = images[index]
      if image != nil { hitCount += 1 }
      return image
    }
  }

  /// Keeps `image` for example `index` when it fits in the budget.
  func insert(_ image: FloatImage, for index: Int) {
    let size = image.values.count * MemoryLayout<Float>.stride
    lock.withLock {
      guard images[index] == nil, size <= byteBudget - bytes else { return }
      images[index] = image
      bytes += size
    }
  }
}
