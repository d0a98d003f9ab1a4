import Foundation
import SimilarityLayers
import Testing

@testable import Similarity

#if canImport(Glibc)
  import Glibc
#endif

/// `SimilarityModel.save` owns the model's files only: the user's files stay, and a folder that
/// is not a saved model, a file or a device is refused untouched.
@Suite struct SimilarityModelSaveTests {
  let data = ClusteredData(classes: 3, perClass: 6)

  func model(seed: UInt64 = 1, calibrated: Bool = true, perClass: Int = 6) throws -> SimilarityModel {
    let model = SimilarityModel(embedding: ClusteredData.embeddingModel(seed: seed))
    let rows = Array(0..<(3 * perClass))
    try model.index(
      ExampleMatrix(values: data.train.batch(rows).scalars, exampleShape: [16]),
      labels: rows.map { data.trainLabels[$0] })
    if calibrated { try model.calibrate(data.test, labels: data.testLabels) }
    return model
  }

  func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    return url
  }

  func entries(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
  }

  func text(_ url: URL) -> String? {
    FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The reason of a `saveFailed` error for `path`, or `nil` when saving did not fail so.
  func refusal(_ model: SimilarityModel, _ url: URL) -> String? {
    do {
      try model.save(to: url)
      return nil
    } catch SimilarityModelError.saveFailed(let file, let reason) {
      return file == url.path ? reason : "wrong file \(file): \(reason)"
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func aFolderThatIsNotASavedModelIsRefusedUntouched() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("photos"), withIntermediateDirectories: false)
    let reason = try #require(refusal(try model(), folder))
    #expect(
      reason == "is not empty and is not a saved similarity model (no manifest.json; it holds "
        + "notes.txt, photos/); choose an empty or new folder")
    #expect(entries(folder) == ["notes.txt", "photos"])
    #expect(text(folder.appendingPathComponent("notes.txt")) == "mine")
  }

  @Test func savingOverASavedModelKeepsEveryOtherFile() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    try model().save(to: folder)
    let extras = ["report.html": "<html>", "notes.txt": "mine", "run.json": "{}", "plots/a.png": "png"]
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("plots"), withIntermediateDirectories: false)
    for (name, content) in extras {
      try Data(content.utf8).write(to: folder.appendingPathComponent(name))
    }
    let replacement = try model(seed: 2, calibrated: false, perClass: 4)
    try replacement.save(to: folder)
    #expect(
      entries(folder) == [
        "architecture.json", "index.simx", "manifest.json", "model.safetensors", "notes.txt",
        "plots", "report.html", "run.json",
      ])
    for (name, content) in extras { #expect(text(folder.appendingPathComponent(name)) == content) }
    let loaded = try SimilarityModel.load(from: folder)
    #expect(loaded.index.count == 12)
    #expect(loaded.calibration == nil)
    #expect(try loaded.lookup(data.test, k: 3) == replacement.lookup(data.test, k: 3))
  }

  @Test func aRegularFileADeviceAndALinkToAFileAreRefused() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("model")
    try Data("not a model".utf8).write(to: file)
    #expect(symlink(file.path, folder.appendingPathComponent("link").path) == 0)
    let model = try model()
    #expect(refusal(model, file)?.hasPrefix("is a regular file; expected a folder") == true)
    #expect(
      refusal(model, URL(fileURLWithPath: "/dev/null"))?.hasPrefix("is a character device") == true)
    #expect(
      refusal(model, folder.appendingPathComponent("link"))?.contains("which is a regular file") == true)
    #expect(text(file) == "not a model")
    var status = stat()
    #expect(lstat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
  }

  @Test func aLinkToAModelFolderIsFollowedAndKept() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let real = folder.appendingPathComponent("real")
    let link = folder.appendingPathComponent("link")
    #expect(symlink("real", link.path) == 0)
    try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
    let model = try model()
    try model.save(to: link)
    try model.save(to: link)
    let destination = try FileManager.default.destinationOfSymbolicLink(atPath: link.path)
    #expect(destination == "real")
    #expect(entries(real).contains("manifest.json"))
    #expect(try SimilarityModel.load(from: link).index.count == model.index.count)
  }

  @Test func aManifestNamingStagedFilesLoadsAndOneNamingOutsideFilesIsRefused() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try model()
    try model.save(to: folder)
    // What a save killed between its two manifests leaves: files under staged names.
    let manager = FileManager.default
    for name in ["architecture.json", "model.safetensors", "index.simx"] {
      try manager.moveItem(
        at: folder.appendingPathComponent(name), to: folder.appendingPathComponent(".\(name).simnext-1"))
    }
    let manifestURL = folder.appendingPathComponent("manifest.json")
    var manifest = try JSONDecoder().decode(SavedModelManifest.self, from: Data(contentsOf: manifestURL))
    manifest.architectureFile = ".architecture.json.simnext-1"
    manifest.weightsFile = ".model.safetensors.simnext-1"
    manifest.indexFile = ".index.simx.simnext-1"
    try JSONEncoder().encode(manifest).write(to: manifestURL)
    #expect(try SimilarityModel.load(from: folder).lookup(data.test, k: 2) == model.lookup(data.test, k: 2))
    manifest.indexFile = "../index.simx"
    try JSONEncoder().encode(manifest).write(to: manifestURL)
    #expect(throws: SimilarityModelError.invalidSavedModel(
      file: manifestURL.path,
      reason: "indexFile \"../index.simx\" is not a plain file name; a model directory is "
        + "self-contained, so it names files inside it (no '/', not '..')")) {
      try SimilarityModel.load(from: folder)
    }
  }
}
