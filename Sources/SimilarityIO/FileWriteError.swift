#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a file or a saved folder was not written: the path as the caller gave it and what is
/// wrong with it, with what was expected instead. `description` is `"<path>: <reason>"`, so a
/// command can put the option in front (`--out /dev/null: is a character device; …`).
public struct FileWriteError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What is wrong.
  public enum Problem: Equatable, Sendable {
    /// A system call failed: the step (naming any other file involved) and `errno`.
    case systemCall(String, errno: Int32)
    /// The path is empty or ends with `/`, so it cannot name a file.
    case notAFileName
    /// The directory the file would be created in does not exist or is not a directory.
    case missingDirectory(String)
    /// Something other than a regular file is at the path (a directory, a device, a FIFO, …).
    case notARegularFile(FileKind)
    /// The path is a symbolic link to something that does not exist (`nil`) or that cannot be
    /// written as the expected thing (`expected` says what that is).
    case unusableLink(target: String, found: FileKind?, expected: String)
    /// The output is one of the command's inputs (the option and path of that input).
    case sameAsInput(String)
    /// A folder output is not a folder.
    case notAFolder(FileKind, expected: String)
    /// A folder output holds files that are not a save of the expected kind.
    case foreignFolder(kind: String, marker: String, found: [String])
    /// A folder output holds a save of another kind (its name and marker file).
    case otherKindOfFolder(kind: String, other: String, marker: String)
    /// The folder's marker file exists but is not a marker of the expected kind.
    case unreadableMarker(kind: String, marker: String, detail: String)
    /// Another process holds the folder's save lock.
    case folderBusy(kind: String)
  }

  /// The path as the caller gave it.
  public var path: String
  /// What is wrong with it.
  public var problem: Problem

  /// Creates an error about `path`.
  public init(path: String, problem: Problem) {
    self.path = path
    self.problem = problem
  }

  /// What is wrong and what was expected, without the path.
  public var reason: String {
    switch problem {
    case .systemCall(let step, let code):
      return "\(step) failed: \(PathText.message(code))"
    case .notAFileName:
      return "is not a file name (empty or ending with /); expected a path to a file"
    case .missingDirectory(let directory):
      return "cannot be created: \(directory) is not an existing directory"
    case .notARegularFile(let kind):
      return "is \(kind); expected a regular file or a name that does not exist yet"
    case .unusableLink(let target, let found, let expected):
      let what = found.map { "which is \($0)" } ?? "which does not exist"
      return "is a symbolic link to \(target), \(what); expected \(expected)"
    case .sameAsInput(let input):
      return "is also the input \(input); expected an output that is none of the inputs"
    case .notAFolder(let kind, let expected):
      return "is \(kind); expected \(expected)"
    case .foreignFolder(let kind, let marker, let found):
      let shown = found.prefix(5).joined(separator: ", ") + (found.count > 5 ? ", …" : "")
      return "is not empty and is not a saved \(kind) (no \(marker); it holds \(shown)); "
        + "choose an empty or new folder"
    case .otherKindOfFolder(let kind, let other, let marker):
      return "holds a saved \(other) (\(marker)), not a \(kind); choose an empty or new folder"
    case .unreadableMarker(let kind, let marker, let detail):
      return "its \(marker) is not the marker of a saved \(kind) (\(detail)); "
        + "choose an empty or new folder"
    case .folderBusy(let kind):
      return "another process is saving a \(kind) into this folder; wait until it has finished"
    }
  }

  public var description: String { "\(path): \(reason)" }

  /// A failed system call on `path`, with the current `errno`.
  static func system(_ path: String, _ step: String, _ code: Int32 = errno) -> FileWriteError {
    FileWriteError(path: path, problem: .systemCall(step, errno: code))
  }
}
