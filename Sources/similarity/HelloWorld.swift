import ArgumentParser
import Foundation
import Similarity
import SimilarityEvaluation
import SimilarityKernels
import SimilarityLayers
import SimilarityMetricLearning
import SimilaritySearch

/// `similarity hello-world`: TensorFlow Similarity's supervised hello world on MNIST, end to
/// end, with the protocol of `tfsim_hello.py` (the reference peer) so figures compare directly.
struct HelloWorld: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hello-world",
    abstract: "TensorFlow Similarity's MNIST hello world: train, index, calibrate, match.",
    discussion: """
      Trains the reference conv model (conv ×4 + MetricEmbedding(64)) with MultiSimilarityLoss \
      (cosine) and Adam on classes 2,3,1,7,9,6 only, in class-balanced batches of 6 classes × \
      10 examples, as the 0.17 notebook does (lr 5e-6, 10 epochs × 1000 steps). Then, like \
      tfsim_hello.py: protocol A indexes 20 training images per class, calibrates on the first \
      1000 training images and matches 1000 test images per class; protocol B indexes the first \
      200 test images per class, calibrates on the same 1000 training images and queries the \
      rest of the test set, or its first --query-limit images (classification at the \
      calibrated cutpoint, recall@k, precision@k, MAP@10, top-1 on seen and unseen classes). \
      --dataset fashion-mnist runs the same protocol on Fashion-MNIST. \
      --out saves the protocol B model; run.json records that it indexes test images, so \
      `evaluate`, `report` and `match` leave them out of their queries. Lines starting with \
      RESULT are for scripts.
      """)

  @Option(help: "Data set (the notebook's: mnist).") var dataset: DatasetChoice = .mnist
  @Option(help: "Directory holding the data set's IDX files (default: the usual places).")
  var dataDir: String?
  @Option(parsing: .unconditional, help: "Epochs.") var epochs: Int = 10
  @Option(parsing: .unconditional, help: "Steps per epoch.") var steps: Int = 1000
  @Option(parsing: .unconditional, help: "Adam learning rate (0.17 notebook: 5e-6).") var learningRate: Float = 5e-6
  @Option(help: "Training classes, comma-separated.") var classes: String = "2,3,1,7,9,6"
  @Option(parsing: .unconditional, help: "Examples of each class per batch.") var examplesPerClass: Int = 10
  @Option(parsing: .unconditional, help: "Protocol A: training images indexed per class.") var trainIndexPerClass = 20
  @Option(parsing: .unconditional, help: "Protocol B: test images indexed per class.") var testIndexPerClass = 200
  @Option(parsing: .unconditional, help: "Calibration images (the first N of the training set).") var calibrate = 1000
  @Option(parsing: .unconditional, help: "Protocol A: test images matched per class.") var matchPerClass = 1000
  @Option(parsing: .unconditional, help: "Protocol B: query only the first N remaining test images (default: all).")
  var queryLimit: Int?
  @Option(help: "Seed for weights and sampling.") var seed: UInt64 = 7
  @Flag(help: "Score known/unknown classes on the test set after every epoch (EvalCallback).")
  var evalCallback = false
  @Option(help: "Save the trained, indexed and calibrated model (protocol B) here (a new or empty folder, or a saved model).")
  var out: String?

  func validate() throws {
    try OptionCheck.positive(epochs, "--epochs")
    try OptionCheck.positive(steps, "--steps")
    try OptionCheck.positive(learningRate, "--learning-rate")
    try OptionCheck.positive(examplesPerClass, "--examples-per-class")
    try OptionCheck.positive(trainIndexPerClass, "--train-index-per-class")
    try OptionCheck.positive(testIndexPerClass, "--test-index-per-class")
    try OptionCheck.positive(calibrate, "--calibrate")
    try OptionCheck.positive(matchPerClass, "--match-per-class")
    if let queryLimit { try OptionCheck.positive(queryLimit, "--query-limit") }
    _ = try trainClasses()
  }

  func trainClasses() throws -> [Int] {
    let parsed = classes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && (0..<10).contains($0!) }) else {
      throw ValidationError("--classes \(classes): expected digits 0-9 separated by commas")
    }
    return parsed.map { $0! }
  }

  func run() throws {
    if let out { try OutputCheck.folder("--out", out, for: .similarityModel) }
    let seen = try trainClasses()
    let allClasses = Array(0..<10)
    let unseen = allClasses.filter { !seen.contains($0) }
    let train = try ImageSplit.load(dataset, .train, dataDirectory: dataDir)
    let test = try ImageSplit.load(dataset, .test, dataDirectory: dataDir)
    print(
      "\(dataset.dataset.name): \(train.count) training, \(test.count) test images; train "
        + "classes \(seen), unseen \(unseen)")
    let sampler = try MultiShotSampler(
      examples: train.examples, labels: train.labels, classesPerBatch: seen.count,
      examplesPerClass: examplesPerClass, stepsPerEpoch: steps, classList: seen, seed: seed)
    let model = SimilarityModel(
      embedding: .tfSimilarityMNISTConv(seed: seed), distance: .cosine)
    print(model.embedding.summary())
    print(
      "MultiSimilarityLoss (cosine), Adam lr \(learningRate), \(epochs) epochs × \(steps) "
        + "steps of \(seen.count) classes × \(examplesPerClass) examples; BLAS \(GEMM.kernelName)")
    var validation: EvaluationCallback?
    if evalCallback {
      let targets = test.subset(test.firstIndices(perClass: 20, classes: allClasses))
      let queries = test.subset(Array(stride(from: 1, to: test.count, by: 5)))
      validation = try EvaluationCallback(
        queries: queries.examples, queryLabels: queries.labels, targets: targets.examples,
        targetLabels: targets.labels, knownClasses: Set(seen))
    }
    let cpuStart = processCPUSeconds()
    let history = try trainWithProgress(
      model, sampler: sampler, loss: MultiSimilarityLoss(distance: .cosine),
      learningRate: learningRate, epochs: epochs, validation: validation)
    let median = history.medianEpochSeconds ?? .nan
    let cpuPerEpoch = (processCPUSeconds() - cpuStart) / Double(epochs)
    print(
      "FIT median epoch \(format(median)) s (\(format(1000 * median / Double(steps))) ms/step), "
        + "CPU \(format(cpuPerEpoch)) s per epoch (incl. any evaluation callback)")
    let calibration = train.prefix(calibrate)

    // Protocol A: the notebook.
    print(
      "\n=== Protocol A (notebook): index train \(trainIndexPerClass)/class, calibrate on "
        + "train[:\(calibrate)], match test \(matchPerClass)/class")
    model.resetIndex()
    try indexWithProgress(
      model,
      train.subset(
        train.firstIndices(
          perClass: trainIndexPerClass, classes: allClasses)))
    let calibrationA = try model.calibrate(
      calibration.examples, labels: calibration.labels, optimizing: .f1)
    printCutpoint("A", calibrationA.optimal)
    let matchSet = test.subset(test.firstIndices(perClass: matchPerClass, classes: allClasses))
    let matches = try model.match(matchSet.examples)
    func accuracy(_ rows: [Int]) -> Double {
      rows.isEmpty
        ? .nan
        : Double(rows.filter { matches[$0] == matchSet.labels[$0] }.count) / Double(rows.count)
    }
    let rows = Array(0..<matchSet.count)
    let seenRows = rows.filter { seen.contains(matchSet.labels[$0]) }
    let unseenRows = rows.filter { !seen.contains(matchSet.labels[$0]) }
    let unknownRate = Double(matches.filter { $0 == nil }.count) / Double(max(matches.count, 1))
    print(
      "MATCH_A accuracy (unknown counts as wrong) all \(format(accuracy(rows))) seen "
        + "\(format(accuracy(seenRows))) unseen \(format(accuracy(unseenRows))) no-match rate "
        + "\(format(unknownRate))")
    result("match_accuracy_seen_A", accuracy(seenRows))
    result("match_accuracy_unseen_A", accuracy(unseenRows))
    result("calibrated_f1_A", Double(calibrationA.optimal.value))

    // Protocol B: index test N/class, query the rest.
    print(
      "\n=== Protocol B: index test \(testIndexPerClass)/class, calibrate on "
        + "train[:\(calibrate)], query \(queryLimit.map { "the first \($0) of " } ?? "")the "
        + "remaining test images")
    let indexed = IndexedExamples(split: .test, perClass: testIndexPerClass, classes: allClasses)
    let remaining = indexed.unindexedIndices(in: test)
    let queries = test.subset(Array(remaining.prefix(queryLimit ?? remaining.count)))
    model.resetIndex()
    try indexWithProgress(model, test.subset(indexed.indices(in: test)))
    let calibrationB = try model.calibrate(
      calibration.examples, labels: calibration.labels, optimizing: .f1)
    printCutpoint("B", calibrationB.optimal)
    let classification = try model.evaluateClassification(queries.examples, labels: queries.labels)
    for evaluation in classification {
      print(
        "CLASSIFY cutpoint=\(evaluation.cutpoint.name) distance="
          + "\(format(evaluation.cutpoint.distance)): "
          + evaluation.values.sorted { $0.key.rawValue < $1.key.rawValue }
          .map { "\($0.key.rawValue)=\(format($0.value))" }.joined(separator: "  "))
    }
    let start = monotonicSeconds()
    let embeddings = try model.embed(queries.examples)
    let embedSeconds = monotonicSeconds() - start
    let lookups = try model.lookup(embeddings: embeddings, k: 10)
    let results = lookups.map { $0.map { LookupResult(distance: $0.distance, label: $0.label) } }
    let metrics: [RetrievalMetric] = [
      .recall(k: 1), .recall(k: 5), .recall(k: 10), .precision(k: 1), .precision(k: 5),
      .precision(k: 10), .meanAveragePrecision(k: 10),
    ]
    let retrieval = try evaluateRetrieval(
      queryLabels: queries.labels, lookups: results, metrics: metrics,
      classSizes: model.indexedClassSizes)
    for metric in metrics { print("RETRIEVAL \(metric) = \(format(retrieval[metric]!))") }
    let top1 = lookups.map { $0.first?.label }
    func top1Accuracy(_ keep: (Int) -> Bool) -> Double {
      let rows = (0..<queries.count).filter { keep(queries.labels[$0]) }
      return Double(rows.filter { top1[$0] == queries.labels[$0] }.count)
        / Double(max(rows.count, 1))
    }
    let top1All = top1Accuracy { _ in true }
    let top1Seen = top1Accuracy { seen.contains($0) }
    let top1Unseen = top1Accuracy { !seen.contains($0) }
    print(
      "KNN top-1 accuracy all \(format(top1All)) seen \(format(top1Seen)) unseen "
        + "\(format(top1Unseen))")
    print(
      "LOOKUP embed \(queries.count) queries: \(format(embedSeconds)) s -> "
        + "\(Int(Double(queries.count) / embedSeconds)) emb/s")
    print(model.indexSummary)
    result("epoch_seconds", median)
    result("epoch_cpu_seconds", cpuPerEpoch)
    result("recall@1", Double(retrieval[.recall(k: 1)]!))
    result("calibrated_f1", Double(calibrationB.optimal.value))
    result("classify_f1", Double(classification[0].values[.f1] ?? .nan))
    result("top1_all", top1All)
    result("top1_seen", top1Seen)
    result("top1_unseen", top1Unseen)
    if let out {
      try model.save(to: URL(fileURLWithPath: out))
      try TrainingRun(
        dataset: dataset, trainClasses: seen, loss: .multiSimilarity, epochs: epochs,
        stepsPerEpoch: steps, classesPerBatch: seen.count, examplesPerClass: examplesPerClass,
        learningRate: learningRate, seed: seed, history: history, indexed: indexed
      ).write(to: URL(fileURLWithPath: out))
      print("Saved to \(out)")
    }
  }

  private func printCutpoint(_ protocolName: String, _ cutpoint: Cutpoint) {
    print(
      "CUTPOINT_\(protocolName) optimal: distance=\(format(cutpoint.distance)) "
        + cutpoint.metrics.sorted { $0.key.rawValue < $1.key.rawValue }
        .map { "\($0.key.rawValue)=\(format($0.value))" }.joined(separator: "  "))
  }

  /// User + system CPU seconds of this process so far (all threads).
  private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  private func result(_ name: String, _ value: Double) {
    print("RESULT \(name) \(String(format: "%.4f", value))")
  }
}
