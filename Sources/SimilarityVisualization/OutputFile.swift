import Foundation
import SimilarityIO

/// Why a picture or report was not written: SimilarityIO's ``FileWriteError`` (the path, what is
/// wrong with it and what was expected).
public typealias OutputError = FileWriteError

/// Writes pictures and reports through SimilarityIO's `AtomicFile`, the package's one writer:
/// readers see the old content or the complete new content, never a partial file; a symbolic
/// link is followed (its target written, the link kept); a directory or a device is refused.
public enum OutputFile {
  /// Writes `bytes` to `url`, creating or replacing the file.
  /// - Throws: ``OutputError`` naming the path and the failed step.
  public static func write(_ bytes: [UInt8], to url: URL) throws(OutputError) {
    try AtomicFile.write(bytes, to: url)
  }

  /// Writes `text` as UTF-8 to `url`, atomically.
  /// - Throws: ``OutputError`` naming the path and the failed step.
  public static func write(_ text: String, to url: URL) throws(OutputError) {
    try AtomicFile.write(text, to: url)
  }
}
