#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a path names in the file system, from the `st_mode` of `stat`.
///
/// Readers accept only ``regular`` files: a directory cannot be read as bytes, and a device or a
/// FIFO has no size to check a header against (`/dev/zero` never ends).
public enum FileKind: Equatable, Sendable, CustomStringConvertible {
  case regular
  case directory
  case characterDevice
  case blockDevice
  case fifo
  case socket
  case symbolicLink
  case unknown

  /// The kind of the file whose `st_mode` is `mode`.
  public init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .regular
    case S_IFDIR: self = .directory
    case S_IFCHR: self = .characterDevice
    case S_IFBLK: self = .blockDevice
    case S_IFIFO: self = .fifo
    case S_IFSOCK: self = .socket
    case S_IFLNK: self = .symbolicLink
    default: self = .unknown
    }
  }

  /// The kind of what `path` names itself (a symbolic link is not followed), or `nil` when
  /// nothing is there.
  public init?(linkAt path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return nil }
    self.init(mode: status.st_mode)
  }

  /// "a directory", "a character device", …, for messages such as "is a directory".
  public var description: String {
    switch self {
    case .regular: "a regular file"
    case .directory: "a directory"
    case .characterDevice: "a character device"
    case .blockDevice: "a block device"
    case .fifo: "a FIFO (named pipe)"
    case .socket: "a socket"
    case .symbolicLink: "a symbolic link"
    case .unknown: "not a regular file"
    }
  }
}
