import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct PNLossTests {
  @Test func perfectBatchGoldenValues() {
    let (embeddings, labels) = perfectTestBatch()
    #expect(abs(PNLoss()(embeddings: embeddings, labels: labels).item - 0.31326169) < 1e-6)
    #expect(abs(PNLoss(margin: 1.1)(embeddings: embeddings, labels: labels).item - 0.1) < 1e-6)
  }

  @Test func badBatchOfFourGoldenValues() {
    let (embeddings, labels) = badTestBatch(4)
    let soft = PNLoss()(embeddings: embeddings, labels: labels)
    let hinge = PNLoss(margin: 1)(embeddings: embeddings, labels: labels)
    #expect(abs(soft.item - 0.7706615) < 1e-6)
    #expect(abs(hinge.item - 1.125) < 1e-6)
  }

  @Test func miningGoldenValues() {
    let embeddings = TripletLossTests.miningEmbeddings
    let labels = TripletLossTests.miningLabels
    let easy = PNLoss(positiveMining: .easy, negativeMining: .easy, margin: 1)
    let hard = PNLoss(positiveMining: .hard, negativeMining: .hard, margin: 1)
    #expect(abs(easy(embeddings: embeddings, labels: labels).item - 0.6666667) < 1e-6)
    #expect(abs(hard(embeddings: embeddings, labels: labels).item - 2.0) < 1e-6)
  }

  @Test func semiHardMiningGoldenValues() {
    let loss = PNLoss(
      positiveMining: .easy, negativeMining: .semiHard, margin: 1, reduction: .none)
    let value = loss(
      embeddings: TripletLossTests.semiHardEmbeddings, labels: TripletLossTests.semiHardLabels)
    #expect(isClose(value.scalars, [1.371, 1.366, 0.871, 0.871], tolerance: 1e-3))
  }

  @Test func gradientMatchesFiniteDifferences() {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 5, classes: 3, seed: 21)
    for margin in [nil, Float(0.5)] {
      let loss = PNLoss(margin: margin)
      expectGradientMatchesFiniteDifferences(at: embeddings) {
        loss(embeddings: $0, labels: labels)
      }
    }
  }

  @Test func batchWithoutPositivesIsZeroNotNaN() {
    let (embeddings, _) = randomBatch(count: 4, dimension: 3, classes: 2, seed: 8)
    let value = PNLoss()(embeddings: embeddings, labels: [0, 1, 2, 3])
    #expect(value.item == 0)
  }
}
