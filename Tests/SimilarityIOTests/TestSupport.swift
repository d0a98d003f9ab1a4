import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Scratch folders and small file helpers for the writer's tests.
enum Scratch {
  /// A new, empty folder under the temporary directory.
  static func folder() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-io-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
  }

  /// Removes `path` and everything under it.
  static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

  /// The names in `folder`, sorted.
  static func entries(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
  }

  /// The file's UTF-8 text, or `nil`.
  static func text(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Writes `text` to `path` with Foundation (not the writer under test).
  static func put(_ text: String, _ path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  /// The id of a process that has exited and been reaped.
  static func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  /// `lstat` kind bits of `path`, or `nil`.
  static func mode(_ path: String) -> mode_t? {
    var status = stat()
    return lstat(path, &status) == 0 ? status.st_mode : nil
  }

  static func isSymbolicLink(_ path: String) -> Bool { mode(path).map { $0 & S_IFMT == S_IFLNK } ?? false }
}
