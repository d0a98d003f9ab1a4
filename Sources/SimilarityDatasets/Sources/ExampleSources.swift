import Foundation

/// Opens the data source a path names, as `--data PATH [--labels y.npy]` means it: a directory
/// is an image folder, a file starting with the `.npy` magic is an image array (with `labels`),
/// any other file a CSV/TSV manifest.
public enum ExampleSources {
  /// The source at `data`.
  /// - Throws: ``SourceError``: the source's own errors, ``SourceError/missingLabels(images:)``
  ///   for `.npy` images without `labels`, ``SourceError/unexpectedLabels(data:labels:)`` for
  ///   `labels` with a folder or manifest, ``SourceError/unreadable(path:reason:)`` for a
  ///   path that does not exist.
  public static func open(data: String, labels: String? = nil) throws(SourceError)
    -> any ExampleSource
  {
    if ImageFolderSource.isDirectory(data) {
      if let labels { throw .unexpectedLabels(data: data, labels: labels) }
      return try ImageFolderSource(directory: data)
    }
    guard FileManager.default.fileExists(atPath: data) else {
      throw .unreadable(
        path: data, reason: "does not exist; expected a folder of class folders, a CSV/TSV "
          + "manifest or a .npy file")
    }
    if isNPY(data) {
      guard let labels else { throw .missingLabels(images: data) }
      return try NPYImageSource(images: data, labels: labels)
    }
    if let labels { throw .unexpectedLabels(data: data, labels: labels) }
    return try ManifestSource(manifest: data)
  }

  /// Whether the file at `path` starts with `\x93NUMPY`.
  static func isNPY(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    let prefix = (try? handle.read(upToCount: NPYFile.magic.count)) ?? Data()
    return Array(prefix) == NPYFile.magic
  }
}
