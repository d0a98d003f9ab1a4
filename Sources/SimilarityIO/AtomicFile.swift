import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way the package writes a file: a reader, or the next run after a crash, sees the old
/// content or the complete new content, never a mixture, and no temporary file outlives the
/// next write.
///
/// Steps of ``write(_:to:)-(UnsafeRawBufferPointer,_)``:
/// 1. ``OutputPath/resolve(_:)``: a symbolic link to a regular file is followed (its target is
///    written, the link kept); a directory, device, FIFO, socket or dangling link is refused.
/// 2. Stale temporary files of this destination left by killed processes are removed
///    (``TemporaryFiles``).
/// 3. A new temporary file `.NAME.simtmp-PID-RANDOM` is created in the destination's directory
///    with `O_CREAT | O_EXCL | O_NOFOLLOW`, so a planted file or link is never opened.
/// 4. Every byte is written (short writes continued, `EINTR` retried), the permissions of the
///    file being replaced are copied, the file is `fsync`ed and closed (errors checked).
/// 5. The temporary file is renamed over the destination and the directory is `fsync`ed.
///
/// Any failure removes the temporary file before the error is thrown; the destination is then
/// untouched.
public enum AtomicFile {
  /// Writes `bytes` to `path`, creating or replacing the file.
  /// - Throws: ``FileWriteError`` naming `path`, the failed step and the system's reason.
  public static func write(_ bytes: UnsafeRawBufferPointer, to path: String)
    throws(FileWriteError)
  {
    try write(bytes, to: path, hooks: Hooks())
  }

  /// Writes `bytes` (an array, `Data`, a slice, …) to `path`, creating or replacing the file.
  /// - Throws: ``FileWriteError`` naming `path`, the failed step and the system's reason.
  public static func write(_ bytes: some Collection<UInt8>, to path: String)
    throws(FileWriteError)
  {
    func attempt(_ raw: UnsafeRawBufferPointer) -> Result<Void, FileWriteError> {
      Result { () throws(FileWriteError) in try write(raw, to: path, hooks: Hooks()) }
    }
    let result =
      bytes.withContiguousStorageIfAvailable { attempt(UnsafeRawBufferPointer($0)) }
      ?? Array(bytes).withUnsafeBytes(attempt)
    try result.get()
  }

  /// Writes `text` as UTF-8 to `path`, creating or replacing the file.
  public static func write(_ text: String, to path: String) throws(FileWriteError) {
    try write(Array(text.utf8), to: path)
  }

  /// Writes `bytes` to the file `url`, creating or replacing it.
  public static func write(_ bytes: some Collection<UInt8>, to url: URL) throws(FileWriteError) {
    try write(bytes, to: url.path)
  }

  /// Writes `text` as UTF-8 to the file `url`, creating or replacing it.
  public static func write(_ text: String, to url: URL) throws(FileWriteError) {
    try write(Array(text.utf8), to: url.path)
  }

  // MARK: - Implementation

  /// A step of a write, for tests that make one fail.
  enum Step: String, CaseIterable {
    case create, write, permissions, fsync, close, rename, syncDirectory
  }

  /// Test hooks: a step to fail (with `EIO`), a source of the temporary names' random parts, a
  /// cap on the bytes per `write` call and a number of `EINTR`s to report before writing.
  struct Hooks {
    var failing: Step?
    var random: () -> UInt64 = { UInt64.random(in: 0...UInt64.max) }
    var chunk = Int.max
    var interruptions = 0
  }

  static func write(
    _ bytes: UnsafeRawBufferPointer, to path: String, hooks: Hooks
  ) throws(FileWriteError) {
    var hooks = hooks
    let destination = try OutputPath.resolve(path)
    let directory = PathText.directory(of: destination)
    let name = PathText.name(of: destination)
    TemporaryFiles.removeStale(in: directory, for: name)
    let previous = FileStatus.following(destination)
    if hooks.failing == .create {
      throw .system(path, "creating a temporary file in \(directory)", EIO)
    }
    let (descriptor, temporary) = try TemporaryFiles.create(
      in: directory, for: name, random: hooks.random, destination: path)
    var isOpen = true
    var renamed = false
    defer {
      if isOpen { close(descriptor) }
      if !renamed { unlink(temporary) }
    }
    func fail(_ step: Step, _ what: String) -> FileWriteError {
      .system(path, what, hooks.failing == step ? EIO : errno)
    }

    var offset = 0
    while offset < bytes.count {
      var count = -1
      if hooks.interruptions > 0 {
        hooks.interruptions -= 1
        errno = EINTR
      } else if hooks.failing != .write {
        let size = min(bytes.count - offset, hooks.chunk)
        count = systemWrite(descriptor, bytes.baseAddress! + offset, size)
      }
      if count < 0 && errno == EINTR && hooks.failing != .write { continue }
      guard count > 0 else {
        if count == 0 { errno = EIO }
        throw fail(.write, "writing \(temporary) (\(offset) of \(bytes.count) bytes written)")
      }
      offset += count
    }
    if let previous {
      // Keep the replaced file's permissions (and, as root, its owner: best effort).
      if hooks.failing == .permissions || fchmod(descriptor, previous.mode & 0o7777) != 0 {
        throw fail(.permissions, "copying the permissions of \(destination) to \(temporary)")
      }
      if geteuid() == 0 { _ = fchown(descriptor, previous.owner, previous.group) }
    }
    var synced: Int32
    repeat {
      synced = hooks.failing == .fsync ? -1 : fsync(descriptor)
    } while synced != 0 && errno == EINTR && hooks.failing != .fsync
    if synced != 0 { throw fail(.fsync, "fsync of \(temporary)") }
    isOpen = false
    if (close(descriptor) != 0 && errno != EINTR) || hooks.failing == .close {
      throw fail(.close, "closing \(temporary)")
    }
    if hooks.failing == .rename || rename(temporary, destination) != 0 {
      throw fail(.rename, "renaming \(temporary) to \(destination)")
    }
    renamed = true
    if hooks.failing == .syncDirectory {
      throw fail(.syncDirectory, "fsync of the directory \(directory)")
    }
    try PathText.syncDirectory(directory)
  }
}

/// The C library's `write`, which `AtomicFile.write` shadows.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
