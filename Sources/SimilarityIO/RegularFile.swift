#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A regular file opened for reading whose size is known before any byte is read, so a reader
/// can check a header's declared sizes against it and read exactly what it declares.
///
/// Opening refuses anything but a regular file, naming what the path is instead ("is a character
/// device, expected a regular .simx index file"): a directory, `/dev/zero` (endless), a FIFO
/// (blocks) or a socket never reach a reader. Reads never go past ``size`` and fail if the file
/// turns out shorter (it was truncated while open).
///
/// ```swift
/// let file = try RegularFile(path: path, expected: "a regular .simx index file")
/// let header = try file.read(0..<min(file.size, 128))   // check magic and sizes first
/// let body = try file.read(128..<file.size)             // then read what they declare
/// ```
public final class RegularFile {
  /// The path as given.
  public let path: String
  /// The size in bytes when the file was opened.
  public let size: Int
  private let descriptor: Int32

  /// Opens `path` for reading.
  ///
  /// - Parameter expected: what the caller wants, for messages, e.g. `"a regular .simx index
  ///   file"`.
  /// - Throws: ``FileReadError`` (`missing`, `notRegularFile`, `io`) naming the path.
  public init(path: String, expected: String) throws(FileReadError) {
    self.path = path
    // `stat` first, so a device or a FIFO is described rather than opened (opening a FIFO
    // blocks; some devices refuse even root).
    var status = stat()
    guard stat(path, &status) == 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR {
        throw FileReadError(.missing, path: path, "does not exist; expected \(expected)")
      }
      throw FileReadError(.io, path: path, "cannot inspect: \(Self.describe(code))")
    }
    let kind = FileKind(mode: status.st_mode)
    guard kind == .regularFile else {
      throw FileReadError(.notRegularFile(kind), path: path, "is \(kind), expected \(expected)")
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else {
      throw FileReadError(.io, path: path, "cannot open: \(Self.describe(errno))")
    }
    // The path may have been replaced between `stat` and `open`: trust only the open file.
    guard fstat(descriptor, &status) == 0, FileKind(mode: status.st_mode) == .regularFile else {
      let kind = FileKind(mode: status.st_mode)
      close(descriptor)
      throw FileReadError(.notRegularFile(kind), path: path, "is \(kind), expected \(expected)")
    }
    self.descriptor = descriptor
    self.size = Int(status.st_size)
  }

  deinit { close(descriptor) }

  /// The bytes at `range`, which must lie inside ``size``.
  ///
  /// - Throws: ``FileReadError`` `truncated` when the file ends early, `io` when reading fails.
  public func read(_ range: Range<Int>) throws(FileReadError) -> [UInt8] {
    precondition(
      range.lowerBound >= 0 && range.upperBound <= size,
      "RegularFile.read: \(range) is outside the \(size)-byte file")
    var bytes = [UInt8](repeating: 0, count: range.count)
    var done = 0
    var failure: Int32 = 0
    bytes.withUnsafeMutableBytes { buffer in
      while done < range.count {
        let n = pread(
          descriptor, buffer.baseAddress! + done, range.count - done,
          off_t(range.lowerBound + done))
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if n == 0 { return }
        done += n
      }
    }
    if failure != 0 {
      throw FileReadError(
        .io, path: path,
        "read failed at byte \(range.lowerBound + done): \(Self.describe(failure))")
    }
    guard done == range.count else {
      throw FileReadError(
        .truncated, path: path,
        "ends at byte \(range.lowerBound + done), expected \(range.upperBound) bytes "
          + "(the file shrank while it was read)")
    }
    return bytes
  }

  /// The whole file, refused unread when it is larger than `limit` bytes.
  ///
  /// - Parameter what: the file's role for the message, e.g. `"a model manifest"`.
  public func readAll(limit: Int, what: String) throws(FileReadError) -> [UInt8] {
    guard size <= limit else {
      throw FileReadError(
        .tooLarge, path: path, "is \(size) bytes; \(what) is at most \(limit) bytes")
    }
    return try read(0..<size)
  }

  /// The contents of the regular file at `path`, at most `limit` bytes.
  ///
  /// - Parameters:
  ///   - expected: what the caller wants, e.g. `"a regular JSON file"`.
  ///   - what: the file's role for the size message, e.g. `"a model manifest"`.
  public static func contents(
    of path: String, expected: String, what: String, limit: Int
  ) throws(FileReadError) -> [UInt8] {
    try RegularFile(path: path, expected: expected).readAll(limit: limit, what: what)
  }

  private static func describe(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
