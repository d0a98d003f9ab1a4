/// Errors caused by user data given to an index: vectors, ids, queries and index files.
/// (Programmer errors such as negative capacities are `precondition`s.)
public enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A vector (row `row` of a batch, if any) has `found` components; the index expects `expected`.
  case dimensionMismatch(expected: Int, found: Int, row: Int?)
  /// A vector component is NaN or infinite.
  case nonFiniteComponent(row: Int?, component: Int, value: Float)
  /// A vector cannot be used with the distance (zero vector for cosine, constant vector as an
  /// SNR query).
  case zeroVector(row: Int?, distance: Distance)
  /// `k` must be at least 1.
  case invalidK(Int)
  /// No item has this id.
  case unknownID(Int)
  /// An item with this id is already present (use `update`).
  case duplicateID(Int)
  /// The index has no items to search.
  case emptyIndex
  /// Batch inputs disagree in length (e.g. labels vs vectors).
  case countMismatch(what: String, expected: Int, found: Int)
  /// An index file could not be read, written or validated.
  case file(IndexFileError)

  public var description: String {
    func at(_ row: Int?) -> String { row.map { " (row \($0))" } ?? "" }
    switch self {
    case .dimensionMismatch(let expected, let found, let row):
      return "vector\(at(row)) has \(found) components; the index has dimension \(expected)"
    case .nonFiniteComponent(let row, let component, let value):
      return "vector\(at(row)) component \(component) is \(value); only finite values allowed"
    case .zeroVector(let row, let distance):
      return distance == .snr
        ? "vector\(at(row)) is constant, so var(query) = 0 and the SNR distance is undefined"
        : "vector\(at(row)) has zero length and cannot be normalised for \(distance) distance"
    case .invalidK(let k): return "k must be at least 1, got \(k)"
    case .unknownID(let id): return "no item with id \(id) in the index"
    case .duplicateID(let id): return "an item with id \(id) is already in the index (use update)"
    case .emptyIndex: return "the index is empty; add items before searching"
    case .countMismatch(let what, let expected, let found):
      return "\(what): expected \(expected) entries (one per vector), found \(found)"
    case .file(let error): return error.description
    }
  }
}

/// A problem with an index file: what was expected, what was found, and the file's path.
public struct IndexFileError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The kind of problem.
  public enum Kind: Equatable, Sendable {
    case io
    /// Nothing exists at the path.
    case missing
    /// The path is a directory, a device, a FIFO or a socket.
    case notRegularFile
    case truncated
    case badMagic
    case unsupportedVersion
    case corrupt
    case checksumMismatch
  }
  /// The kind of problem.
  public var kind: Kind
  /// The file's path.
  public var path: String
  /// What the reader expected and what it found.
  public var detail: String

  /// Creates an error for `path`.
  public init(_ kind: Kind, path: String, _ detail: String) {
    self.kind = kind
    self.path = path
    self.detail = detail
  }

  public var description: String {
    let what: String
    switch kind {
    case .missing, .notRegularFile: return "\(path): \(detail)"
    case .io: what = "I/O error"
    case .truncated: what = "truncated index file"
    case .badMagic: what = "not a swift-similarity index file"
    case .unsupportedVersion: what = "unsupported index file version"
    case .corrupt: what = "corrupt index file"
    case .checksumMismatch: what = "index file checksum mismatch"
    }
    return "\(path): \(what): \(detail)"
  }
}
