import SimilarityLayers
import SimilarityTensors

/// A siamese network: one tower applied to both inputs of a pair with shared weights, and a
/// Euclidean distance head (Bromley et al. 1993, "Signature Verification using a Siamese Time
/// Delay Neural Network"; the Keras `mnist_siamese` example).
///
/// ```swift
/// let network = SiameseNetwork(tower: .kerasSiameseTower(seed: 1))
/// let d = network(left, right)   // [batch, 28, 28] × 2 → [batch]
/// ```
public final class SiameseNetwork: Model {
  /// The shared tower mapping one example to its embedding: a ``Sequential`` or a
  /// single-input, single-output ``Functional`` graph.
  public let tower: any NetworkModel

  /// Creates a network around `tower` (one input, one output), whose weights both branches
  /// share.
  public init(tower: any NetworkModel) {
    precondition(
      tower.isSingleInputSingleOutput,
      "SiameseNetwork: the tower has \(tower.inputShapes.count) inputs and "
        + "\(tower.outputShapes.count) outputs; it needs one of each")
    self.tower = tower
  }

  /// The distance between the embeddings of each pair.
  ///
  /// Both branches run as one batch through the tower (`[2·batch, …]`), which is the same
  /// computation as two calls with shared weights but one matrix multiply per layer.
  ///
  /// - Parameters:
  ///   - first: `[batch, …]`, the first example of each pair.
  ///   - second: `[batch, …]`, the second example of each pair.
  /// - Returns: `[batch]`.
  public func callAsFunction(_ first: Tensor, _ second: Tensor) -> Tensor {
    precondition(
      first.shape == second.shape,
      "SiameseNetwork: pair inputs have shapes \(first.shape) and \(second.shape)")
    return distances(stacked: Tensor.concatenated([first, second], alongAxis: 0))
  }

  /// The distance of each pair when the pairs come stacked: `[2·batch, …]` whose first half
  /// holds the first example of every pair and whose second half holds the second ones.
  ///
  /// - Returns: `[batch]`.
  public func distances(stacked pairs: Tensor) -> Tensor {
    precondition(
      pairs.rank >= 1 && pairs.shape[0] % 2 == 0,
      "SiameseNetwork: stacked pairs need an even batch axis, got \(pairs.shape)")
    let batch = pairs.shape[0] / 2
    let both = tower(pairs)
    return euclideanDistance(both.slicing(0..<batch), both.slicing(batch..<(2 * batch)))
  }

  /// Embeds `examples` with the tower in inference mode, `batchSize` at a time.
  ///
  /// - Returns: `[examples.count, embeddingSize]`.
  public func embeddings(of examples: ExampleMatrix, batchSize: Int = 1024) -> Tensor {
    precondition(batchSize > 0, "embeddings: batchSize \(batchSize) must be positive")
    let wasTraining = tower.isTraining
    tower.isTraining = false
    defer { tower.isTraining = wasTraining }
    if batchSize >= examples.count && examples.count > 0 {
      // One batch covering everything: the tensor shares the examples' storage (no copy).
      return tower(examples.all).detached
    }
    var parts: [Tensor] = []
    for start in stride(from: 0, to: examples.count, by: batchSize) {
      let end = min(start + batchSize, examples.count)
      parts.append(tower(examples.batch(start..<end)).detached)
    }
    guard !parts.isEmpty else {
      let width = tower.outputShapes[0].last.flatMap { $0 } ?? 0
      return Tensor.zeros([0, width])
    }
    return parts.count == 1 ? parts[0] : Tensor.concatenated(parts, alongAxis: 0)
  }

  /// The distance of every pair in `pairs`, computed in inference mode from the embeddings of
  /// the examples (each example is embedded once).
  public func distances(of pairs: PairSet, in examples: ExampleMatrix, batchSize: Int = 1024)
    -> [Float]
  {
    let embedded = embeddings(of: examples, batchSize: batchSize)
    let width = embedded.shape[1]
    let values = embedded.scalars
    var result = [Float](repeating: 0, count: pairs.count)
    values.withUnsafeBufferPointer { e in
      for p in 0..<pairs.count {
        let a = Int(pairs.first[p]) * width
        let b = Int(pairs.second[p]) * width
        var sum: Float = 0
        for j in 0..<width {
          let diff = e[a + j] - e[b + j]
          sum += diff * diff
        }
        result[p] = Swift.max(sum, 1e-7).squareRoot()
      }
    }
    return result
  }
}
