import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A folder that holds one save of a ``SavedFolderKind``, and possibly files of the user's that
/// saving never touches.
///
/// Whether a path may receive a save (``check(_:for:)``; ``commit(_:marker:)`` checks again):
/// - nothing there: the folder is created, with its parents;
/// - an empty folder, or one holding only what a killed save leaves (our temporary files and
///   staged data files): used;
/// - a folder whose marker file has this kind's format: a save of this kind, whose own files
///   are replaced; every other file stays;
/// - a folder holding another kind's save, or anything else: refused, naming what it holds;
/// - a regular file, a device, a FIFO or a socket: refused;
/// - a symbolic link to a folder: followed (the link is kept); to anything else: refused.
public struct SavedFolder: Sendable {
  /// What is saved here.
  public let kind: SavedFolderKind
  /// The path as the caller gave it (used in error messages).
  public let path: String
  /// The folder's absolute path, symbolic links resolved once it exists.
  public let location: String
  /// Whether the folder exists (``prepare(_:for:)`` creates it).
  public let exists: Bool
  /// Whether the folder holds a save of this kind (its marker).
  public let holdsSave: Bool

  /// The folder as a file URL.
  public var url: URL { URL(fileURLWithPath: location, isDirectory: true) }

  /// Checks that a save of `kind` may go to `path` without losing anything; changes nothing.
  /// - Throws: ``FileWriteError`` naming `path` and why it is refused.
  public static func check(_ path: String, for kind: SavedFolderKind) throws(FileWriteError)
    -> SavedFolder
  {
    guard !path.isEmpty else { throw FileWriteError(path: path, problem: .notAFileName) }
    let expected = "a folder (new, empty, or a saved \(kind.name))"
    guard let status = FileStatus.of(path) else {
      if errno == ENOTDIR {
        throw FileWriteError(path: path, problem: .missingDirectory(PathText.directory(of: path)))
      }
      guard errno == ENOENT else { throw .system(path, "lstat") }
      let absolute =
        path.hasPrefix("/")
        ? path : PathText.join(FileManager.default.currentDirectoryPath, path)
      return SavedFolder(
        kind: kind, path: path, location: absolute, exists: false, holdsSave: false)
    }
    let location: String
    switch status.kind {
    case .directory:
      location = PathText.real(path) ?? path
    case .symbolicLink:
      guard let target = PathText.real(path), let final = FileStatus.following(target) else {
        throw FileWriteError(
          path: path,
          problem: .unusableLink(
            target: PathText.linkText(path) ?? "?", found: nil, expected: "a link to \(expected)"))
      }
      guard final.kind == .directory else {
        throw FileWriteError(
          path: path,
          problem: .unusableLink(
            target: target, found: final.kind, expected: "a link to \(expected)"))
      }
      location = target
    default:
      throw FileWriteError(path: path, problem: .notAFolder(status.kind, expected: expected))
    }
    guard let entries = PathText.entries(of: location) else {
      throw .system(path, "listing the folder")
    }
    let kept = entries.filter { !kind.isTransient($0) }.sorted()
    var holdsSave = false
    if kept.contains(kind.marker) {
      let format = try markerFormat(PathText.join(location, kind.marker), in: path, kind: kind)
      guard format == kind.format else {
        if let other = SavedFolderKind.all.first(where: {
          $0.marker == kind.marker && $0.format == format
        }) {
          throw FileWriteError(
            path: path,
            problem: .otherKindOfFolder(kind: kind.name, other: other.name, marker: kind.marker))
        }
        throw FileWriteError(
          path: path,
          problem: .unreadableMarker(
            kind: kind.name, marker: kind.marker,
            detail: "its format is \"\(format)\", expected \"\(kind.format)\""))
      }
      holdsSave = true
    } else if !kept.isEmpty {
      for other in SavedFolderKind.all where other != kind && kept.contains(other.marker) {
        let markerPath = PathText.join(location, other.marker)
        if (try? markerFormat(markerPath, in: path, kind: other)) == other.format {
          throw FileWriteError(
            path: path,
            problem: .otherKindOfFolder(kind: kind.name, other: other.name, marker: other.marker))
        }
      }
      let shown = kept.map { entry in
        FileStatus.of(PathText.join(location, entry))?.kind == .directory ? entry + "/" : entry
      }
      throw FileWriteError(
        path: path, problem: .foreignFolder(kind: kind.name, marker: kind.marker, found: shown))
    }
    return SavedFolder(
      kind: kind, path: path, location: location, exists: true, holdsSave: holdsSave)
  }

  /// ``check(_:for:)``, then creates the folder (and its parents) when it does not exist.
  /// - Throws: ``FileWriteError`` naming `path` and why it is refused or could not be created.
  public static func prepare(_ path: String, for kind: SavedFolderKind) throws(FileWriteError)
    -> SavedFolder
  {
    let folder = try check(path, for: kind)
    if folder.exists { return folder }
    try makeDirectories(folder.location, named: path)
    return SavedFolder(
      kind: kind, path: path, location: PathText.real(folder.location) ?? folder.location,
      exists: true, holdsSave: false)
  }

  /// Whether `name`, read from a marker, names a file directly inside the folder (not empty,
  /// no `/`, not `.` or `..`): what loaders accept before opening it.
  public static func isFileName(_ name: String) -> Bool {
    !name.isEmpty && !name.contains("/") && name != "." && name != ".."
  }

  /// The `"format"` of the JSON object in the marker file `file`.
  static func markerFormat(_ file: String, in path: String, kind: SavedFolderKind)
    throws(FileWriteError) -> String
  {
    func refuse(_ detail: String) -> FileWriteError {
      FileWriteError(
        path: path,
        problem: .unreadableMarker(kind: kind.name, marker: kind.marker, detail: detail))
    }
    guard let status = FileStatus.following(file), status.kind == .regularFile else {
      throw refuse("it is not a readable regular file")
    }
    guard let data = FileManager.default.contents(atPath: file) else {
      throw refuse("it cannot be read")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let format = object["format"] as? String
    else { throw refuse("it is not a JSON object with a \"format\" string") }
    return format
  }

  /// `mkdir -p location`, then flushes the new entry's parent directory.
  private static func makeDirectories(_ location: String, named path: String)
    throws(FileWriteError)
  {
    var prefix = ""
    for component in location.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += "/" + component
      if mkdir(prefix, 0o777) == 0 { continue }
      guard errno == EEXIST else { throw .system(path, "creating the folder \(prefix)") }
      guard FileStatus.following(prefix)?.kind == .directory else {
        throw FileWriteError(path: path, problem: .missingDirectory(prefix))
      }
    }
    try PathText.syncDirectory(PathText.directory(of: location))
  }
}
