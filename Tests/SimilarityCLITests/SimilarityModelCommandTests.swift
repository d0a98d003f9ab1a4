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
    let unknown = try CLI.run(["match", model, "--count", "5", "--distance=-1"])
    #expect(unknown.status == 0, "\(unknown.stderr)")
    #expect(unknown.stdout.components(separatedBy: "unknown").count - 1 >= 5)
    let evaluated = try CLI.run(["evaluate", model, "--count", "30", "--json"])
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
    #expect(report["queries"] as? Int == 30)
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

  @Test func aCorruptModelDirectoryNamesTheFile() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CLI.run(["match", directory.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("manifest.json"))
  }
}
