import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that readers see either the old content or the complete new content, never a
/// partial file: the bytes go to a temporary file in the destination's directory, are flushed to
/// disk with `fsync`, and the temporary file is then renamed over the destination.
enum AtomicFile {
  /// A failed step of an atomic write: which path, which system call, and `errno`'s message.
  struct Failure: Error {
    let path: String
    let operation: String
    let message: String
  }

  /// Writes `data` to `url` atomically, creating or replacing the file.
  static func write(_ data: Data, to url: URL) throws(Failure) {
    let destination = url.path
    let directory = url.deletingLastPathComponent().path
    let template = directory + "/." + url.lastPathComponent + ".XXXXXX"
    var templateBytes = Array(template.utf8CString)
    let fd = templateBytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw failure(destination, "create a temporary file in \(directory)") }
    let temporary = String(
      decoding: templateBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var succeeded = false
    defer {
      if !succeeded { unlink(temporary) }
    }
    do {
      defer { close(fd) }
      try writeAll(data, to: fd, path: temporary)
      // mkstemp creates the file 0600; give it the usual permissions of a data file.
      _ = fchmod(fd, 0o644)
      guard fsync(fd) == 0 else { throw failure(temporary, "fsync") }
    }
    guard rename(temporary, destination) == 0 else {
      throw failure(destination, "rename \(temporary) to")
    }
    succeeded = true
    syncDirectory(directory)
  }

  private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(Failure) {
    let result: Failure? = data.withUnsafeBytes { raw -> Failure? in
      var offset = 0
      while offset < raw.count {
        let written = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return failure(path, "write")
        }
        offset += written
      }
      return nil
    }
    if let result { throw result }
  }

  /// Flushes the directory entry created by `rename` (best effort; some file systems refuse).
  private static func syncDirectory(_ directory: String) {
    let fd = open(directory, O_RDONLY)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }

  private static func failure(_ path: String, _ operation: String) -> Failure {
    Failure(path: path, operation: operation, message: String(cString: strerror(errno)))
  }
}

/// The C library's `write`, reachable from inside `AtomicFile` whose own `write` shadows it.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
