#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a path names on disk, as `lstat(2)` or `stat(2)` reports it. The description reads as
/// the object of a sentence ("is a character device").
public enum FileKind: String, Sendable, Equatable, CustomStringConvertible {
  case regularFile = "a regular file"
  case directory = "a directory"
  case symbolicLink = "a symbolic link"
  case characterDevice = "a character device"
  case blockDevice = "a block device"
  case fifo = "a FIFO (named pipe)"
  case socket = "a socket"
  case other = "a special file"

  /// The kind encoded in `st_mode`.
  public init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regularFile
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symbolicLink
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFIFO: self = .fifo
    case S_IFSOCK: self = .socket
    default: self = .other
    }
  }

  /// The kind of what `path` names itself (a symbolic link is not followed), or `nil` when
  /// nothing is there.
  public init?(linkAt path: String) {
    guard let status = FileStatus.of(path) else { return nil }
    self = status.kind
  }

  public var description: String { rawValue }
}

/// The status of a path, or why it could not be read.
struct FileStatus {
  var kind: FileKind
  var mode: mode_t
  var owner: uid_t
  var group: gid_t
  var device: UInt
  var inode: UInt

  init(_ raw: stat) {
    kind = FileKind(mode: raw.st_mode)
    mode = raw.st_mode
    owner = raw.st_uid
    group = raw.st_gid
    device = UInt(raw.st_dev)
    inode = UInt(raw.st_ino)
  }

  /// The status of `path` itself (a symbolic link is reported as one), `nil` when nothing is
  /// there; `errno` is left set when `nil` is returned.
  static func of(_ path: String) -> FileStatus? {
    var raw = stat()
    return lstat(path, &raw) == 0 ? FileStatus(raw) : nil
  }

  /// The status of what `path` finally names (symbolic links followed), `nil` when nothing is
  /// there or a link dangles; `errno` is left set when `nil` is returned.
  static func following(_ path: String) -> FileStatus? {
    var raw = stat()
    return stat(path, &raw) == 0 ? FileStatus(raw) : nil
  }
}
