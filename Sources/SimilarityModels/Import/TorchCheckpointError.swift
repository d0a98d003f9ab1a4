/// Why a PyTorch checkpoint (`.pth`/`.pt`) was refused. Every case names the file; the reason
/// says what was expected and what was found. ``description`` is `"<file>: <reason>"`.
public struct TorchCheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of problem.
  public enum Kind: Equatable, Sendable {
    /// The file cannot be opened or read, or is larger than the reader accepts.
    case io
    /// The file is neither a zip archive nor a legacy PyTorch serialization.
    case notACheckpoint
    /// The file ends before the bytes a pickle, a zip record or a storage declares.
    case truncated
    /// A pickle opcode outside the state-dict subset (its byte value and name, if known).
    case forbiddenOpcode(UInt8)
    /// A pickle global outside the whitelist (`module.name`): nothing is ever executed.
    case forbiddenGlobal(String)
    /// A size, count, nesting depth or memo beyond the reader's limits.
    case limitExceeded
    /// The structure is not a PyTorch state dict (wrong stack contents, bad tensor metadata).
    case malformed
    /// A zip entry is compressed or otherwise not stored plainly.
    case unsupportedZipEntry
  }

  /// The kind of problem.
  public var kind: Kind
  /// The checkpoint's path.
  public var file: String
  /// What was expected and what was found, without the path.
  public var reason: String

  /// An error about `file`.
  public init(_ kind: Kind, file: String, _ reason: String) {
    self.kind = kind
    self.file = file
    self.reason = reason
  }

  /// `"<file>: <reason>"`.
  public var description: String { "\(file): \(reason)" }
}
