import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct CrossBatchMemoryTests {
  static func batch(seed: UInt64) -> (embeddings: Tensor, labels: [Int]) {
    randomBatch(count: 6, dimension: 16, classes: 3, seed: seed)
  }

  @Test func memoryIsAFIFOQueueOfMemorySizeRows() {
    let xbm = CrossBatchMemory(MultiSimilarityLoss(), memorySize: 12)
    var shapes: [[Int]] = []
    for seed in UInt64(1)...3 {
      let (embeddings, labels) = Self.batch(seed: seed)
      _ = xbm(embeddings: embeddings, labels: labels)
      shapes.append(xbm.memoryEmbeddings?.shape ?? [])
    }
    #expect(shapes == [[6, 16], [12, 16], [12, 16]])
    // Newest first: the last batch opens the memory, the one before follows.
    let last = Self.batch(seed: 3)
    let previous = Self.batch(seed: 2)
    #expect(xbm.memoryLabels == last.labels + previous.labels)
    #expect(Array(xbm.memoryEmbeddings!.scalars.prefix(96)) == last.embeddings.scalars)
  }

  @Test func warmupKeepsTheMemoryEmpty() {
    let xbm = CrossBatchMemory(TripletLoss(), memorySize: 12, warmupSteps: 2)
    let (embeddings, labels) = Self.batch(seed: 1)
    _ = xbm(embeddings: embeddings, labels: labels)
    #expect(xbm.memoryEmbeddings?.shape == [0, 16])
    _ = xbm(embeddings: embeddings, labels: labels)
    #expect(xbm.memoryEmbeddings?.shape == [0, 16])
    _ = xbm(embeddings: embeddings, labels: labels)
    #expect(xbm.memoryEmbeddings?.shape == [6, 16])
  }

  @Test func firstCallEqualsTheWrappedLoss() {
    let (embeddings, labels) = Self.batch(seed: 4)
    let loss = MultiSimilarityLoss(beta: 10)
    let xbm = CrossBatchMemory(loss, memorySize: 100)
    #expect(
      abs(xbm(embeddings: embeddings, labels: labels).item
        - loss(embeddings: embeddings, labels: labels).item) < 1e-6)
  }

  @Test func laterCallsPairTheBatchWithTheMemory() {
    let first = Self.batch(seed: 5)
    let second = Self.batch(seed: 6)
    let loss = TripletLoss(reduction: .none)
    let xbm = CrossBatchMemory(loss, memorySize: 100)
    _ = xbm(embeddings: first.embeddings, labels: first.labels)
    let value = xbm.perExampleLoss(embeddings: second.embeddings, labels: second.labels)
    let expected = loss.perExampleLoss(
      queries: second.embeddings, queryLabels: second.labels,
      keys: Tensor.concatenated([second.embeddings, first.embeddings]),
      keyLabels: second.labels + first.labels, removesDiagonal: true)
    #expect(value.scalars == expected.scalars)
    // Only the batch carries gradients; the memory is detached.
    let variable = second.embeddings.variable()
    let gradient = xbm(embeddings: variable, labels: second.labels).gradients(of: [variable])[0]
    #expect(gradient.scalars.allSatisfy { $0.isFinite } && gradient.scalars.contains { $0 != 0 })
  }
}
