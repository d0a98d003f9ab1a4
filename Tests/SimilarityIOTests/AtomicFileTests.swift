import Foundation
import Testing

@testable import SimilarityIO

#if canImport(Glibc)
  import Glibc
#endif

/// The one writer: what it replaces, what it refuses, and that no failure leaves a temporary
/// file or a damaged destination.
@Suite struct AtomicFileTests {
  @Test func writesAndReplacesAFileAndLeavesNothingElse() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let path = folder + "/page.html"
    try AtomicFile.write("old content", to: path)
    try AtomicFile.write("new", to: path)
    #expect(Scratch.text(path) == "new")
    try AtomicFile.write([UInt8](), to: folder + "/empty")
    #expect(Scratch.text(folder + "/empty") == "")
    #expect(Scratch.entries(folder) == ["empty", "page.html"])
  }

  @Test func keepsThePermissionsOfTheFileItReplaces() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let path = folder + "/secret.json"
    try Scratch.put("{}", path)
    #expect(chmod(path, 0o600) == 0)
    try AtomicFile.write("{\"a\": 1}", to: path)
    #expect(Scratch.mode(path).map { $0 & 0o777 } == 0o600)
  }

  @Test func writesTheTargetOfASymbolicLinkAndKeepsTheLink() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    try Scratch.put("old", folder + "/target.simx")
    #expect(symlink("target.simx", folder + "/link.simx") == 0)
    try AtomicFile.write("new", to: folder + "/link.simx")
    #expect(Scratch.isSymbolicLink(folder + "/link.simx"))
    #expect(Scratch.text(folder + "/target.simx") == "new")
    #expect(Scratch.entries(folder) == ["link.simx", "target.simx"])
  }

  @Test func refusesWhatIsNotARegularFileAndLeavesItAsItWas() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    #expect(mkfifo(folder + "/pipe", 0o644) == 0)
    #expect(symlink("/dev/null", folder + "/null-link") == 0)
    #expect(symlink("missing", folder + "/dangling") == 0)
    try Scratch.put("plain", folder + "/plain")
    let cases: [(String, FileWriteError.Problem, String)] = [
      (folder, .notARegularFile(.directory), "is a directory"),
      ("/dev/null", .notARegularFile(.characterDevice), "is a character device"),
      (folder + "/pipe", .notARegularFile(.fifo), "is a FIFO"),
      (folder + "/null-link",
       .unusableLink(target: "/dev/null", found: .characterDevice, expected: "a link to a regular file"),
       "is a symbolic link to /dev/null, which is a character device"),
      (folder + "/dangling",
       .unusableLink(target: "missing", found: nil, expected: "a link to a regular file"),
       "which does not exist"),
      (folder + "/missing/out.bin", .missingDirectory(folder + "/missing"),
       "\(folder)/missing is not an existing directory"),
      (folder + "/plain/out.bin", .missingDirectory(folder + "/plain"),
       "\(folder)/plain is not an existing directory"),
      (folder + "/", .notAFileName, "is not a file name"),
    ]
    for (path, problem, text) in cases {
      #expect(throws: FileWriteError(path: path, problem: problem)) {
        try AtomicFile.write("x", to: path)
      }
      let description = FileWriteError(path: path, problem: problem).description
      #expect(description.hasPrefix(path + ": ") && description.contains(text), "\(description)")
    }
    #expect(Scratch.mode("/dev/null").map { $0 & S_IFMT == S_IFCHR } == true)
    #expect(Scratch.mode(folder + "/pipe").map { $0 & S_IFMT == S_IFIFO } == true)
    #expect(Scratch.entries(folder) == ["dangling", "null-link", "pipe", "plain"])
    #expect(Scratch.text(folder + "/plain") == "plain")
  }

  @Test func aLinkPlantedAtTheNextTemporaryNameIsNeverFollowed() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let victim = folder + "/victim.txt"
    try Scratch.put("precious", victim)
    // The first temporary name the writer will try is taken by a link to the victim.
    let planted = folder + "/" + TemporaryFiles.name(for: "out.simx", pid: getpid(), random: 1)
    #expect(symlink(victim, planted) == 0)
    var draws: [UInt64] = [1, 2]
    var hooks = AtomicFile.Hooks()
    hooks.random = { draws.removeFirst() }
    try "index bytes".utf8CString.withUnsafeBytes { raw in
      try AtomicFile.write(UnsafeRawBufferPointer(rebasing: raw.dropLast()), to: folder + "/out.simx", hooks: hooks)
    }
    #expect(draws.isEmpty)
    #expect(Scratch.text(victim) == "precious")
    #expect(Scratch.isSymbolicLink(planted))
    #expect(Scratch.text(folder + "/out.simx") == "index bytes")
  }

  @Test(arguments: AtomicFile.Step.allCases)
  func aFailingStepLeavesThePreviousFileAndNoTemporary(step: AtomicFile.Step) throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let path = folder + "/model.safetensors"
    try AtomicFile.write("previous", to: path)
    var hooks = AtomicFile.Hooks()
    hooks.failing = step
    #expect {
      try Array("next".utf8).withUnsafeBytes { try AtomicFile.write($0, to: path, hooks: hooks) }
    } throws: { error in
      guard let error = error as? FileWriteError, error.path == path,
        case .systemCall(_, let code) = error.problem
      else { return false }
      return code == EIO && error.description.contains("Input/output error")
    }
    // Only a failure after the rename (syncing the directory) leaves the new content.
    #expect(Scratch.text(path) == (step == .syncDirectory ? "next" : "previous"))
    #expect(Scratch.entries(folder) == ["model.safetensors"])
  }

  @Test func shortWritesAndInterruptedCallsStillWriteEveryByte() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    var hooks = AtomicFile.Hooks()
    hooks.chunk = 777
    hooks.interruptions = 5
    try bytes.withUnsafeBytes { try AtomicFile.write($0, to: folder + "/data.bin", hooks: hooks) }
    #expect(FileManager.default.contents(atPath: folder + "/data.bin").map(Array.init) == bytes)
  }

  @Test func staleTemporariesOfADeadProcessAreRemovedByTheNextWrite() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let dead = try Scratch.deadProcessID()
    let stale = TemporaryFiles.name(for: "index.simx", pid: dead, random: 0xABC)
    let live = TemporaryFiles.name(for: "index.simx", pid: getpid(), random: 0xDEF)
    let otherName = TemporaryFiles.name(for: "other.simx", pid: dead, random: 0x123)
    for name in [stale, live, otherName] { try Scratch.put("partial", folder + "/" + name) }
    #expect(TemporaryFiles.stale(for: folder + "/index.simx") == [folder + "/" + stale])
    try AtomicFile.write("complete", to: folder + "/index.simx")
    #expect(Scratch.entries(folder) == [live, otherName, "index.simx"].sorted())
    #expect(TemporaryFiles.removeStale(in: folder) == [folder + "/" + otherName])
    #expect(Scratch.entries(folder) == [live, "index.simx"].sorted())
  }

  @Test func aLongNameGetsAShortenedTemporaryNameThatIsStillCleanedUp() throws {
    let folder = try Scratch.folder()
    defer { Scratch.remove(folder) }
    let name = String(repeating: "é", count: 120) + ".simx"  // 245 bytes
    let stale = TemporaryFiles.name(for: name, pid: try Scratch.deadProcessID(), random: 7)
    #expect(stale.utf8.count <= 255)
    try Scratch.put("partial", folder + "/" + stale)
    try AtomicFile.write("complete", to: folder + "/" + name)
    #expect(Scratch.entries(folder) == [name])
  }

  @Test func temporaryNamesAreRecognisedAndNothingElseIs() {
    let name = TemporaryFiles.name(for: "report.html", pid: 42, random: 0xFF)
    #expect(name == ".report.html.simtmp-42-00000000000000ff")
    #expect(TemporaryFiles.parse(name)! == ("report.html", 42))
    for other in [
      "report.html", ".report.html.simtmp-", ".report.html.simtmp-42-ff",
      "report.html.simtmp-42-00000000000000ff", ".simtmp-42-00000000000000ff",
      ".x.simtmp-0-00000000000000ff", ".x.simtmp-42-0000000000000zff",
    ] {
      #expect(!TemporaryFiles.isTemporary(other), "\(other)")
    }
  }
}
