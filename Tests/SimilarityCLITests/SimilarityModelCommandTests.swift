import Foundation
import Testing

/// `similarity train` saves a model in one process; `match`, `evaluate` and `calibrate` load
/// it in others.
@Suite struct SimilarityModelCommandTests {
  @Test func aTrainedModelIsLoadedByTheOtherCommands() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("model").path
    let trained = try CLI.run([
      "train", "--dataset", "fashion-mnist", "--epochs", "1", "--steps", "2",
      "--classes-per-batch", "3", "--examples-per-class", "2", "--classes", "1,2,3",
      "--index-per-class", "3", "--calibrate", "40", "--seed", "4", "--out", model,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    #expect(trained.stdout.contains("Saved to"))
    for file in [
      "manifest.json", "architecture.json", "model.safetensors", "index.simx",
      "calibration.json", "run.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: model + "/" + file), "\(file)")
    }
    let match = try CLI.run(["match", model, "--count", "12"])
    #expect(match.status == 0, "\(match.stderr)")
    #expect(match.stdout.contains("accuracy"))
    let unknown = try CLI.run(["match", model, "--count", "5", "--distance=0"])
    #expect(unknown.status == 0, "\(unknown.stderr)")
    #expect(unknown.stdout.components(separatedBy: "unknown").count - 1 >= 5)
    let report = try CLI.evaluateJSON(model, count: 30)
    #expect(report["queries"] as? Int == 30)
    // The index holds training images only: no test image is left out.
    #expect(report["indexedTestImagesLeftOut"] as? Int == 0)
    let retrieval = try #require(report["retrieval"] as? [String: Double])
    // Single-label retrieval: precision@1 is recall@1 (it was recall@1 / R, R = 3 here).
    let recallAtOne = try #require(retrieval["recall@1"])
    #expect(retrieval["precision@1"] == recallAtOne)
    let recalibrated = try CLI.run([
      "calibrate", model, "--count", "30", "--target", "precision:0.5",
    ])
    #expect(recalibrated.status == 0, "\(recalibrated.stderr)")
    #expect(recalibrated.stdout.contains("optimal: distance"))
    #expect(FileManager.default.fileExists(atPath: model + "/run.json"))
    let rematched = try CLI.run(["match", model, "--count", "12"])
    #expect(rematched.status == 0, "\(rematched.stderr)")
  }

  /// `hello-world --out` indexes the first 20 test images of each class. `evaluate`, `report`
  /// and `match` used to query the first --count test images anyway, each finding itself:
  /// recall@1 1.0000 and "0 of 30 wrong". They now leave the indexed images out.
  @Test func aHelloWorldModelIsNotQueriedWithTheImagesItIndexed() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("hello").path
    let trained = try CLI.succeed([
      "hello-world", "--dataset", "fashion-mnist", "--epochs", "1", "--steps", "2",
      "--examples-per-class", "2", "--train-index-per-class", "2", "--test-index-per-class", "20",
      "--calibrate", "40", "--match-per-class", "2", "--query-limit", "60", "--out", model,
    ])
    func printed(_ name: String) -> Substring? {
      trained.stdout.split(separator: "\n").first { $0.hasPrefix("RETRIEVAL \(name) = ") }?
        .split(separator: " ").last
    }
    let helloRecall = try #require(printed("recall@1"))
    #expect(printed("precision@1") == helloRecall)

    let report = try CLI.evaluateJSON(model, count: 30)
    #expect(report["queries"] as? Int == 30)
    #expect(report["indexedTestImagesLeftOut"] as? Int == 200)
    let retrieval = try #require(report["retrieval"] as? [String: Double])
    // The first 30 test images are all indexed: querying them gave exactly 1.
    let recallAtOne = try #require(retrieval["recall@1"])
    #expect(recallAtOne < 1)
    #expect(retrieval["precision@1"] == recallAtOne)

    let page = directory.appendingPathComponent("report.html").path
    _ = try CLI.succeed([
      "report", model, "--count", "30", "--projector-points", "0", "--out", page,
    ])
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.contains("30 test queries (the 200 test images the index holds left out)"))
    #expect(
      html.contains(
        "<td>recall@1</td><td class=\"num\">\(String(format: "%.4f", recallAtOne))</td>"))

    // The first 20 test images of each Fashion-MNIST class are positions 0…148 and 51 others up
    // to 266 (Python's gzip on t10k-labels), so the first queries are these.
    let matched = try CLI.succeed(["match", model, "--count", "5"])
    let lines = matched.stdout.split(separator: "\n")
    let header = try #require(lines.firstIndex { $0.hasPrefix("image  true") })
    let positions = lines[(header + 1)...].prefix(5)
      .compactMap { Int($0.split(separator: " ").first ?? "") }
    #expect(positions == [149, 152, 161, 169, 172], "\(matched.stdout)")

    // A run.json that does not say which images are indexed (written before that was
    // recorded) is refused rather than risking queries that find themselves.
    let runFile = URL(fileURLWithPath: model).appendingPathComponent("run.json")
    var run = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: runFile)) as? [String: Any])
    run["indexed"] = nil
    try JSONSerialization.data(withJSONObject: run).write(to: runFile)
    let refused = try CLI.run(["evaluate", model, "--count", "30"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains(runFile.path), "\(refused.stderr)")
    #expect(refused.stderr.contains("does not record which"), "\(refused.stderr)")
  }

  @Test func aCorruptModelDirectoryNamesTheFile() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CLI.run(["match", directory.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("manifest.json"))
  }
}
