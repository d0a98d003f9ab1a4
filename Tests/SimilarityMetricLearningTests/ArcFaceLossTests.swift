import Foundation
import SimilarityKernels
import SimilarityLayers
import SimilaritySearch
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct ArcFaceLossTests {
  /// Softmax cross-entropy with the angular margin on the target, in `Double`.
  static func naive(_ loss: ArcFaceLoss, embeddings: Tensor, labels: [Int]) -> [Double] {
    let centers = loss.centers.value
    let (dimension, classes) = (centers.shape[0], centers.shape[1])
    let columns = (0..<classes).map { c in (0..<dimension).map { Double(centers[$0, c]) } }
    let (s, m) = (Double(loss.scale), Double(loss.margin))
    return rowArrays(embeddings).enumerated().map { i, row in
      let x = row.map(Double.init)
      let norm = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
      let cosines = columns.map { c in zip(x, c).reduce(0) { $0 + $1.0 * $1.1 } / (norm(x) * norm(c)) }
      let theta = Foundation.acos(cosines[labels[i]])
      let target =
        theta + m <= Double.pi ? Foundation.cos(theta + m) : cosines[labels[i]] - m * Foundation.sin(Double.pi - m)
      let logits = cosines.indices.map { $0 == labels[i] ? s * target : s * cosines[$0] }
      let top = logits.max()!
      return top + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - top) }) - s * target
    }
  }

  @Test(arguments: [UInt64(1), 2])
  func agreesWithANaiveLoop(seed: UInt64) {
    let (embeddings, labels) = randomBatch(
      count: 12, dimension: 6, classes: 5, seed: seed, normalized: false)
    let loss = ArcFaceLoss(dimension: 6, classes: 5, scale: 16, reduction: .none, seed: seed)
    let values = loss(embeddings: embeddings, labels: labels)
    #expect(isClose(values.scalars, Self.naive(loss, embeddings: embeddings, labels: labels), tolerance: 1e-3))
  }

  @Test func defaultsAreThePaper() {
    let loss = ArcFaceLoss(dimension: 4, classes: 3)
    #expect(loss.scale == 64 && loss.margin == 0.5 && loss.distance == .cosine)
    #expect(loss.centers.shape == [4, 3])
    #expect(loss.namedParameters.map(\.name) == ["centers"])
  }

  @Test func gradientMatchesFiniteDifferencesForEmbeddingsAndCentres() {
    let (embeddings, labels) = randomBatch(
      count: 6, dimension: 4, classes: 3, seed: 5, normalized: false)
    let loss = ArcFaceLoss(dimension: 4, classes: 3, scale: 4, seed: 5)
    expectGradientMatchesFiniteDifferences(at: embeddings) { loss(embeddings: $0, labels: labels) }
    let original = loss.centers.value
    expectGradientMatchesFiniteDifferences(at: original) { centers in
      loss.centers.value = centers
      defer { loss.centers.value = original }
      return loss(embeddings: embeddings, labels: labels)
    }
  }

  @Test func marginRaisesTheLoss() {
    let (embeddings, labels) = randomBatch(count: 8, dimension: 4, classes: 3, seed: 6)
    let plain = ArcFaceLoss(dimension: 4, classes: 3, margin: 0, seed: 1)
    let margined = ArcFaceLoss(dimension: 4, classes: 3, seed: 1)
    #expect(
      margined(embeddings: embeddings, labels: labels).item
        > plain(embeddings: embeddings, labels: labels).item)
  }
}
