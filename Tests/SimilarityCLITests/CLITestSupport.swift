import Foundation
import Testing

/// Runs the `similarity` binary built beside the test bundle and captures its output.
enum CLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `similarity` executable in the same build directory as the running tests.
  static var executable: URL { builtProgram("similarity") }

  /// An executable of the package in the same build directory as the running tests.
  static func builtProgram(_ name: String) -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    // On Linux the tests run from `<build>/swift-similarityPackageTests.xctest`; on macOS from
    // inside the `.xctest` bundle.
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path),
      directory.path != "/"
    {
      directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent(name)
  }

  /// The `HOME` of every run: a directory that does not exist, so no download cache is found.
  static let missingHome = FileManager.default.temporaryDirectory
    .appendingPathComponent("similarity-cli-no-home-\(UUID().uuidString)")

  /// Runs `similarity arguments…` in `directory` (default: the system temporary directory) and
  /// waits for it; `environment` adds to (or overrides) the environment of `run(_:_:in:)`.
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:]
  ) throws -> Result {
    try run(executable, arguments, in: directory, environment: extra)
  }

  /// Runs `program arguments…` in `directory` (default: the system temporary directory) and
  /// waits for it, with a `HOME` that does not exist and without `MNIST_DIR` /
  /// `XDG_CACHE_HOME`, so it finds only what the tests name and what scripts/setup.sh installs
  /// (Fashion-MNIST); `environment` adds to (or overrides) that environment.
  static func run(
    _ program: URL, _ arguments: [String], in directory: URL? = nil,
    environment extra: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
    var environment = ProcessInfo.processInfo.environment
    environment["MNIST_DIR"] = nil
    environment["XDG_CACHE_HOME"] = nil
    environment["HOME"] = missingHome.path
    environment.merge(extra) { $1 }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a full pipe cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs `similarity arguments…` and expects it to succeed (a failure shows its stderr).
  static func succeed(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    let result = try run(arguments)
    #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
    return result
  }

  /// The JSON object `similarity evaluate MODEL --count COUNT --json` prints.
  static func evaluateJSON(
    _ model: String, count: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    let evaluated = try succeed(
      ["evaluate", model, "--count", "\(count)", "--json"], sourceLocation: sourceLocation)
    return try #require(
      JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any],
      "\(evaluated.stdout)", sourceLocation: sourceLocation)
  }

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
