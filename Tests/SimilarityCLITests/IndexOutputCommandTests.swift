import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The index commands never write over their inputs, a device or a folder, update a linked
/// index in place, and leave no temporary file when a write fails or a run was killed.
@Suite struct IndexOutputCommandTests {
  /// A directory with `v.npy` (`rows × 4` floats) and an exact index `i.simx` of it.
  static func indexedDirectory(rows: Int = 20) throws -> URL {
    let directory = try CLI.temporaryDirectory()
    let values = (0..<(rows * 4)).map { Float(($0 * 37) % 101) }
    try SearchCommandTests.writeNPY(
      values, rows: rows, columns: 4, to: directory.appendingPathComponent("v.npy"))
    let built = try CLI.run([
      "index", "build", "--vectors", directory.appendingPathComponent("v.npy").path, "--exact",
      "--distance", "euclidean", "--out", directory.appendingPathComponent("i.simx").path,
    ])
    #expect(built.status == 0, "\(built.stderr)")
    return directory
  }

  static func temporaries(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.contains(".simtmp-") || $0.contains(".tmp-")
    }
  }

  @Test func inputsDevicesAndFoldersAreRefusedAsOutputs() throws {
    let directory = try Self.indexedDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let vectors = directory.appendingPathComponent("v.npy").path
    let labels = directory.appendingPathComponent("labels.npy").path
    let index = directory.appendingPathComponent("i.simx").path
    try Data("labels".utf8).write(to: URL(fileURLWithPath: labels))
    let before = OutputSafetyCommandTests.snapshot(directory)
    let build = ["index", "build", "--vectors", vectors]
    let cases: [([String], String)] = [
      (build + ["--out", vectors], "--out \(vectors): is also the input --vectors \(vectors)"),
      (build + ["--out", directory.path + "/./v.npy"], "is also the input --vectors \(vectors)"),
      (build + ["--labels", labels, "--out", labels], "--out \(labels): is also the input --labels \(labels)"),
      (build + ["--out", "/dev/null"], "--out /dev/null: is a character device; expected a regular file"),
      (build + ["--out", directory.path], "--out \(directory.path): is a directory"),
      (["index", "add", "--index", index, "--vectors", index],
       "--index \(index): is also the input --vectors \(index)"),
      (["index", "remove", "--index", index, "--id", "1", "--ids-file", index],
       "--index \(index): is also the input --ids-file \(index)"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments)
      #expect(OutputSafetyCommandTests.refused(result, message), "\(arguments): \(result.stderr)")
    }
    #expect(OutputSafetyCommandTests.snapshot(directory) == before)
    #expect(OutputSafetyCommandTests.isCharacterDevice("/dev/null"))
  }

  @Test func addingThroughALinkUpdatesTheTargetKeepsTheLinkAndSaysSo() throws {
    let directory = try Self.indexedDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let link = directory.appendingPathComponent("link.simx").path
    #expect(symlink("i.simx", link) == 0)
    let target = directory.appendingPathComponent("i.simx").resolvingSymlinksInPath().path
    let added = try CLI.run([
      "index", "add", "--index", link, "--vectors", directory.appendingPathComponent("v.npy").path,
    ])
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout.contains("added 20 vectors; \(link) (→ \(target)) now holds 40"), "\(added.stdout)")
    var status = stat()
    #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
    let info = try CLI.run(["index", "info", "--index", directory.appendingPathComponent("i.simx").path])
    #expect(info.stdout.contains("items: 40"), "\(info.stdout)")
    #expect(try Self.temporaries(directory).isEmpty)
  }

  @Test func aFailedWriteLeavesThePreviousIndexAndNoTemporary() throws {
    let directory = try Self.indexedDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let index = directory.appendingPathComponent("i.simx").path
    let previous = FileManager.default.contents(atPath: index)
    // Files may not grow past 512 bytes, and SIGXFSZ is ignored: write(2) fails with EFBIG.
    let script = "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\""
    let result = try CLI.run(
      URL(fileURLWithPath: "/bin/sh"),
      ["-c", script, CLI.executable.path, "index", "build", "--vectors",
       directory.appendingPathComponent("v.npy").path, "--out", index])
    #expect(result.status != 0)
    #expect(result.stderr.contains(index) && result.stderr.contains("File too large"), "\(result.stderr)")
    #expect(FileManager.default.contents(atPath: index) == previous)
    #expect(try Self.temporaries(directory).isEmpty)
  }

  @Test func aTemporaryLeftByAKilledRunIsRemovedByTheNextRun() throws {
    let directory = try Self.indexedDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let finished = Process()
    finished.executableURL = URL(fileURLWithPath: "/bin/true")
    try finished.run()
    finished.waitUntilExit()
    let stale = directory.appendingPathComponent(
      ".i.simx.simtmp-\(finished.processIdentifier)-0123456789abcdef")
    try Data(count: 4096).write(to: stale)
    let rebuilt = try CLI.run([
      "index", "build", "--vectors", directory.appendingPathComponent("v.npy").path, "--out",
      directory.appendingPathComponent("i.simx").path,
    ])
    #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
    #expect(try Self.temporaries(directory).isEmpty)
  }
}
