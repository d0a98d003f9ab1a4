import SimilarityKernels
import SimilarityLayers
import SimilarityTensors
import Testing

@testable import SimilarityMetricLearning

@Suite struct SiameseTrainingTests {
  /// `count` 28×28 images of `classes` classes: a fixed sparse random prototype per class
  /// (15% of pixels on, like the ink of an MNIST digit) with noise, values in [0, 1].
  static func syntheticImages(count: Int, classes: Int, seed: UInt64) -> (ExampleMatrix, [Int]) {
    var random = SplitMix64(seed: 99)  // prototypes are shared by every split
    let prototypes = (0..<classes).map { _ in
      (0..<784).map { _ in Float(random.nextUnitFloat() < 0.15 ? 1 : 0) }
    }
    var noise = SplitMix64(seed: seed)
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
      let label = i % classes
      labels.append(label)
      values += prototypes[label].map { Swift.min(1, Swift.max(0, $0 + 0.3 * noise.nextNormal())) }
    }
    return (ExampleMatrix(values: values, exampleShape: [28, 28]), labels)
  }

  @Test func trainingLowersTheLossAndBeatsChanceOnHeldOutPairs() throws {
    let (train, trainLabels) = Self.syntheticImages(count: 240, classes: 4, seed: 1)
    let (test, testLabels) = Self.syntheticImages(count: 120, classes: 4, seed: 2)
    let trainPairs = try PairSet.alternatingPairs(labels: trainLabels, classCount: 4, seed: 3)
    let testPairs = try PairSet.alternatingPairs(labels: testLabels, classCount: 4, seed: 4)
    let network = SiameseNetwork(tower: .kerasSiameseTower(seed: 5))
    let trainer = SiameseTrainer(batchSize: 32, seed: 6)
    let before = trainer.evaluate(network, examples: test, pairs: testPairs)
    var steps = 0
    let history = trainer.fit(
      network, optimizer: RMSprop(), examples: train, pairs: trainPairs, epochs: 3,
      validation: (test, testPairs), onStep: { _ in steps += 1 })
    #expect(steps == 3 * ((trainPairs.count + 31) / 32))
    #expect(history.epochs.count == 3)
    let first = try #require(history.epochs.first)
    let last = try #require(history.epochs.last)
    #expect(last.loss < first.loss)
    let after = trainer.evaluate(network, examples: test, pairs: testPairs)
    #expect(after.loss < before.loss)
    // Chance is 0.5 (pairs alternate similar / dissimilar).
    #expect(after.accuracy > 0.8)
    #expect(last.validationAccuracy == after.accuracy)
  }

  @Test func trainingIsDeterministicGivenTheSeeds() throws {
    let (train, labels) = Self.syntheticImages(count: 80, classes: 4, seed: 1)
    let pairs = try PairSet.alternatingPairs(labels: labels, classCount: 4, seed: 3)
    func run() -> [Float] {
      let network = SiameseNetwork(tower: .kerasSiameseTower(seed: 5))
      _ = SiameseTrainer(batchSize: 16, seed: 6).fit(
        network, optimizer: RMSprop(), examples: train, pairs: pairs, epochs: 1)
      return network.distances(of: pairs, in: train)
    }
    #expect(run() == run())
  }

  @Test func inferenceDistancesEqualTheNetworkForwardPass() throws {
    let (data, labels) = Self.syntheticImages(count: 40, classes: 4, seed: 8)
    let pairs = try PairSet.alternatingPairs(labels: labels, classCount: 4, seed: 1)
    let network = SiameseNetwork(tower: .kerasSiameseTower(seed: 2))
    let fast = network.distances(of: pairs, in: data)
    let direct = network(data.batch(pairs.first), data.batch(pairs.second))
    #expect(Tensor(shape: [fast.count], scalars: fast).isClose(to: direct, tolerance: 1e-4))
  }
}
