/// Why a file could not be read, or why its contents were refused before they were trusted.
/// ``description`` is `"<path>: <reason>"`; the reason says what was expected and what was found.
public struct FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of problem.
  public enum Kind: Equatable, Sendable {
    /// Nothing exists at the path.
    case missing
    /// The path names something other than a regular file.
    case notRegularFile(FileKind)
    /// The file is larger than the reader accepts.
    case tooLarge
    /// The file ended before the bytes its size or header promised.
    case truncated
    /// The operating system refused or failed the operation.
    case io
    /// The bytes are not the JSON document expected (syntax, duplicate keys, out-of-range
    /// numbers, or a structure the decoder does not accept).
    case invalidJSON
  }

  /// The kind of problem.
  public var kind: Kind
  /// The file's path.
  public var path: String
  /// What was expected and what was found, without the path.
  public var reason: String

  /// An error about `path`.
  public init(_ kind: Kind, path: String, _ reason: String) {
    self.kind = kind
    self.path = path
    self.reason = reason
  }

  /// `"<path>: <reason>"`.
  public var description: String { "\(path): \(reason)" }
}
