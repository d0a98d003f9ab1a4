/// Where one example of a data source lives.
public enum ExampleLocation: Hashable, Sendable {
  /// An image file (PNG or JPEG).
  case file(String)
  /// Row `n` (0-based) of an array file.
  case row(Int)
}

/// One example of a data source: where it is and its label (`0..<classCount`).
public struct SourceExample: Hashable, Sendable {
  /// Where the example is.
  public let location: ExampleLocation
  /// Its class.
  public let label: Int

  /// An example at `location` with `label`.
  public init(location: ExampleLocation, label: Int) {
    self.location = location
    self.label = label
  }
}

/// One example as loaded, before it is fitted to a model's input.
public enum LoadedExample: Sendable {
  /// An 8-bit image (decoded from a file, or a `uint8` array row with 1 or 3 channels).
  case image(DecodedImage)
  /// `Float` values (a `float32` array row), used unscaled.
  case values(FloatImage)

  /// `[height, width, channels]`.
  public var shape: [Int] {
    switch self {
    case .image(let image): image.shape
    case .values(let values): values.shape
    }
  }

  /// The model input for this example: images go through `preprocessor`; `Float` rows are
  /// converted between 1 and 3 channels and fitted to its size but not scaled.
  /// - Throws: ``SourceError/shapeMismatch(path:expected:found:)`` when the fit is
  ///   ``ImageFit/exact`` and the shape differs; ``SourceError/badArray(file:reason:)`` when a
  ///   `Float` row has a channel count other than 1, 3 or the preprocessor's.
  public func prepared(
    by preprocessor: ImagePreprocessor, file: String
  ) throws(SourceError) -> FloatImage {
    if preprocessor.fit == .exact && shape != preprocessor.shape {
      throw .shapeMismatch(path: file, expected: preprocessor.shape, found: shape)
    }
    switch self {
    case .image(let image):
      return preprocessor.prepare(image)
    case .values(let values):
      guard values.channels == preprocessor.channels
        || (values.channels == 1 || values.channels == 3)
      else {
        throw .badArray(
          file: file,
          reason: "rows have \(values.channels) channels; the model input needs "
            + "\(preprocessor.channels)")
      }
      return preprocessor.fitted(values.converted(toChannels: preprocessor.channels))
    }
  }
}

/// A labelled collection of examples that can be listed without decoding them and loaded one
/// at a time (from any thread): an image folder, a CSV/TSV manifest or `.npy` arrays.
public protocol ExampleSource: Sendable {
  /// Every example, in a fixed order; index `i` is what ``load(_:)`` takes.
  var examples: [SourceExample] { get }
  /// The name of every class (`classNames[label]`), or `nil` when labels are only numbers.
  var classNames: [String]? { get }
  /// A file naming the source in messages (the folder, manifest or array file).
  var origin: String { get }
  /// Reads (and decodes) example `index`.
  /// - Throws: ``SourceError`` naming the file (or array row).
  func load(_ index: Int) throws(SourceError) -> LoadedExample
}

extension ExampleSource {
  /// The labels of ``examples``, in order.
  public var labels: [Int] { examples.map(\.label) }

  /// The file named in messages about example `index`.
  public func name(of index: Int) -> String {
    switch examples[index].location {
    case .file(let path): path
    case .row(let row): "\(origin) row \(row)"
    }
  }
}
