import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file that could not be written: its path, the step that failed and the system's reason.
public struct OutputError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file that was to be written.
  public var path: String
  /// What was being done, such as `create a temporary file in /tmp/missing`.
  public var operation: String
  /// The system's message for `errno`, such as `No such file or directory`.
  public var reason: String

  public var description: String {
    "cannot write \(path): \(operation) failed: \(reason) "
      + "(expected an existing, writable directory)"
  }
}

/// Writes files atomically: readers see the old content or the complete new content, never a
/// partial file. The bytes go to a temporary file beside the destination, are flushed with
/// `fsync`, and the temporary file is renamed over the destination.
public enum OutputFile {
  /// Writes `bytes` to `url`, creating or replacing the file.
  /// - Throws: ``OutputError`` naming the path and the failed step.
  public static func write(_ bytes: [UInt8], to url: URL) throws(OutputError) {
    let destination = url.path
    let directory = url.deletingLastPathComponent().path
    var template = Array((directory + "/." + url.lastPathComponent + ".XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw failure(destination, "create a temporary file in \(directory)")
    }
    let temporary = String(
      decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var renamed = false
    defer { if !renamed { unlink(temporary) } }
    do {
      defer { close(fd) }
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeBytes { raw in
          systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
        }
        if written < 0 {
          if errno == EINTR { continue }
          throw failure(destination, "write to \(temporary)")
        }
        offset += written
      }
      _ = fchmod(fd, 0o644)
      guard fsync(fd) == 0 else { throw failure(destination, "fsync of \(temporary)") }
    }
    guard rename(temporary, destination) == 0 else {
      throw failure(destination, "rename from \(temporary)")
    }
    renamed = true
    let directoryFD = open(directory, O_RDONLY)
    if directoryFD >= 0 {
      _ = fsync(directoryFD)
      close(directoryFD)
    }
  }

  /// Writes `text` as UTF-8 to `url`, atomically.
  /// - Throws: ``OutputError`` naming the path and the failed step.
  public static func write(_ text: String, to url: URL) throws(OutputError) {
    try write(Array(text.utf8), to: url)
  }

  private static func failure(_ path: String, _ operation: String) -> OutputError {
    OutputError(path: path, operation: operation, reason: String(cString: strerror(errno)))
  }
}

/// The C library's `write`, which `OutputFile.write` shadows.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
