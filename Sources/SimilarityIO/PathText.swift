#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Path helpers shared by the writer and the folder checks.
enum PathText {
  /// The directory part of `path` (`.` for a bare name, `/` for a top-level entry).
  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let head = String(path[..<slash])
    return head.isEmpty ? "/" : head
  }

  /// The last component of `path`.
  static func name(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `directory/name` without doubling the slash of `/`.
  static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// The absolute path with every symbolic link resolved, or `nil` when `path` does not exist.
  static func real(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The text a symbolic link holds, or `nil` when `path` is not one.
  static func linkText(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// `strerror` of `code`.
  static func message(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// The names in `directory` (without `.` and `..`), or `nil` with `errno` set when it cannot
  /// be read.
  static func entries(of directory: String) -> [String]? {
    guard let stream = opendir(directory) else { return nil }
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
        let capacity = MemoryLayout.size(ofValue: field.pointee)
        return field.withMemoryRebound(to: CChar.self, capacity: capacity) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Flushes `directory`'s entries (creations, renames, removals) to disk. File systems that
  /// cannot sync a directory (`EINVAL`) count as success.
  static func syncDirectory(_ directory: String) throws(FileWriteError) {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .system(directory, "opening the directory to fsync it") }
    defer { close(descriptor) }
    var result: Int32
    repeat { result = fsync(descriptor) } while result != 0 && errno == EINTR
    if result != 0 && errno != EINVAL { throw .system(directory, "fsync of the directory") }
  }
}
