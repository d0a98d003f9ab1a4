import Foundation

/// Why a data set could not be found, loaded or downloaded. Descriptions name the files and
/// directories involved, what was expected and what was found, and how to fix it.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// One place the loader looked, and why it did not use it.
  public struct SearchedLocation: Equatable, Sendable {
    /// The directory.
    public let directory: URL
    /// Where the directory came from (e.g. "$MNIST_DIR", "the cache").
    public let origin: String
    /// Why it was not used (e.g. "does not exist").
    public let problem: String

    public init(directory: URL, origin: String, problem: String) {
      self.directory = directory
      self.origin = origin
      self.problem = problem
    }
  }

  /// No candidate directory holds the split's files.
  case notFound(dataset: String, split: DatasetSplit, searched: [SearchedLocation], help: String)
  /// The directory the user chose lacks a file (looked for with and without `.gz`).
  case missingFile(dataset: String, directory: URL, file: String, help: String)
  /// The uncompressed content's MD5 is not the expected one; `foundKind` names the known file
  /// that has the found checksum, if any (e.g. "Fashion-MNIST train images").
  case checksumMismatch(
    file: String, expectedKind: String, expectedMD5: String, foundMD5: String, foundKind: String?)
  /// The file is a valid IDX file of the wrong kind (e.g. labels where images were expected).
  case wrongKind(file: String, expected: String, found: String)
  /// The images and labels files disagree on the number of examples.
  case countMismatch(imagesFile: String, imageCount: Int, labelsFile: String, labelCount: Int)
  /// A label is not a valid class index.
  case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
  /// Pixel and label counts do not fit together.
  case inconsistentImages(height: Int, width: Int, labelCount: Int, pixelCount: Int)
  /// Every mirror failed for a file; one reason per URL tried.
  case downloadFailed(file: String, attempts: [String])
  /// A downloaded file could not be stored in the cache.
  case cacheWrite(directory: URL, message: String)

  public var description: String {
    switch self {
    case .notFound(let dataset, let split, let searched, let help):
      let places = searched.map { "  - \($0.directory.path) (\($0.origin)): \($0.problem)" }
      return "\(dataset) \(split) files not found. Looked in:\n"
        + places.joined(separator: "\n") + "\n" + help
    case .missingFile(let dataset, let directory, let file, let help):
      return "\(directory.path) has no \(file).gz or \(file), which \(dataset) needs.\n\(help)"
    case .checksumMismatch(let file, let expectedKind, let expectedMD5, let foundMD5, let found):
      let identity = found.map { "it is \($0)" } ?? "it matches no known file"
      return "\(file): expected \(expectedKind) (uncompressed MD5 \(expectedMD5)), found MD5 "
        + "\(foundMD5) — \(identity). The file is mislabelled, corrupt or from another data set."
    case .wrongKind(let file, let expected, let found):
      return "\(file): expected \(expected), found \(found)"
    case .countMismatch(let imagesFile, let imageCount, let labelsFile, let labelCount):
      return "\(imagesFile) has \(imageCount) images but \(labelsFile) has \(labelCount) labels"
    case .labelOutOfRange(let file, let index, let label, let classCount):
      return "\(file): label \(label) of example \(index) is not a class index (0..<\(classCount))"
    case .inconsistentImages(let height, let width, let labelCount, let pixelCount):
      return "\(labelCount) images of \(height)×\(width) need \(labelCount * height * width) "
        + "pixels, got \(pixelCount)"
    case .downloadFailed(let file, let attempts):
      return "could not download \(file):\n"
        + attempts.map { "  - \($0)" }.joined(separator: "\n")
    case .cacheWrite(let directory, let message):
      return "cannot write to the data set cache \(directory.path): \(message)"
    }
  }
}
