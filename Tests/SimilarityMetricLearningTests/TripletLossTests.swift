import SimilarityKernels
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct TripletLossTests {
  /// TF Similarity's mining fixture: labels [0,0,0,1,1,1], two directions.
  static let miningEmbeddings = Tensor(rows: [[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 0]])
  static let miningLabels = [0, 0, 0, 1, 1, 1]
  /// TF Similarity's semi-hard fixture.
  static let semiHardEmbeddings = Tensor(
    rows: [[1, 0], [0.5, 0.8660254], [0, 1], [0.01010049, 0.999949]])
  static let semiHardLabels = [0, 0, 1, 1]

  @Test func perfectBatchSoftMarginIsLogOnePlusEToTheMinusOne() {
    // d(a, p) = 0 and every negative is at cosine distance 1: log(1 + e^−1) per anchor.
    let (embeddings, labels) = perfectTestBatch()
    let value = TripletLoss()(embeddings: embeddings, labels: labels)
    #expect(abs(value.item - 0.31326169) < 1e-6)
  }

  @Test func perfectBatchWithMarginLeavesTheMarginExcess() {
    // max(0 − 1 + 1.1, 0) = 0.1 per anchor.
    let (embeddings, labels) = perfectTestBatch()
    let value = TripletLoss(margin: 1.1)(embeddings: embeddings, labels: labels)
    #expect(abs(value.item - 0.1) < 1e-6)
  }

  @Test func perfectBatchSumIsSixtyFourTimesTheAnchorLoss() {
    let (embeddings, labels) = perfectTestBatch()
    let value = TripletLoss(reduction: .sum)(embeddings: embeddings, labels: labels)
    #expect(abs(value.item - 64 * 0.31326169) < 1e-4)
  }

  @Test func badBatchGoldenValues() {
    // Positives orthogonal (d = 1); semi-hard finds a negative at distance 1 too: log 2 and 1.
    let (embeddings, labels) = badTestBatch()
    let soft = TripletLoss()(embeddings: embeddings, labels: labels)
    let hinge = TripletLoss(margin: 1)(embeddings: embeddings, labels: labels)
    #expect(abs(soft.item - 0.69314718) < 1e-6)
    #expect(abs(hinge.item - 1.0) < 1e-6)
  }

  @Test func easyEasyMiningGoldenValue() {
    let loss = TripletLoss(positiveMining: .easy, negativeMining: .easy, margin: 1)
    let value = loss(embeddings: Self.miningEmbeddings, labels: Self.miningLabels)
    #expect(abs(value.item - 1.0 / 3.0) < 1e-6)
  }

  @Test func hardHardMiningGoldenValue() {
    let loss = TripletLoss(positiveMining: .hard, negativeMining: .hard, margin: 1)
    let value = loss(embeddings: Self.miningEmbeddings, labels: Self.miningLabels)
    #expect(abs(value.item - 2.0) < 1e-6)
  }

  @Test func semiHardMiningGoldenValues() {
    let loss = TripletLoss(
      positiveMining: .easy, negativeMining: .semiHard, margin: 1, reduction: .none)
    let value = loss(embeddings: Self.semiHardEmbeddings, labels: Self.semiHardLabels)
    #expect(value.shape == [4])
    #expect(isClose(value.scalars, [0.51, 1.366, 0.866, 0.871], tolerance: 1e-3))
  }

  @Test(arguments: NegativeMining.allCases)
  func gradientMatchesFiniteDifferences(negativeMining: NegativeMining) {
    let (embeddings, labels) = randomBatch(count: 10, dimension: 5, classes: 3, seed: 12)
    for margin in [nil, Float(0.5)] {
      let loss = TripletLoss(negativeMining: negativeMining, margin: margin)
      expectGradientMatchesFiniteDifferences(at: embeddings) {
        loss(embeddings: $0, labels: labels)
      }
    }
  }

  @Test func innerProductFlipsTheMargin() {
    // Similarities: s(a, p) = 2, s(a, n) = 0.5. A margin of 1 is met (2 ≥ 0.5 + 1); a margin
    // of 2 misses by 0.5. Anchor 2 has no positive and contributes 0.
    let embeddings = Tensor(rows: [[1, 1], [1, 1], [0.5, 0]])
    let met = TripletLoss(distance: .innerProduct, margin: 1, reduction: .none)
    let missed = TripletLoss(distance: .innerProduct, margin: 2, reduction: .none)
    #expect(met(embeddings: embeddings, labels: [0, 0, 1]).scalars == [0, 0, 0])
    #expect(isClose(missed(embeddings: embeddings, labels: [0, 0, 1]).scalars, [0.5, 0.5, 0]))
  }

  @Test func anchorsWithoutPositivesOrNegativesContributeZero() {
    let (embeddings, _) = randomBatch(count: 5, dimension: 3, classes: 2, seed: 2)
    let variable = embeddings.variable()
    for labels in [[0, 1, 2, 3, 4], [7, 7, 7, 7, 7]] {
      let value = TripletLoss()(embeddings: variable, labels: labels)
      #expect(value.item == 0)
      #expect(value.gradients(of: [variable])[0].scalars.allSatisfy { $0 == 0 })
    }
  }
}
