#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks of a file output before anything is written: what a write to the path would replace,
/// and whether that is one of the command's inputs.
///
/// Symbolic links are resolved, never replaced: a write to a link that names an existing regular
/// file writes that file and keeps the link (as `cat > link` does), so `index add --index
/// link.simx` updates the index the link points to. A link to anything else, or to nothing, is
/// refused. Directories, devices, FIFOs and sockets are refused: replacing `/dev/null` with a
/// regular file (possible as root) or a directory with a file is never what was meant.
public enum OutputPath {
  /// The file a write to `path` would create or replace: `path` itself when it does not exist
  /// or is a regular file, the absolute path of its target when it is a symbolic link to a
  /// regular file.
  /// - Throws: ``FileWriteError`` naming `path` when it cannot be written as a regular file: it
  ///   is empty or ends with `/`, its directory does not exist, it is a directory, a device, a
  ///   FIFO or a socket, or a symbolic link to one of those or to nothing.
  public static func resolve(_ path: String) throws(FileWriteError) -> String {
    guard !path.isEmpty, !path.hasSuffix("/") else {
      throw FileWriteError(path: path, problem: .notAFileName)
    }
    guard let status = FileStatus.of(path) else {
      guard errno == ENOENT || errno == ENOTDIR else { throw .system(path, "lstat") }
      let directory = PathText.directory(of: path)
      guard FileStatus.following(directory)?.kind == .directory else {
        throw FileWriteError(path: path, problem: .missingDirectory(directory))
      }
      return path
    }
    switch status.kind {
    case .regularFile:
      return path
    case .symbolicLink:
      let text = PathText.linkText(path) ?? "?"
      guard let target = PathText.real(path), let final = FileStatus.following(target) else {
        throw FileWriteError(
          path: path,
          problem: .unusableLink(target: text, found: nil, expected: "a link to a regular file"))
      }
      guard final.kind == .regularFile else {
        throw FileWriteError(
          path: path,
          problem: .unusableLink(
            target: target, found: final.kind, expected: "a link to a regular file"))
      }
      return target
    default:
      throw FileWriteError(path: path, problem: .notARegularFile(status.kind))
    }
  }

  /// Throws when `output` names the same file as one of `inputs`: the same path once links,
  /// `.` and `..` are resolved, or the same file under another name (a hard link). Inputs that
  /// do not exist are compared by path only.
  /// - Parameter inputs: each input's label (such as `--vectors`) and path.
  /// - Throws: ``FileWriteError`` naming `output` and the input it would overwrite.
  public static func refuseIfInput(
    _ output: String, inputs: [(label: String, path: String)]
  ) throws(FileWriteError) {
    let written = Identity(output)
    for input in inputs where Identity(input.path).isSame(as: written) {
      throw FileWriteError(path: output, problem: .sameAsInput("\(input.label) \(input.path)"))
    }
  }

  /// ``resolve(_:)`` then ``refuseIfInput(_:inputs:)``: the checks a command makes on an output
  /// file before it starts working.
  /// - Returns: the file a write to `output` creates or replaces.
  @discardableResult
  public static func check(
    _ output: String, inputs: [(label: String, path: String)] = []
  ) throws(FileWriteError) -> String {
    let resolved = try resolve(output)
    try refuseIfInput(output, inputs: inputs)
    return resolved
  }

  /// What identifies a file: its canonical path and, when it exists, device and inode.
  struct Identity {
    var path: String
    var file: (device: UInt, inode: UInt)?

    init(_ path: String) {
      if let real = PathText.real(path), let status = FileStatus.following(real) {
        self.path = real
        file = (status.device, status.inode)
      } else {
        let directory = PathText.real(PathText.directory(of: path)) ?? PathText.directory(of: path)
        self.path = PathText.join(directory, PathText.name(of: path))
        file = nil
      }
    }

    func isSame(as other: Identity) -> Bool {
      if path == other.path { return true }
      guard let file, let otherFile = other.file else { return false }
      return file.device == otherFile.device && file.inode == otherFile.inode
    }
  }
}
