import SimilarityLayers

/// The examples of one training step, by index into the sampler's data, with the label the
/// loss sees for each row.
public struct IndexBatch: Equatable, Sendable {
  /// 1-based epoch this batch belongs to.
  public var epoch: Int
  /// 0-based step within the epoch.
  public var step: Int
  /// Row `i` of the batch is example `indices[i]` of the sampler's data.
  public var indices: [Int]
  /// The label of row `i` (the class, or the example index for single-shot sampling).
  public var labels: [Int]

  /// Creates a batch plan.
  public init(epoch: Int, step: Int, indices: [Int], labels: [Int]) {
    precondition(indices.count == labels.count, "IndexBatch: one label per index")
    self.epoch = epoch
    self.step = step
    self.indices = indices
    self.labels = labels
  }

  /// Number of rows.
  public var count: Int { indices.count }
}

/// A source of training batches for ``SimilarityModel/fit(sampler:loss:optimizer:epochs:validation:onStep:onEpoch:)``.
///
/// Sampling is split in two so that it is deterministic and testable without data: ``plan(epoch:)``
/// chooses the indices and labels of every batch of an epoch from the sampler's seed and the
/// epoch number alone, and ``examples(for:)`` gathers (or loads, or augments) the example
/// tensor of one planned batch.
public protocol Sampler {
  /// Number of batches in one epoch.
  var stepsPerEpoch: Int { get }
  /// The shape of one example, e.g. `[28, 28, 1]`.
  var exampleShape: [Int] { get }
  /// Every batch of epoch `epoch` (1-based); the same seed and epoch give the same plan.
  func plan(epoch: Int) -> [IndexBatch]
  /// The `[batch.count] + exampleShape` tensor of a planned batch.
  func examples(for batch: IndexBatch) throws -> Tensor
}

extension SplitMix64 {
  /// A generator for one epoch of a sampler, independent of the other epochs and streams.
  static func sampling(seed: UInt64, epoch: Int, stream: UInt64 = 0) -> SplitMix64 {
    SplitMix64(
      seed: mix64(
        mix64(seed ^ (stream &* 0xD1B5_4A32_D192_ED03)) ^ UInt64(truncatingIfNeeded: epoch)))
  }
}

/// SplitMix64's output function: a bijective 64-bit mixer.
func mix64(_ value: UInt64) -> UInt64 {
  var z = value &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

/// `count` distinct positions drawn uniformly from `0..<size` (`count ≤ size`), in draw order.
func distinctPositions(
  _ count: Int, of size: Int, using generator: inout SplitMix64
) -> [Int] {
  precondition(count <= size, "distinctPositions: \(count) of \(size)")
  if count * 4 < size {
    // Rejection against a small set: cheap when few positions are drawn from many.
    var chosen: [Int] = []
    chosen.reserveCapacity(count)
    var seen = Set<Int>(minimumCapacity: count)
    while chosen.count < count {
      let p = Int.random(in: 0..<size, using: &generator)
      if seen.insert(p).inserted { chosen.append(p) }
    }
    return chosen
  }
  // Partial Fisher–Yates.
  var all = Array(0..<size)
  for i in 0..<count {
    all.swapAt(i, Int.random(in: i..<size, using: &generator))
  }
  return Array(all[0..<count])
}
