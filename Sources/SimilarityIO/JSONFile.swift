import Foundation

/// Reading the JSON files of a model or run directory (`manifest.json`, `architecture.json`,
/// `calibration.json`, `run.json`, `siamese.json`): a bounded read of a regular file,
/// ``StrictJSON`` (duplicate keys, out-of-range numbers), then `JSONDecoder`, with every failure
/// reported as a ``FileReadError`` that names the file, the field and what was wrong.
public enum JSONFile {
  /// The largest JSON file read by default (64 MiB): far above any file these formats write.
  public static let defaultLimit = 64 << 20

  /// Reads and decodes the regular file at `path`.
  ///
  /// - Parameters:
  ///   - what: the file's role for messages, e.g. `"a model manifest"`.
  ///   - decoder: configured as the format needs (e.g. non-conforming float strings).
  /// - Throws: ``FileReadError``; errors thrown by `T`'s own `init(from:)` other than
  ///   `DecodingError` pass through unchanged.
  public static func read<T: Decodable>(
    _ type: T.Type, from path: String, what: String, limit: Int = defaultLimit,
    decoder: JSONDecoder = JSONDecoder()
  ) throws -> T {
    let bytes = try RegularFile.contents(
      of: path, expected: "\(what) (a regular JSON file)", what: what, limit: limit)
    return try decode(type, from: bytes, path: path, what: what, decoder: decoder)
  }

  /// Checks `bytes` with ``StrictJSON`` and decodes them; `path` and `what` name the file.
  public static func decode<T: Decodable>(
    _ type: T.Type, from bytes: [UInt8], path: String, what: String,
    decoder: JSONDecoder = JSONDecoder()
  ) throws -> T {
    let inexact = try check(bytes, path: path, what: what)
    do {
      return try decoder.decode(type, from: Data(bytes))
    } catch let error as DecodingError {
      throw FileReadError(
        .invalidJSON, path: path, "not \(what): \(describe(error, inexactNumbers: inexact))")
    }
  }

  /// ``StrictJSON/check(_:)`` with its error as a ``FileReadError`` naming the file.
  @discardableResult
  public static func check(_ bytes: [UInt8], path: String, what: String) throws(FileReadError)
    -> [StrictJSON.InexactNumber]
  {
    do {
      return try StrictJSON.check(bytes)
    } catch {
      throw FileReadError(.invalidJSON, path: path, "not \(what): \(error)")
    }
  }

  /// A decoding error as `at <field path>: <what was wrong>`. Foundation reports a number that
  /// does not fit its field as "not valid JSON" without a path; for a document that passed
  /// ``StrictJSON`` that can only be such a number, so the candidates are named instead.
  public static func describe(
    _ error: DecodingError, inexactNumbers: [StrictJSON.InexactNumber] = []
  ) -> String {
    let context: DecodingError.Context
    switch error {
    case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c),
      .valueNotFound(_, let c):
      context = c
    @unknown default:
      return "\(error)"
    }
    let path = context.codingPath.map { key in
      key.intValue.map { "[\($0)]" } ?? key.stringValue
    }.reduce("") { text, part in
      part.hasPrefix("[") || text.isEmpty ? text + part : text + "." + part
    }
    var message = context.debugDescription
    if case .keyNotFound(let key, _) = error {
      message = "missing key \"\(key.stringValue)\""
    }
    if case .dataCorrupted = error, path.isEmpty, !inexactNumbers.isEmpty {
      let listed = inexactNumbers.map { "\($0.text) at \($0.path)" }.joined(separator: ", ")
      return "a number does not fit the field it is read into (integer fields take whole "
        + "numbers within 64 bits); numbers that are not such integers: \(listed)"
    }
    return path.isEmpty ? message : "at \(path): \(message)"
  }
}
