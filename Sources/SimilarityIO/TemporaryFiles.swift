import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The temporary files the writer creates beside a destination, and the stale ones a killed
/// process leaves behind.
///
/// The temporary file for `DIR/NAME` is `DIR/.NAME.simtmp-PID-RANDOM`: PID is the creating
/// process in decimal, RANDOM 16 hexadecimal digits from the system generator, and NAME is cut
/// to its first 200 bytes so the whole name fits in `NAME_MAX`. Nothing else in the package
/// uses the `.simtmp-` infix, so a name of that form is ours; one whose process no longer exists
/// is stale (its writer was killed) and is removed before the next write of the same
/// destination.
public enum TemporaryFiles {
  /// The infix of every temporary name.
  public static let infix = ".simtmp-"
  /// The longest part of a destination's name kept in its temporary names, in bytes.
  static let maximumNameBytes = 200

  /// The temporary files in `directory` whose creating process no longer exists, as paths: the
  /// ones for destination `name` only, or every one when `name` is `nil`.
  public static func stale(in directory: String, for name: String? = nil) -> [String] {
    let wanted = name.map(shortened)
    return (PathText.entries(of: directory) ?? []).compactMap { entry in
      guard let parsed = parse(entry), wanted == nil || parsed.name == wanted,
        !processExists(parsed.pid)
      else { return nil }
      return PathText.join(directory, entry)
    }
  }

  /// The stale temporary files of the destination `path` (see ``stale(in:for:)``).
  public static func stale(for path: String) -> [String] {
    stale(in: PathText.directory(of: path), for: PathText.name(of: path))
  }

  /// Removes the stale temporary files of `stale(in:for:)`; returns the paths removed.
  @discardableResult
  public static func removeStale(in directory: String, for name: String? = nil) -> [String] {
    stale(in: directory, for: name).filter { unlink($0) == 0 }
  }

  /// Whether `entry` (a name, not a path) has the form of one of our temporary files.
  public static func isTemporary(_ entry: String) -> Bool { parse(entry) != nil }

  // MARK: - Names

  /// `name` cut to at most ``maximumNameBytes`` bytes of UTF-8, on a character boundary.
  static func shortened(_ name: String) -> String {
    guard name.utf8.count > maximumNameBytes else { return name }
    var result = ""
    for character in name {
      if result.utf8.count + character.utf8.count > maximumNameBytes { break }
      result.append(character)
    }
    return result
  }

  /// The temporary name for destination `name`.
  static func name(for name: String, pid: Int32, random: UInt64) -> String {
    let digits = String(random, radix: 16)
    let padded = String(repeating: "0", count: 16 - digits.count) + digits
    return "." + shortened(name) + infix + "\(pid)-" + padded
  }

  /// The destination name (as shortened) and creating process of a temporary name, or `nil`
  /// when `entry` is not one.
  static func parse(_ entry: String) -> (name: String, pid: Int32)? {
    guard entry.hasPrefix("."), let marker = entry.range(of: infix, options: .backwards),
      marker.lowerBound > entry.index(after: entry.startIndex)
    else { return nil }
    let tail = entry[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
    guard tail.count == 2, let pid = Int32(tail[0]), pid > 0, tail[1].count == 16,
      tail[1].allSatisfy(\.isHexDigit)
    else { return nil }
    return (String(entry[entry.index(after: entry.startIndex)..<marker.lowerBound]), pid)
  }

  /// Whether process `pid` exists (it may belong to another user).
  static func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
  }

  // MARK: - Creation

  /// Creates a new, empty temporary file for `DIR/NAME` with `O_EXCL` (and `O_NOFOLLOW`), so an
  /// existing file or a planted symbolic link is never opened; retries with a new random part
  /// while the name is taken. Permissions are 0644 minus the umask.
  /// - Returns: the open descriptor and the file's path.
  static func create(
    in directory: String, for name: String, random: () -> UInt64, destination: String
  ) throws(FileWriteError) -> (descriptor: Int32, path: String) {
    for _ in 0..<64 {
      let path = PathText.join(directory, Self.name(for: name, pid: getpid(), random: random()))
      let descriptor = open(
        path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o644))
      if descriptor >= 0 { return (descriptor, path) }
      if errno != EEXIST { throw .system(destination, "creating a temporary file \(path)") }
    }
    throw .system(destination, "creating a temporary file in \(directory) (64 names taken)", EEXIST)
  }

  /// Hard-links `source` to a new temporary name for `DIR/NAME`, retrying while the name is
  /// taken (`link` never replaces an existing entry).
  /// - Returns: the new link's path, or `nil` with `errno` set when linking failed otherwise.
  static func hardLink(_ source: String, in directory: String, for name: String) -> String? {
    for _ in 0..<64 {
      let path = PathText.join(
        directory, Self.name(for: name, pid: getpid(), random: UInt64.random(in: 0...UInt64.max)))
      if link(source, path) == 0 { return path }
      if errno != EEXIST { return nil }
    }
    return nil
  }
}
