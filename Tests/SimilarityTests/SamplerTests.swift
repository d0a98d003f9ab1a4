import SimilarityLayers
import SimilarityMetricLearning
import Testing

@testable import Similarity

/// `perClass` examples of each of `classes` classes, example `i` holding the value `i`.
func numberedExamples(classes: Int, perClass: Int) -> (ExampleMatrix, [Int]) {
  let count = classes * perClass
  let labels = (0..<count).map { $0 % classes }
  return (ExampleMatrix(values: (0..<count).map(Float.init), exampleShape: [1]), labels)
}

@Suite struct MultiShotSamplerTests {
  @Test func batchesAreClassBalancedWithoutRepeats() throws {
    let (examples, labels) = numberedExamples(classes: 10, perClass: 30)
    let sampler = try MultiShotSampler(
      examples: examples, labels: labels, classesPerBatch: 4, examplesPerClass: 5,
      stepsPerEpoch: 50, seed: 3)
    let plan = sampler.plan(epoch: 1)
    #expect(plan.count == 50)
    for batch in plan {
      #expect(batch.count == 20)
      var perClass: [Int: Int] = [:]
      for label in batch.labels { perClass[label, default: 0] += 1 }
      #expect(perClass.count == 4)
      #expect(perClass.values.allSatisfy { $0 == 5 })
      #expect(Set(batch.indices).count == 20)
      #expect(zip(batch.indices, batch.labels).allSatisfy { labels[$0.0] == $0.1 })
    }
    let tensor = try sampler.examples(for: plan[0])
    #expect(tensor.shape == [20, 1])
    #expect(tensor.scalars == plan[0].indices.map(Float.init))
  }

  @Test func plansAreDeterministicPerSeedAndEpoch() throws {
    let (examples, labels) = numberedExamples(classes: 6, perClass: 20)
    func sampler(_ seed: UInt64) throws -> MultiShotSampler {
      try MultiShotSampler(
        examples: examples, labels: labels, classesPerBatch: 3, examplesPerClass: 4,
        stepsPerEpoch: 10, seed: seed)
    }
    #expect(try sampler(1).plan(epoch: 2) == sampler(1).plan(epoch: 2))
    #expect(try sampler(1).plan(epoch: 1) != sampler(1).plan(epoch: 2))
    #expect(try sampler(1).plan(epoch: 1) != sampler(2).plan(epoch: 1))
  }

  @Test func classListAndTotalExamplesRestrictTheDraws() throws {
    let (examples, labels) = numberedExamples(classes: 10, perClass: 50)
    let sampler = try MultiShotSampler(
      examples: examples, labels: labels, classesPerBatch: 3, examplesPerClass: 2,
      stepsPerEpoch: 200, classList: [7, 2, 5], totalExamplesPerClass: 8, seed: 9)
    #expect(sampler.classes == [2, 5, 7])
    #expect(sampler.sampledExampleCount == 24)
    let used = Set(sampler.plan(epoch: 1).flatMap(\.indices))
    #expect(Set(used.map { labels[$0] }) == [2, 5, 7])
    #expect(used.count <= 24)
  }

  @Test func smallClassesAreSampledWithReplacementOrRejected() throws {
    let examples = ExampleMatrix(values: [0, 1, 2, 3, 4], exampleShape: [1])
    let labels = [0, 0, 1, 1, 1]
    let sampler = try MultiShotSampler(
      examples: examples, labels: labels, classesPerBatch: 2, examplesPerClass: 4,
      stepsPerEpoch: 3)
    #expect(sampler.plan(epoch: 1).allSatisfy { $0.count == 8 })
    #expect(throws: SamplerError.classTooSmall(label: 0, examples: 2, required: 4)) {
      try MultiShotSampler(
        examples: examples, labels: labels, classesPerBatch: 2, examplesPerClass: 4,
        replacement: .never)
    }
  }

  @Test func errorsNameTheProblem() throws {
    let (examples, labels) = numberedExamples(classes: 3, perClass: 4)
    #expect(throws: SamplerError.tooManyClasses(requested: 4, available: 3)) {
      try MultiShotSampler(
        examples: examples, labels: labels, classesPerBatch: 4, examplesPerClass: 2)
    }
    #expect(throws: SamplerError.emptyClass(label: 8)) {
      try MultiShotSampler(
        examples: examples, labels: labels, classesPerBatch: 1, examplesPerClass: 2,
        classList: [0, 8])
    }
    #expect(throws: SamplerError.countMismatch(examples: 12, labels: 11)) {
      try MultiShotSampler(
        examples: examples, labels: Array(labels.dropLast()), classesPerBatch: 1,
        examplesPerClass: 2)
    }
    #expect(SamplerError.tooManyClasses(requested: 4, available: 3).description.contains("4"))
  }
}

@Suite struct EpochAndSingleShotSamplerTests {
  @Test func epochModeVisitsEveryExampleOnce() throws {
    let (examples, labels) = numberedExamples(classes: 4, perClass: 26)
    let sampler = try EpochSampler(examples: examples, labels: labels, batchSize: 10, seed: 5)
    let plan = sampler.plan(epoch: 3)
    #expect(plan.count == 11)
    #expect(plan.last?.count == 4)
    #expect(plan.flatMap(\.indices).sorted() == Array(0..<104))
    #expect(plan != sampler.plan(epoch: 4))
    #expect(plan.allSatisfy { zip($0.indices, $0.labels).allSatisfy { labels[$0.0] == $0.1 } })
  }

  @Test func singleShotMakesViewsLabelledByExample() throws {
    let (examples, _) = numberedExamples(classes: 1, perClass: 40)
    let sampler = try SingleShotSampler(
      examples: examples, examplesPerBatch: 8, viewsPerExample: 2, stepsPerEpoch: 4, seed: 1
    ) { example, generator in
      example + Tensor(shape: [1], scalars: [generator.nextUnitFloat() * 0.5])
    }
    let batch = sampler.plan(epoch: 1)[0]
    #expect(batch.count == 16)
    #expect(batch.labels == batch.indices)
    #expect(Set(batch.indices).count == 8)
    for pair in stride(from: 0, to: 16, by: 2) {
      #expect(batch.indices[pair] == batch.indices[pair + 1])
    }
    let views = try sampler.examples(for: batch)
    #expect(views.shape == [16, 1])
    #expect(views.scalars != batch.indices.map(Float.init))
    #expect(try views.scalars == sampler.examples(for: batch).scalars)
    for (value, index) in zip(views.scalars, batch.indices) {
      #expect(value >= Float(index) && value < Float(index) + 0.5)
    }
    #expect(throws: SamplerError.tooManyClasses(requested: 41, available: 40)) {
      try SingleShotSampler(examples: examples, examplesPerBatch: 41) { e, _ in e }
    }
  }
}
