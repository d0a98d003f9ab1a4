import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// kill -9 at random moments of every kind of save never damages the previous save and leaves
/// no temporary or staged file once the next save has run. The child is
/// `similarity-save-loop KIND PATH loop`, which saves two versions in turn until it is killed;
/// scripts/crash-safety.sh runs the same check with many more kills.
@Suite struct CrashSafetyTests {
  static let helper = CLI.builtProgram("similarity-save-loop")
  static let killsPerKind = 20

  /// Files of ours that only a running or killed save leaves, anywhere under `directory`.
  static func leftovers(_ directory: URL) -> [String] {
    let all = FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? []
    return all.filter { $0.contains(".simtmp-") || $0.contains(".simnext-") }
  }

  /// Runs the helper to completion.
  static func helper(_ arguments: [String]) throws -> CLI.Result {
    try CLI.run(helper, arguments)
  }

  @Test(arguments: ["model", "index", "checkpoint", "report"])
  func killedSavesLeaveThePreviousSaveWholeAndNoTemporaryAfterTheNextSave(kind: String) throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let isFolder = kind == "model" || kind == "checkpoint"
    let path = directory.appendingPathComponent(isFolder ? kind : "\(kind).out").path
    let first = try Self.helper([kind, path, "once", "0"])
    try #require(first.status == 0, "\(first.stderr)")
    let notes = URL(fileURLWithPath: isFolder ? path + "/notes.txt" : directory.path + "/notes.txt")
    try Data("the user's notes".utf8).write(to: notes)

    var generator = SystemRandomNumberGenerator()
    var versions = Set<Int>()
    var killedMidSave = 0
    // At least killsPerKind kills, and more (up to ten times as many) until one has landed
    // mid-save: with a fast save (an index's write is a small share of its loop) 20 kills can
    // all miss it by chance, and the check below must not depend on that chance.
    var kill = 0
    while kill < Self.killsPerKind || (killedMidSave == 0 && kill < 10 * Self.killsPerKind) {
      kill += 1
      let process = Process()
      process.executableURL = Self.helper
      process.arguments = [kind, path, "loop"]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      _ = output.fileHandleForReading.availableData  // "looping": the first save is starting
      let delay = UInt32.random(in: 0...60_000, using: &generator)
      usleep(delay)
      Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(process.terminationReason == .uncaughtSignal, "kill \(kill): the loop stopped by itself")
      if !Self.leftovers(directory).isEmpty { killedMidSave += 1 }
      let verified = try Self.helper([kind, path, "verify"])
      #expect(verified.status == 0, "kill \(kill) after \(delay) µs: \(verified.stderr)")
      if let number = Int(verified.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
        versions.insert(number)
      }
    }
    // Most kills land inside a save (the loop does nothing else).
    #expect(killedMidSave > 0, "\(killedMidSave) kills mid-save, versions seen \(versions)")

    let next = try Self.helper([kind, path, "once", "1"])
    #expect(next.status == 0, "\(next.stderr)")
    let verified = try Self.helper([kind, path, "verify"])
    #expect(verified.stdout == "version 1\n", "\(verified.stderr)")
    #expect(Self.leftovers(directory) == [])
    #expect(FileManager.default.contents(atPath: notes.path) == Data("the user's notes".utf8))
  }
}
