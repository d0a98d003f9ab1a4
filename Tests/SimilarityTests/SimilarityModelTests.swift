import Foundation
import SimilarityEvaluation
import SimilarityLayers
import SimilarityMetricLearning
import SimilaritySearch
import Testing

@testable import Similarity

@Suite struct SimilarityModelTests {
  func recallAtOne(_ model: SimilarityModel, _ data: ClusteredData) throws -> Float {
    model.resetIndex()
    try model.index(data.train, labels: data.trainLabels)
    return try model.evaluateRetrieval(data.test, labels: data.testLabels, metrics: [.recall(k: 1)])
      .values.first!
  }

  @Test func fitImprovesRecallAtOne() throws {
    let data = ClusteredData()
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    let before = try recallAtOne(model, data)
    let sampler = try MultiShotSampler(
      examples: data.train, labels: data.trainLabels, classesPerBatch: 6, examplesPerClass: 5,
      stepsPerEpoch: 25, seed: 2)
    let callback = try EvaluationCallback(
      queries: data.test, queryLabels: data.testLabels, targets: data.train,
      targetLabels: data.trainLabels, knownClasses: [0, 1, 2])
    var steps = 0
    let history = try model.fit(
      sampler: sampler, loss: MultiSimilarityLoss(), optimizer: Adam(learningRate: 0.01),
      epochs: 4, validation: callback, onStep: { _ in steps += 1 })
    let after = try recallAtOne(model, data)
    #expect(steps == 100)
    #expect(history.epochs.count == 4)
    #expect(history.epochs.last!.loss < history.epochs.first!.loss)
    let first = try #require(history.epochs.first?.distances)
    let last = try #require(history.epochs.last?.distances)
    #expect(last.gap > first.gap)
    #expect(first.minPositive <= first.meanPositive && first.meanPositive <= first.maxPositive)
    let validation = try #require(history.epochs.last?.validation)
    #expect(validation["recall@1_known_classes"] != nil)
    #expect(validation["recall@1_unknown_classes"] != nil)
    let accuracy = try #require(validation["binary_accuracy"])
    #expect(abs(accuracy - (validation["recall@1"] ?? -1)) < 1e-6)
    #expect(before < 0.8)
    #expect(after > before + 0.1)
  }

  /// A figure's value does not depend on the other metrics asked for or on who asks: the model
  /// used to pass class sizes only when a clipped metric was in the list (precision@1 and
  /// map@k then divided by R instead of k), and the training callback divided MAP by k and
  /// silently dropped the metrics that need class sizes.
  @Test func retrievalFiguresDoNotDependOnTheMetricListOrTheCaller() throws {
    let data = ClusteredData()
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    try model.index(data.train, labels: data.trainLabels)
    let precision = RetrievalMetric.precision(k: 1)
    let map = RetrievalMetric.meanAveragePrecision(k: 5)
    let plain = try model.evaluateRetrieval(
      data.test, labels: data.testLabels, metrics: [precision, .recall(k: 1), map])
    let withClipped = try model.evaluateRetrieval(
      data.test, labels: data.testLabels,
      metrics: [precision, map, .meanAveragePrecisionAtR(maxK: 50)])
    let precisionAtOne = try #require(plain[precision])
    #expect(precisionAtOne == plain[.recall(k: 1)])
    #expect(withClipped[precision] == precisionAtOne)
    #expect(withClipped[map] == plain[map])
    let callback = try EvaluationCallback(
      queries: data.test, queryLabels: data.testLabels, targets: data.train,
      targetLabels: data.trainLabels, metrics: [precision, map, .rPrecision(maxK: 50)])
    let scores = try callback.evaluate(model)
    #expect(scores["precision@1"] == Double(precisionAtOne))
    #expect(scores["map@5"] == plain[map].map(Double.init))
    #expect(scores["r_precision"] != nil)
  }

