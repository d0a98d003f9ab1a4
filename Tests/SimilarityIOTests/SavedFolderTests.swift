import Foundation
import Testing

@testable import SimilarityIO

#if canImport(Glibc)
  import Glibc
#endif

/// A saved folder belongs to its kind only as far as its own files go: the user's files stay,
/// foreign folders and non-folders are refused, and an interrupted save is invisible.
@Suite struct SavedFolderTests {
  let kind = SavedFolderKind.similarityModel

  /// A marker naming where each file is stored.
  static func marker(_ names: [String: String], version: Int, format: String = "swift-similarity-model")
    -> [UInt8]
  {
    let object: [String: Any] = ["format": format, "version": version, "files": names]
    return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
  }

  /// Saves `version` of a model: every data file holds `"<name> v<version>"`.
  static func save(_ path: String, version: Int, calibrated: Bool = true) throws {
    let names = ["architecture.json", "model.safetensors", "index.simx"]
      + (calibrated ? ["calibration.json"] : [])
    let folder = try SavedFolder.prepare(path, for: .similarityModel)
    try folder.commit(names.map { .init(name: $0, bytes: Array("\($0) v\(version)".utf8)) }) {
      marker($0, version: version)
    }
  }

  @Test func aNewFolderIsCreatedWithItsParentsAndHoldsOnlyTheSave() throws {
    let root = try Scratch.folder()
    defer { Scratch.remove(root) }
    let path = root + "/runs/a/model"
    #expect(try SavedFolder.check(path, for: kind).exists == false)
    try Self.save(path, version: 1)
    #expect(
      Scratch.entries(path)
        == ["architecture.json", "calibration.json", "index.simx", "manifest.json", "model.safetensors"])
    #expect(Scratch.text(path + "/index.simx") == "index.simx v1")
    let marker = try #require(FileManager.default.contents(atPath: path + "/manifest.json"))
    #expect(Array(marker) == Self.marker(
      Dictionary(uniqueKeysWithValues: Scratch.entries(path).filter { $0 != "manifest.json" }.map { ($0, $0) }),
      version: 1))
    #expect(try SavedFolder.check(path, for: kind).holdsSave)
  }

  @Test func savingOverASaveReplacesOnlyItsOwnFiles() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    try Self.save(path, version: 1)
    try Scratch.put("<html>", path + "/report.html")
    try Scratch.put("mine", path + "/notes.txt")
    try Scratch.put("{}", path + "/run.json")
    try FileManager.default.createDirectory(atPath: path + "/plots", withIntermediateDirectories: false)
    try Scratch.put("png", path + "/plots/a.png")
    try Self.save(path, version: 2, calibrated: false)
    #expect(
      Scratch.entries(path)
        == ["architecture.json", "index.simx", "manifest.json", "model.safetensors", "notes.txt", "plots",
            "report.html", "run.json"])
    #expect(Scratch.text(path + "/model.safetensors") == "model.safetensors v2")
    #expect(Scratch.text(path + "/report.html") == "<html>")
    #expect(Scratch.text(path + "/notes.txt") == "mine")
    #expect(Scratch.text(path + "/run.json") == "{}")
    #expect(Scratch.text(path + "/plots/a.png") == "png")
  }

  @Test func anEmptyFolderIsUsedAndAForeignOneIsRefusedUntouched() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    #expect(try SavedFolder.check(path, for: kind).exists)
    try Scratch.put("mine", path + "/notes.txt")
    try FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: false)
    try Scratch.put("keep", path + "/data/x.npy")
    let refusal = FileWriteError(
      path: path,
      problem: .foreignFolder(kind: "similarity model", marker: "manifest.json", found: ["data/", "notes.txt"]))
    #expect(throws: refusal) { try Self.save(path, version: 1) }
    #expect(refusal.description == "\(path): is not empty and is not a saved similarity model (no "
      + "manifest.json; it holds data/, notes.txt); choose an empty or new folder")
    #expect(Scratch.entries(path) == ["data", "notes.txt"])
    #expect(Scratch.text(path + "/data/x.npy") == "keep")
  }

  @Test func whatIsNotAFolderIsRefusedAndALinkToAFolderIsFollowed() throws {
    let root = try Scratch.folder()
    defer { Scratch.remove(root) }
    try Scratch.put("data", root + "/file")
    #expect(symlink("file", root + "/link-to-file") == 0)
    #expect(symlink("nowhere", root + "/dangling") == 0)
    let expected = "a folder (new, empty, or a saved similarity model)"
    let cases: [(String, FileWriteError.Problem)] = [
      (root + "/file", .notAFolder(.regularFile, expected: expected)),
      ("/dev/null", .notAFolder(.characterDevice, expected: expected)),
      (root + "/link-to-file",
       .unusableLink(target: PathText.real(root + "/file")!, found: .regularFile, expected: "a link to " + expected)),
      (root + "/dangling", .unusableLink(target: "nowhere", found: nil, expected: "a link to " + expected)),
      (root + "/file/model", .missingDirectory(root + "/file")),
    ]
    for (path, problem) in cases {
      #expect(throws: FileWriteError(path: path, problem: problem)) { try Self.save(path, version: 1) }
    }
    #expect(Scratch.text(root + "/file") == "data")
    #expect(Scratch.mode("/dev/null").map { $0 & S_IFMT == S_IFCHR } == true)
    try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: false)
    #expect(symlink("real", root + "/model") == 0)
    try Self.save(root + "/model", version: 1)
    #expect(Scratch.isSymbolicLink(root + "/model"))
    #expect(Scratch.text(root + "/real/index.simx") == "index.simx v1")
  }

  @Test func aSaveOfAnotherKindOrABadMarkerIsRefused() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    let siamese = try SavedFolder.prepare(path, for: .siameseRun)
    try siamese.commit([.init(name: "model.safetensors", bytes: [1])]) {
      Self.marker($0, version: 1, format: "swift-similarity-siamese")
    }
    #expect(throws: FileWriteError(
      path: path, problem: .otherKindOfFolder(kind: "similarity model", other: "siamese run", marker: "siamese.json"))) {
      try Self.save(path, version: 1)
    }
    let model = try Scratch.folder()
    defer { Scratch.remove(model) }
    try Self.save(model, version: 1)
    #expect(throws: FileWriteError(
      path: model, problem: .otherKindOfFolder(kind: "siamese run", other: "similarity model", marker: "manifest.json"))) {
      try SavedFolder.check(model, for: .siameseRun)
    }
    try Scratch.put("{\"format\": \"something-else\"}", model + "/manifest.json")
    #expect(throws: FileWriteError.self) { try Self.save(model, version: 2) }
    #expect(Scratch.text(model + "/index.simx") == "index.simx v1")
  }

  @Test func leftoversOfAKilledSaveCountAsEmptyAndAreRemoved() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    let dead = try Scratch.deadProcessID()
    for name in [".index.simx.simnext-5f3a", TemporaryFiles.name(for: "model.safetensors", pid: dead, random: 9),
                 TemporaryFiles.name(for: ".architecture.json.simnext-77", pid: dead, random: 3)] {
      try Scratch.put("partial", path + "/" + name)
    }
    #expect(try SavedFolder.check(path, for: kind).holdsSave == false)
    try Self.save(path, version: 1)
    #expect(
      Scratch.entries(path)
        == ["architecture.json", "calibration.json", "index.simx", "manifest.json", "model.safetensors"])
  }

  @Test func aSaveKilledAfterItsFirstMarkerIsCompletedByTheNext() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    try Self.save(path, version: 1)
    // The state a kill between the two markers leaves: the marker names staged files.
    try Scratch.put("index.simx v2", path + "/.index.simx.simnext-ab")
    try AtomicFile.write(
      Self.marker(["architecture.json": "architecture.json", "index.simx": ".index.simx.simnext-ab",
                   "model.safetensors": "model.safetensors"], version: 2), to: path + "/manifest.json")
    #expect(try SavedFolder.check(path, for: kind).holdsSave)
    try Self.save(path, version: 3)
    #expect(
      Scratch.entries(path)
        == ["architecture.json", "calibration.json", "index.simx", "manifest.json", "model.safetensors"])
    #expect(Scratch.text(path + "/index.simx") == "index.simx v3")
  }

  @Test func theMarkerNamesTheStagedFilesFirstThenTheirOwnNames() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    var seen: [[String: String]] = []
    try SavedFolder.prepare(path, for: kind).commit([.init(name: "index.simx", bytes: [1, 2])]) { names in
      seen.append(names)
      return Self.marker(names, version: 1)
    }
    #expect(seen.count == 2)
    let staged = try #require(seen.first?["index.simx"])
    #expect(staged.hasPrefix(".index.simx.simnext-") && kind.isStaged(staged))
    #expect(seen.last == ["index.simx": "index.simx"])
  }

  @Test func aFailedFileLeavesThePreviousSaveAndNothingElse() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    try Self.save(path, version: 1)
    let before = Scratch.entries(path)
    let marker = Scratch.text(path + "/manifest.json")
    struct Failure: Error {}
    #expect(throws: Failure.self) {
      try SavedFolder.prepare(path, for: kind).commit([
        .init(name: "architecture.json", bytes: [1]),
        .init(name: "index.simx") { _ in throw Failure() },
      ]) { Self.marker($0, version: 2) }
    }
    #expect(Scratch.entries(path) == before)
    #expect(Scratch.text(path + "/manifest.json") == marker)
    #expect(Scratch.text(path + "/architecture.json") == "architecture.json v1")
  }

  @Test func aFolderAnotherProcessIsSavingIntoIsRefused() throws {
    let path = try Scratch.folder()
    defer { Scratch.remove(path) }
    let holder = open(path, O_RDONLY | O_DIRECTORY)
    #expect(flock(holder, LOCK_EX) == 0)
    #expect(throws: FileWriteError(path: path, problem: .folderBusy(kind: "similarity model"))) {
      try Self.save(path, version: 1)
    }
    close(holder)
    try Self.save(path, version: 1)
    #expect(Scratch.text(path + "/index.simx") == "index.simx v1")
  }
}
