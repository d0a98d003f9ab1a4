import Foundation
import Testing

/// The files beside a model (manifest, calibration, run.json, siamese.json) are checked before
/// a command uses them, and every refusal names the file, the value and what was expected.
@Suite struct SavedFileCommandTests {
  /// A minimal `siamese.json` with `batchSize` and `margin` as given (JSON text).
  private func siameseRun(batchSize: String, margin: String) -> String {
    """
    {"format": "swift-similarity-siamese", "formatVersion": 1, "dataset": "mnist", "seed": 1,
     "batchSize": \(batchSize), "margin": \(margin), "learningRate": 0.001, "threshold": 0.5,
     "epochs": 1, "report": {"dataset": "MNIST", "trainPairs": 10, "testPairs": 10,
     "trainAccuracy": 0.5, "testAccuracy": 0.5, "trainLoss": 0.2, "testLoss": 0.2,
     "history": {"epochs": []}}}
    """
  }

  @Test(arguments: [
    ("0", "1", "batchSize: expected a positive integer, found 0"),
    ("-1", "1", "batchSize: expected a positive integer, found -1"),
    ("128", "0", "margin: expected a positive finite number, found 0.0"),
    ("128", "-1", "margin: expected a positive finite number, found -1.0"),
    ("128, \"batchSize\": 64", "1", "duplicate key \"batchSize\""),
  ])
  func siameseRunsAreCheckedBeforeScoring(batchSize: String, margin: String, message: String)
    throws
  {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("siamese.json")
    try siameseRun(batchSize: batchSize, margin: margin).write(to: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(["siamese", "--evaluate", directory.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains(file.path), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  /// Trains a tiny model once per test into `directory/model`.
  private func trainTinyModel(in directory: URL) throws -> URL {
    let model = directory.appendingPathComponent("model")
    let trained = try CLI.run([
      "train", "--dataset", "fashion-mnist", "--epochs", "1", "--steps", "2", "--classes-per-batch", "3",
      "--examples-per-class", "2", "--index-per-class", "3", "--calibrate", "40", "--seed", "5",
      "--out", model.path,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    return model
  }

  /// Replaces the first `"key" : value` in the pretty-printed JSON file `url`.
  private func setField(_ url: URL, _ key: String, to json: String) throws {
    var text = try String(contentsOf: url, encoding: .utf8)
    let range = try #require(
      text.range(
        of: "\"\(key)\" : (\\[[^\\]]*\\]|\"[^\"]*\"|[^,\\n]*)", options: .regularExpression),
      "\(key) not found in \(url.path)")
    text.replaceSubrange(range, with: "\"\(key)\" : \(json)")
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  @Test func aModelDirectoryIsSelfContainedAndConsistent() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainTinyModel(in: directory)
    let manifest = model.appendingPathComponent("manifest.json")
    let original = try Data(contentsOf: manifest)
    try FileManager.default.copyItem(
      at: model.appendingPathComponent("index.simx"),
      to: directory.appendingPathComponent("foreign.simx"))
    for name in ["../foreign.simx", "../../../../dev/zero", "/etc/passwd"] {
      try setField(manifest, "indexFile", to: "\"\(name)\"")
      let result = try CLI.run(["match", model.path, "--count", "3"])
      #expect(result.status != 0)
      #expect(
        result.stderr.contains(
          "\(manifest.path): indexFile \"\(name)\" is not a plain file name; a model directory is self-contained"),
        "\(result.stderr)")
      #expect(!result.stderr.contains("root:"))
      try original.write(to: manifest)
    }
    // A negative threshold matches nothing with a cosine model: refused, not "all unknown".
    let negative = try CLI.run(["match", model.path, "--count", "3", "--distance", "-0.5"])
    #expect(negative.status != 0)
    #expect(
      negative.stderr.contains(
        "--distance: expected a threshold ≥ 0 (cosine distances are never negative, so nothing would match), found -0.5"),
      "\(negative.stderr)")
  }

  @Test func reportRefusesCalibrationsAndRunsThatCannotBe() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainTinyModel(in: directory)
    let page = directory.appendingPathComponent("report.html").path
    let run = model.appendingPathComponent("run.json")
    let original = try Data(contentsOf: run)
    try setField(run, "epochs", to: "-3")
    let epochs = try CLI.run(["report", model.path, "--count", "10", "--out", page])
    #expect(epochs.status != 0)
    #expect(epochs.stderr.contains("\(run.path): epochs: expected a positive integer, found -3"), "\(epochs.stderr)")
    try original.write(to: run)
    // Thresholds that disagree with the curves and cutpoints drawn from them.
    let calibration = model.appendingPathComponent("calibration.json")
    var json = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: calibration)) as? [String: Any])
    let thresholds = try #require(json["thresholds"] as? [Double])
    json["thresholds"] = thresholds.map { $0 + 0.5 }
    try JSONSerialization.data(withJSONObject: json).write(to: calibration)
    let curves = try CLI.run(["report", model.path, "--count", "10", "--out", page])
    #expect(curves.status != 0)
    #expect(curves.stderr.contains("\(calibration.path): inconsistent calibration"), "\(curves.stderr)")
    #expect(!FileManager.default.fileExists(atPath: page))
  }

  @Test func nonFiniteWeightsNameTheWeightsFile() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainTinyModel(in: directory)
    // Overwrite the metric embedding's kernel with NaN in place (offsets from the header).
    let weights = model.appendingPathComponent("model.safetensors")
    var bytes = [UInt8](try Data(contentsOf: weights))
    let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    let header = try #require(
      JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
    let entry = try #require(
      header.first { $0.key.hasSuffix(".kernel") && $0.key.hasPrefix("metric_embedding") }?.value
        as? [String: Any])
    let offsets = try #require(entry["data_offsets"] as? [Int])
    for offset in stride(from: 8 + length + offsets[0], to: 8 + length + offsets[1], by: 4) {
      bytes[offset..<(offset + 4)] = [0x00, 0x00, 0xC0, 0x7F]
    }
    try Data(bytes).write(to: weights)
    let result = try CLI.run(["match", model.path, "--count", "3"])
    #expect(result.status != 0)
    // Used to say only "vector (row 0) component 0 is nan".
    #expect(
      result.stderr.contains("\(weights.path): the model's weights produce non-finite values: the embedding of example 0 has component 0 = nan"),
      "\(result.stderr)")
  }
}
