/// Why a sampler could not be built or could not load a batch. Every case names the value or
/// file involved, what was expected and what was found.
public enum SamplerError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The examples and labels differ in count.
  case countMismatch(examples: Int, labels: Int)
  /// There are no examples (after filtering by class).
  case noExamples
  /// A batch asks for more classes than the sampler can draw from.
  case tooManyClasses(requested: Int, available: Int)
  /// A class in the requested class list has no examples.
  case emptyClass(label: Int)
  /// A class has fewer examples than a batch needs and sampling with replacement is disabled.
  case classTooSmall(label: Int, examples: Int, required: Int)
  /// A path that should be a directory is missing or is a file.
  case notADirectory(path: String)
  /// An image folder has no class sub-folders.
  case noClassFolders(path: String)
  /// A class sub-folder holds no image files (`.jpg`, `.jpeg`, `.png`).
  case emptyClassFolder(path: String)
  /// A file could not be read.
  case unreadableFile(path: String, reason: String)
  /// A file is not a PNG image or cannot be decoded (other formats' errors are ``source(_:)``).
  case invalidImage(path: String, reason: String)
  /// An image's size or channel count differs from the first image of the folder.
  case imageShapeMismatch(path: String, expected: [Int], found: [Int])
  /// A data source could not be listed or an example loaded (SimilarityDatasets' error, which
  /// names the file).
  case source(SourceError)
  /// A sampler's augmentation has an invalid step or changes the example shape.
  case invalidAugmentation(ImageAugmentationError)

  public var description: String {
    switch self {
    case .countMismatch(let examples, let labels):
      return "sampler: \(examples) examples but \(labels) labels; expected one label per example"
    case .noExamples:
      return "sampler: no examples to sample from"
    case .tooManyClasses(let requested, let available):
      return "sampler: a batch needs \(requested) classes, but only \(available) are available"
    case .emptyClass(let label):
      return "sampler: class \(label) was requested but has no examples"
    case .classTooSmall(let label, let examples, let required):
      return "sampler: class \(label) has \(examples) examples, a batch needs \(required) "
        + "distinct ones and sampling with replacement is disabled"
    case .notADirectory(let path):
      return "\(path): expected a directory with one sub-folder per class, found none"
    case .noClassFolders(let path):
      return "\(path): expected one sub-folder per class, found no sub-folders"
    case .emptyClassFolder(let path):
      return "\(path): expected images (*.jpg, *.jpeg, *.png) in this class folder, found none"
    case .unreadableFile(let path, let reason):
      return "\(path): cannot be read: \(reason)"
    case .invalidImage(let path, let reason):
      return "\(path): not a valid PNG image: \(reason)"
    case .imageShapeMismatch(let path, let expected, let found):
      return "\(path): image shape \(found) (height, width, channels), expected \(expected) "
        + "like the folder's first image (give the sampler a preprocessor to resize)"
    case .source(let error):
      return error.description
    case .invalidAugmentation(let error):
      return "sampler augmentation: \(error.description)"
    }
  }
}
