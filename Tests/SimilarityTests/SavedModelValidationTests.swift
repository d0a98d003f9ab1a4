import Foundation
import SimilarityEvaluation
import SimilarityLayers
import SimilarityTensors
import Testing

@testable import Similarity

/// A saved model directory is checked before it is trusted: self-contained (the manifest names
/// plain regular files inside it), every manifest value in range and consistent with the
/// architecture, index and calibration, and strict JSON throughout.
@Suite struct SavedModelValidationTests {
  let data = ClusteredData()

  private func savedDirectory() throws -> URL {
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel())
    try model.index(data.train, labels: data.trainLabels)
    try model.calibrate(data.test, labels: data.testLabels)
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("saved-model-validation-\(UUID().uuidString)")
      .appendingPathComponent("model")
    try model.save(to: directory)
    return directory
  }

  private func loadError(_ directory: URL) -> String? {
    do {
      _ = try SimilarityModel.load(from: directory)
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// Rewrites manifest.json with `edit` applied to its text.
  private func editManifest(_ directory: URL, _ edit: (String) -> String) throws {
    let url = directory.appendingPathComponent("manifest.json")
    try edit(try String(contentsOf: url, encoding: .utf8)).write(
      to: url, atomically: true, encoding: .utf8)
  }

  /// Rewrites one manifest field (`"key" : value` as the pretty printer writes it).
  private func setManifest(_ directory: URL, _ key: String, to json: String) throws {
    try editManifest(directory) {
      $0.replacingOccurrences(
        of: "\"\(key)\" : (\\[[^\\]]*\\]|\\{[^}]*\\}|\"[^\"]*\"|[^,\\n]*)",
        with: "\"\(key)\" : \(json)", options: .regularExpression)
    }
  }

  private func cleanUp(_ directory: URL) {
    try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
  }

  @Test(arguments: ["../foreign.simx", "/etc/passwd", "../../../../dev/zero", "..", ""])
  func manifestFilesMustBePlainNamesInsideTheDirectory(name: String) throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    // A valid index beside the directory: following "../foreign.simx" would load it.
    try FileManager.default.copyItem(
      at: directory.appendingPathComponent("index.simx"),
      to: directory.deletingLastPathComponent().appendingPathComponent("foreign.simx"))
    for field in ["indexFile", "calibrationFile"] {
      try setManifest(directory, field, to: "\"\(name)\"")
      let error = try #require(loadError(directory))
      #expect(error.hasPrefix(directory.appendingPathComponent("manifest.json").path), "\(error)")
      #expect(
        error.contains("\(field) \"\(name)\" is not a plain file name; a model directory is self-contained"),
        "\(error)")
      #expect(!error.contains("root:"))
      try setManifest(directory, field, to: field == "indexFile" ? "\"index.simx\"" : "\"calibration.json\"")
    }
    #expect(loadError(directory) == nil)
  }

  @Test func linksDirectoriesAndDevicesInsideTheDirectoryAreRefused() throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    let index = directory.appendingPathComponent("index.simx")
    let foreign = directory.deletingLastPathComponent().appendingPathComponent("foreign.simx")
    try FileManager.default.moveItem(at: index, to: foreign)
    try FileManager.default.createSymbolicLink(at: index, withDestinationURL: foreign)
    #expect(
      loadError(directory)
        == "\(index.path): is a symbolic link, expected a regular file inside the model directory (the manifest's indexFile)")
    try FileManager.default.removeItem(at: index)
    try FileManager.default.createDirectory(at: index, withIntermediateDirectories: false)
    #expect(loadError(directory)?.hasPrefix("\(index.path): is a directory, expected a regular file") == true)
    let manifest = directory.appendingPathComponent("manifest.json")
    try FileManager.default.removeItem(at: manifest)
    try FileManager.default.createDirectory(at: manifest, withIntermediateDirectories: false)
    #expect(
      loadError(directory)
        == "\(manifest.path): is a directory, expected a model manifest (a regular JSON file)")
  }

  @Test func classSizesMustMatchTheIndexedLabels() throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    // 40 training items per class; claim 41 for class 2 and an extra class 9.
    try editManifest(directory) {
      $0.replacingOccurrences(of: "\"2\" : 40", with: "\"2\" : 41, \"9\" : 3")
    }
    let error = try #require(loadError(directory))
    #expect(
      error.hasSuffix("indexedClassSizes disagree with the labels stored in \(directory.appendingPathComponent("index.simx").path) (label 2: manifest 41, index 40; label 9: manifest 3, index 0)"),
      "\(error)")
  }

  @Test(arguments: [
    ("[-16]", "inputShape [-16] must have 1…8 extents in 1…1048576"),
    ("[0]", "inputShape [0] must have 1…8 extents in 1…1048576"),
    ("[4611686018427387904, 4]", "inputShape [4611686018427387904, 4] must have"),
    ("[4, 4]", "inputShape [4, 4] disagrees with the input [16] of architecture.json"),
  ])
  func inputShapesAreCheckedAgainstLimitsAndTheArchitecture(shape: String, message: String) throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    try setManifest(directory, "inputShape", to: shape)
    let error = try #require(loadError(directory))
    #expect(error.contains(message), "\(error)")
  }

  @Test func duplicateKeysAndOutOfRangeNumbersAreNamed() throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    try editManifest(directory) { $0.replacingOccurrences(of: "\"dimension\" : 8", with: "\"dimension\" : 8, \"dimension\" : 9") }
    #expect(loadError(directory)?.contains("(at the top level): duplicate key \"dimension\"") == true)
    try editManifest(directory) { $0.replacingOccurrences(of: "\"dimension\" : 8, \"dimension\" : 9", with: "\"dimension\" : 99999999999999999999") }
    // Foundation alone says "The given data was not valid JSON".
    let overflow = try #require(loadError(directory))
    #expect(overflow.contains("a number does not fit the field it is read into"), "\(overflow)")
    #expect(overflow.contains("99999999999999999999 at dimension"), "\(overflow)")
    try setManifest(directory, "dimension", to: "1e400")
    #expect(loadError(directory)?.contains("(at dimension): the number 1e400 is out of range") == true)
    try setManifest(directory, "calibrationK", to: "0")
    try setManifest(directory, "dimension", to: "8")
    #expect(loadError(directory)?.hasSuffix("calibrationK 0 must be at least 1") == true)
  }

  @Test func calibrationsThatCannotComeFromTheModelAreRefused() throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    let url = directory.appendingPathComponent("calibration.json")
    // Negative thresholds: cosine distances are never below 0.
    let negative = try Calibration(
      queryLabels: [1, 2], lookups: [[LookupResult(distance: -0.5, label: 1)], [LookupResult(distance: 0.25, label: 1)]])
    try negative.jsonData().write(to: url)
    #expect(
      loadError(directory)
        == "\(url.path): threshold -0.5 is negative; cosine distances are ≥ 0 (only inner-product similarities can be negative)")
    // A repeated key (JSONDecoder would keep one of the two silently).
    let text = String(decoding: try negative.jsonData(), as: UTF8.self)
    try text.replacingOccurrences(of: "\"metric\" : \"f1\"", with: "\"metric\" : \"f1\", \"metric\" : \"recall\"")
      .write(to: url, atomically: true, encoding: .utf8)
    #expect(loadError(directory)?.contains("(at the top level): duplicate key \"metric\"") == true)
    // Thresholds and curves that disagree.
    var shifted = negative
    shifted.thresholds = [0.1, 0.25]
    try shifted.jsonData().write(to: url)
    #expect(loadError(directory)?.contains("inconsistent calibration: cutpoint \"optimal\"") == true)
  }

  @Test func nonFiniteEmbeddingsNameTheWeightsFile() throws {
    let directory = try savedDirectory()
    defer { cleanUp(directory) }
    let model = try SimilarityModel.load(from: directory)
    // The MetricEmbedding's kernel (a NaN before the ReLU would be rectified to 0).
    let kernel = try #require(
      model.embedding.namedParameters.first { $0.name == "metric_embedding.kernel" }).parameter
    kernel.value = Tensor(shape: kernel.shape, scalars: [Float](repeating: .nan, count: kernel.value.count))
    let weights = directory.appendingPathComponent("model.safetensors")
    try Checkpoint.saveWeights(of: model.embedding, to: weights)
    let broken = try SimilarityModel.load(from: directory)
    #expect {
      _ = try broken.lookup(data.test, k: 1)
    } throws: { error in
      // Used to surface as the index's "vector (row 0) component 0 is nan".
      "\(error)" == "\(weights.path): the model's weights produce non-finite values: the embedding of example 0 has component 0 = nan"
    }
  }
}
