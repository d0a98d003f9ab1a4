import SimilarityLayers
import SimilarityMetricLearning

@testable import Similarity

/// Clustered synthetic data: the class is visible in the first 4 of 16 inputs (centres of
/// scale 3, noise 0.5); the other 12 inputs are noise of scale 3 that a random network mixes
/// into its embedding and training learns to ignore.
struct ClusteredData {
  let train: ExampleMatrix
  let trainLabels: [Int]
  let test: ExampleMatrix
  let testLabels: [Int]

  init(classes: Int = 6, perClass: Int = 40, seed: UInt64 = 11) {
    var generator = SplitMix64(seed: seed)
    let centres = (0..<classes).map { _ in (0..<4).map { _ in 3 * generator.nextNormal() } }
    func make(_ count: Int) -> (ExampleMatrix, [Int]) {
      var values: [Float] = []
      var labels: [Int] = []
      for i in 0..<(count * classes) {
        let label = i % classes
        labels.append(label)
        values += centres[label].map { $0 + 0.5 * generator.nextNormal() }
        values += (0..<12).map { _ in 3 * generator.nextNormal() }
      }
      return (ExampleMatrix(values: values, exampleShape: [16]), labels)
    }
    (train, trainLabels) = make(perClass)
    (test, testLabels) = make(perClass / 2)
  }

  static func embeddingModel(seed: UInt64 = 1) -> Sequential {
    Sequential(seed: seed) {
      Input(shape: [16])
      Dense(units: 32, activation: .relu)
      MetricEmbedding(units: 8)
    }
  }
}
