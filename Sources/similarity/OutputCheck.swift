import ArgumentParser
import Foundation
import SimilarityIO

/// The checks a command makes on its outputs before it starts working (SimilarityIO's
/// `OutputPath` and `SavedFolder`), as errors that begin with the option:
/// `--out /dev/null: is a character device; expected a regular file or a name that does not
/// exist yet`. The writes themselves go through SimilarityIO's `AtomicFile`, which checks again.
enum OutputCheck {
  /// An input of a command, as an output check compares it: the option (or argument) that
  /// named it and its path.
  typealias Input = (label: String, path: String)

  /// Refuses an output file that is a directory, a device, a FIFO, a socket, a link to one of
  /// those or to nothing, sits in a missing directory, or is one of `inputs`.
  /// - Returns: the file a write creates or replaces (the target when `path` is a link).
  @discardableResult
  static func file(_ option: String, _ path: String, inputs: [Input] = []) throws -> String {
    do {
      return try OutputPath.check(path, inputs: inputs)
    } catch {
      throw ValidationError("\(option) \(error)")
    }
  }

  /// Refuses a folder output that cannot take a save of `kind` without losing anything: a
  /// non-empty folder that is not such a save, a save of another kind, a file or a device.
  @discardableResult
  static func folder(_ option: String, _ path: String, for kind: SavedFolderKind) throws
    -> SavedFolder
  {
    do {
      return try SavedFolder.check(path, for: kind)
    } catch {
      throw ValidationError("\(option) \(error)")
    }
  }

  /// Every file a saved folder of `kind` at `directory` owns (marker, data files, companions),
  /// as inputs labelled `label`: what an output file must not overwrite.
  static func savedFiles(in directory: String, of kind: SavedFolderKind, label: String)
    -> [Input]
  {
    kind.ownedFiles.map { (label: label, path: URL(fileURLWithPath: directory).appendingPathComponent($0).path) }
  }

  /// `path`, followed by ` (→ target)` when writing `path` writes another file (a link).
  static func describe(_ path: String, writing target: String) -> String {
    target == path ? path : "\(path) (→ \(target))"
  }
}
