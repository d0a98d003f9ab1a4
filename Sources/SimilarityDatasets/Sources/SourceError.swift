/// Why a data source could not be listed or one of its examples loaded. Every case names the
/// file (and the row, for manifests and arrays), what was expected and what was found.
public enum SourceError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A path that should be a directory is missing or is a file.
  case notADirectory(path: String)
  /// An image folder has no class sub-folders.
  case noClassFolders(path: String)
  /// A class sub-folder holds no `.jpg`, `.jpeg` or `.png` file.
  case emptyClassFolder(path: String)
  /// A folder or file could not be listed or read.
  case unreadable(path: String, reason: String)
  /// A manifest row is malformed (`row` is the 1-based line where the record starts).
  case badManifestRow(file: String, row: Int, reason: String)
  /// A manifest lists no examples.
  case emptyManifest(file: String)
  /// A `.npy` file could not be read or has the wrong type or shape.
  case badArray(file: String, reason: String)
  /// The image and label arrays disagree in length.
  case labelCountMismatch(images: String, examples: Int, labels: String, count: Int)
  /// An example's image could not be read or decoded.
  case image(ImageError)
  /// `.npy` images were given without a labels file.
  case missingLabels(images: String)
  /// A labels file was given with a folder or manifest, which carry their own labels.
  case unexpectedLabels(data: String, labels: String)
  /// An example's `[height, width, channels]` differs from the model input's, and the
  /// preprocessor's fit is ``ImageFit/exact``.
  case shapeMismatch(path: String, expected: [Int], found: [Int])

  /// The file or folder the error is about.
  public var path: String {
    switch self {
    case .notADirectory(let path), .noClassFolders(let path), .emptyClassFolder(let path),
      .unreadable(let path, _):
      path
    case .badManifestRow(let file, _, _), .emptyManifest(let file), .badArray(let file, _):
      file
    case .labelCountMismatch(let images, _, _, _): images
    case .image(let error): error.path
    case .missingLabels(let images): images
    case .unexpectedLabels(let data, _): data
    case .shapeMismatch(let path, _, _): path
    }
  }

  public var description: String {
    switch self {
    case .notADirectory(let path):
      return "\(path): expected a directory with one sub-folder per class, found none"
    case .noClassFolders(let path):
      return "\(path): expected one sub-folder per class, found no sub-folders"
    case .emptyClassFolder(let path):
      return "\(path): expected images (*.jpg, *.jpeg, *.png) in this class folder, found none"
    case .unreadable(let path, let reason):
      return "\(path): cannot be read: \(reason)"
    case .badManifestRow(let file, let row, let reason):
      return "\(file): row \(row): \(reason)"
    case .emptyManifest(let file):
      return "\(file): expected `path,label` rows, found none"
    case .badArray(let file, let reason):
      return "\(file): \(reason)"
    case .labelCountMismatch(let images, let examples, let labels, let count):
      return "\(labels): \(count) labels, but \(images) holds \(examples) examples; expected "
        + "one label per example"
    case .image(let error):
      return error.description
    case .missingLabels(let images):
      return "\(images): .npy images need their labels in a second .npy file ([N] integers)"
    case .unexpectedLabels(let data, let labels):
      return "\(labels): a labels file goes with .npy images only; \(data) carries its own "
        + "labels (class folders or the manifest's label column)"
    case .shapeMismatch(let path, let expected, let found):
      return "\(path): image shape \(found) (height, width, channels), expected \(expected); "
        + "choose a fit that resizes (stretch, center-crop or pad) to accept other sizes"
    }
  }
}
