import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// No command loses data it was not asked to replace: folders that are not saved models, files,
/// devices, a command's own inputs and the user's files in a model folder all survive, and the
/// refusal names the option, the path and why.
@Suite struct OutputSafetyCommandTests {
  /// Every file and folder under `root` with its bytes (`nil` for folders).
  static func snapshot(_ root: URL) -> [String: Data?] {
    var result: [String: Data?] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    while let relative = enumerator?.nextObject() as? String {
      let path = root.appendingPathComponent(relative).path
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      result[relative] = isDirectory.boolValue ? nil : FileManager.default.contents(atPath: path)
    }
    return result
  }

  /// Trains the tiny model of the other CLI tests into `out`.
  static func train(_ out: String, seed: Int = 4) throws -> CLI.Result {
    try CLI.run([
      "train", "--dataset", "fashion-mnist", "--epochs", "1", "--steps", "2", "--classes-per-batch", "3",
      "--examples-per-class", "2", "--classes", "1,2,3", "--index-per-class", "3",
      "--calibrate", "40", "--seed", "\(seed)", "--out", out,
    ])
  }

  static func isCharacterDevice(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR
  }

  /// Whether `result` failed with `text` in its error output.
  static func refused(_ result: CLI.Result, _ text: String) -> Bool {
    result.status != 0 && result.stderr.contains(text)
  }

  @Test func modelOutputsThatAreNotSavedModelsAreRefusedBeforeAnyWork() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("mine".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("data"), withIntermediateDirectories: false)
    try Data("x".utf8).write(to: directory.appendingPathComponent("data/x.npy"))
    let file = directory.appendingPathComponent("notes.txt").path
    let siamese = directory.appendingPathComponent("siamese")
    try FileManager.default.createDirectory(at: siamese, withIntermediateDirectories: false)
    try Data("{\"format\": \"swift-similarity-siamese\"}".utf8).write(
      to: siamese.appendingPathComponent("siamese.json"))
    let before = Self.snapshot(directory)
    let foreign = "is not empty and is not a saved similarity model (no manifest.json; it holds "
      + "data/, notes.txt, siamese/); choose an empty or new folder"

    let dot = try CLI.run(["train", "--epochs", "1", "--out", "."], in: directory)
    #expect(Self.refused(dot, "--out .: " + foreign), "\(dot.stderr)")
    let absolute = try CLI.run(["train", "--out", directory.path])
    #expect(Self.refused(absolute, "--out \(directory.path): " + foreign), "\(absolute.stderr)")
    let regular = try CLI.run(["train", "--out", file])
    #expect(Self.refused(regular, "--out \(file): is a regular file; expected a folder"), "\(regular.stderr)")
    let device = try CLI.run(["train", "--out", "/dev/null"])
    #expect(Self.refused(device, "--out /dev/null: is a character device"), "\(device.stderr)")
    let other = try CLI.run(["train", "--out", siamese.path])
    #expect(
      Self.refused(other, "--out \(siamese.path): holds a saved siamese run (siamese.json), not a similarity model"),
      "\(other.stderr)")
    let hello = try CLI.run(["hello-world", "--out", "."], in: directory)
    #expect(Self.refused(hello, "--out .: " + foreign), "\(hello.stderr)")
    let demo = try CLI.run(["demo", "--out", directory.path])
    #expect(Self.refused(demo, "--out \(directory.path): " + foreign), "\(demo.stderr)")
    #expect(Self.snapshot(directory) == before)
    #expect(Self.isCharacterDevice("/dev/null"))
  }

  @Test func siameseRefusesASimilarityModelFolder() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data("{\"format\": \"swift-similarity-model\"}".utf8).write(
      to: directory.appendingPathComponent("manifest.json"))
    try Data("weights".utf8).write(to: directory.appendingPathComponent("model.safetensors"))
    let before = Self.snapshot(directory)
    let result = try CLI.run(["siamese", "--limit", "600", "--epochs", "1", "--out", directory.path])
    #expect(
      Self.refused(result, "--out \(directory.path): holds a saved similarity model (manifest.json), not a siamese run"),
      "\(result.stderr)")
    #expect(Self.snapshot(directory) == before)
  }

  @Test func aModelFolderKeepsTheUsersFilesAndRefusesReportsAimedAtItsOwn() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("model")
    let trained = try Self.train(model.path)
    #expect(trained.status == 0, "\(trained.stderr)")
    let extras = ["report.html": "<html>demo</html>", "notes.txt": "mine", "plots/a.png": "png"]
    try FileManager.default.createDirectory(
      at: model.appendingPathComponent("plots"), withIntermediateDirectories: false)
    for (name, text) in extras { try Data(text.utf8).write(to: model.appendingPathComponent(name)) }
    let run = FileManager.default.contents(atPath: model.appendingPathComponent("run.json").path)

    let calibrated = try CLI.run(["calibrate", model.path, "--count", "30"])
    #expect(calibrated.status == 0, "\(calibrated.stderr)")
    for (name, text) in extras {
      #expect(FileManager.default.contents(atPath: model.appendingPathComponent(name).path) == Data(text.utf8))
    }
    #expect(FileManager.default.contents(atPath: model.appendingPathComponent("run.json").path) == run)

    let index = model.appendingPathComponent("index.simx").path
    let indexBytes = FileManager.default.contents(atPath: index)
    for (out, reason) in [
      (index, "is also the input MODEL_DIR file \(index)"),
      (model.appendingPathComponent("manifest.json").path, "is also the input MODEL_DIR file"),
      ("/dev/null", "is a character device"),
      (model.path, "is a directory"),
    ] {
      let report = try CLI.run(["report", model.path, "--count", "10", "--out", out])
      #expect(Self.refused(report, "--out \(out): \(reason)"), "\(report.stderr)")
    }
    #expect(FileManager.default.contents(atPath: index) == indexBytes)
    #expect(Self.isCharacterDevice("/dev/null"))

    let retrained = try Self.train(model.path, seed: 5)
    #expect(retrained.status == 0, "\(retrained.stderr)")
    for (name, text) in extras {
      #expect(FileManager.default.contents(atPath: model.appendingPathComponent(name).path) == Data(text.utf8))
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: model.path).sorted()
    #expect(
      names == [
        "architecture.json", "calibration.json", "index.simx", "manifest.json", "model.safetensors",
        "notes.txt", "plots", "report.html", "run.json",
      ])
  }
}