  /// A model with 6 well-separated classes indexed and calibrated, after a short fit.
  func calibratedModel(indexKind: IndexKind = .exact) throws -> (SimilarityModel, ClusteredData) {
    let data = ClusteredData()
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel(), indexKind: indexKind)
    let sampler = try MultiShotSampler(
      examples: data.train, labels: data.trainLabels, classesPerBatch: 6, examplesPerClass: 5,
      stepsPerEpoch: 25, seed: 2)
    try model.fit(
      sampler: sampler, loss: MultiSimilarityLoss(), optimizer: Adam(learningRate: 0.01),
      epochs: 2)
    try model.index(
      data.train, labels: data.trainLabels,
      payloads: (0..<data.train.count).map { [UInt8($0 % 256), 7] })
    try model.calibrate(
      data.test, labels: data.testLabels, targets: [.precision(atLeast: 0.9)])
    return (model, data)
  }

  @Test func calibrateStoresCutpointsAndMatchUsesThem() throws {
    let (model, data) = try calibratedModel()
    let calibration = try #require(model.calibration)
    #expect(calibration.metric == .f1)
    #expect(model.indexSummary.isCalibrated)
    #expect(model.indexSummary.count == data.train.count)
    #expect(model.indexSummary.classSizes == [0: 40, 1: 40, 2: 40, 3: 40, 4: 40, 5: 40])
    let nearest = try model.lookup(data.test, k: 1).map { $0[0].label }
    #expect(try model.match(data.test, cutpoint: .distance(10)) == nearest)
    #expect(try model.match(data.test, cutpoint: .distance(-1)).allSatisfy { $0 == nil })
    let asTensor = data.test.batch(0..<data.test.count)
    #expect(try model.match(asTensor, cutpoint: .distance(10)) == nearest)
    #expect(try model.lookup(asTensor, k: 3) == model.lookup(data.test, k: 3))
    let matches = try model.match(data.test)
    let threshold = calibration.optimal.distance
    let distances = try model.lookup(data.test, k: 1).map { $0[0].distance }
    for (match, (label, distance)) in zip(matches, zip(nearest, distances)) {
      #expect(match == (distance <= threshold + 1e-6 ? label : nil))
    }
    let evaluations = try model.evaluateClassification(data.test, labels: data.testLabels)
    #expect(evaluations.first?.cutpoint.name == "optimal")
    #expect(abs(evaluations[0].values[.f1]! - calibration.optimal.value) < 1e-5)
    #expect(throws: SimilarityModelError.unreachedTarget("recall>=2.0")) {
      try model.match(data.test, cutpoint: .target(.recall(atLeast: 2)))
    }
  }

  @Test func saveThenLoadGivesIdenticalLookups() throws {
    for kind in [IndexKind.exact, .hnsw(maxConnections: 8, efConstruction: 50, efSearch: 20)] {
      let (model, data) = try calibratedModel(indexKind: kind)
      let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("similarity-model-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: directory) }
      try model.save(to: directory)
      try model.save(to: directory)  // replacing an existing directory
      let loaded = try SimilarityModel.load(from: directory)
      #expect(loaded.indexKind == kind)
      #expect(loaded.distance == model.distance)
      #expect(loaded.calibration == model.calibration)
      #expect(try loaded.lookup(data.test, k: 5) == model.lookup(data.test, k: 5))
      #expect(try loaded.match(data.test) == model.match(data.test))
      #expect(loaded.indexSummary == model.indexSummary)
      let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      #expect(
        names == [
          "architecture.json", "calibration.json", "index.simx", "manifest.json",
          "model.safetensors",
        ])
    }
  }
}

@Suite struct SimilarityModelErrorTests {
  let data = ClusteredData(classes: 3, perClass: 4)

  @Test func mismatchedLabelsAndExamples() throws {
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    #expect(throws: SimilarityModelError.countMismatch(what: "labels", expected: 12, found: 11)) {
      try model.index(data.train, labels: Array(data.trainLabels.dropLast()))
    }
    #expect(throws: SimilarityModelError.countMismatch(what: "payloads", expected: 12, found: 1)) {
      try model.index(data.train, labels: data.trainLabels, payloads: [[1]])
    }
    try model.index(data.train, labels: data.trainLabels)
    #expect(throws: SimilarityModelError.countMismatch(what: "labels", expected: 6, found: 12)) {
      try model.calibrate(data.test, labels: data.trainLabels)
    }
    #expect(throws: SimilarityModelError.exampleShapeMismatch(expected: [16], found: [4])) {
      try model.lookup(ExampleMatrix(values: [1, 2, 3, 4], exampleShape: [4]))
    }
  }

  @Test func emptyIndexAndMissingCalibration() throws {
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    #expect(throws: SimilarityModelError.emptyIndex(operation: "lookup")) {
      try model.lookup(data.test)
    }
    #expect(throws: SimilarityModelError.emptyIndex(operation: "calibrate")) {
      try model.calibrate(data.test, labels: data.testLabels)
    }
    try model.index(data.train, labels: data.trainLabels)
    #expect(throws: SimilarityModelError.notCalibrated(operation: "match")) {
      try model.match(data.test)
    }
    #expect(throws: SimilarityModelError.notCalibrated(operation: "evaluateClassification")) {
      try model.evaluateClassification(data.test, labels: data.testLabels)
    }
    #expect(
      SimilarityModelError.notCalibrated(operation: "match").description.contains("calibrate"))
  }

  func savedDirectory() throws -> URL {
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    try model.index(data.train, labels: data.trainLabels)
    try model.calibrate(data.test, labels: data.testLabels)
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-model-\(UUID().uuidString)")
    try model.save(to: directory)
    return directory
  }

  func loadError(_ directory: URL) -> String {
    do {
      _ = try SimilarityModel.load(from: directory)
      return ""
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: [
    "manifest.json", "architecture.json", "model.safetensors", "index.simx", "calibration.json",
  ])
  func corruptOrMissingPartsAreNamed(file: String) throws {
    let directory = try savedDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent(file)
    let bytes = try Data(contentsOf: url)
    try bytes.prefix(bytes.count / 2).write(to: url)
    let truncated = loadError(directory)
    #expect(truncated.contains(file))
    try FileManager.default.removeItem(at: url)
    let missing = loadError(directory)
    #expect(missing.contains(file))
  }
}
