import Foundation
import SimilarityIO

/// Images listed in a CSV or TSV manifest: `path,label` rows (tab-separated when the first line
/// holds a tab), RFC 4180 quoting, an optional header. Relative paths are resolved against the
/// manifest's folder.
///
/// Labels are either all non-negative integers (used as they are; ``classNames`` is `nil`) or
/// class names (numbered `0..<C` in sorted name order). The first row is a header when its
/// fields are names such as `path,label` (`path`, `file`, `filename`, `image`, `image_path`
/// and `label`, `class`, `class_name`, `category`), or when it alone has a non-integer label.
/// Every listed file must exist; none is decoded before ``load(_:)``.
public struct ManifestSource: ExampleSource {
  /// The largest manifest read (256 MiB).
  public static let maximumBytes = 256 << 20

  /// The manifest file.
  public let manifest: String
  public let classNames: [String]?
  public let examples: [SourceExample]
  public var origin: String { manifest }

  static let pathHeaders: Set<String> = ["path", "file", "filename", "image", "image_path"]
  static let labelHeaders: Set<String> = ["label", "class", "class_name", "category"]

  /// Reads and checks `manifest`.
  /// - Throws: ``SourceError`` naming the manifest and row: unreadable file, a row without
  ///   exactly two fields, an empty path, a negative label, a listed file that does not exist.
  public init(manifest: String) throws(SourceError) {
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.contents(
        of: manifest, expected: "a regular CSV or TSV manifest", what: "a manifest",
        limit: Self.maximumBytes)
    } catch {
      throw .unreadable(path: manifest, reason: error.reason)
    }
    var records: [DelimitedText.Record]
    do {
      records = try DelimitedText.records(bytes, delimiter: DelimitedText.delimiter(of: bytes))
    } catch {
      throw .badManifestRow(file: manifest, row: error.line, reason: error.reason)
    }
    for record in records where record.fields.count != 2 {
      throw .badManifestRow(
        file: manifest, row: record.line,
        reason: "expected 2 fields (path, label), found \(record.fields.count): "
          + record.fields.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    if let first = records.first, Self.isHeader(first, following: records.dropFirst()) {
      records.removeFirst()
    }
    guard !records.isEmpty else { throw .emptyManifest(file: manifest) }
    let numeric = records.allSatisfy { Int($0.fields[1].trimmed) != nil }
    let names = numeric ? nil : Set(records.map { $0.fields[1].trimmed }).sorted()
    let numbers = names.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }
    let folder = (manifest as NSString).deletingLastPathComponent
    var examples: [SourceExample] = []
    examples.reserveCapacity(records.count)
    for record in records {
      let path = record.fields[0].trimmed
      let labelText = record.fields[1].trimmed
      guard !path.isEmpty else {
        throw .badManifestRow(file: manifest, row: record.line, reason: "the path is empty")
      }
      let label = numbers?[labelText] ?? Int(labelText) ?? -1
      guard label >= 0 else {
        throw .badManifestRow(
          file: manifest, row: record.line,
          reason: "label \(labelText) is negative; expected 0 or more (or a class name)")
      }
      let resolved =
        path.hasPrefix("/") ? path : (folder.isEmpty ? path : (folder as NSString)
          .appendingPathComponent(path))
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory),
        !isDirectory.boolValue
      else {
        throw .badManifestRow(
          file: manifest, row: record.line,
          reason: "\(resolved) \(isDirectory.boolValue ? "is a directory" : "does not exist"); "
            + "expected an image file (relative paths start at the manifest's folder)")
      }
      examples.append(SourceExample(location: .file(resolved), label: label))
    }
    self.manifest = manifest
    self.classNames = names
    self.examples = examples
  }

  public func load(_ index: Int) throws(SourceError) -> LoadedExample {
    guard case .file(let path) = examples[index].location else {
      preconditionFailure("ManifestSource lists files only")
    }
    do {
      return .image(try DecodedImage.read(path))
    } catch {
      throw .image(error)
    }
  }

  static func isHeader(
    _ first: DelimitedText.Record, following: ArraySlice<DelimitedText.Record>
  ) -> Bool {
    let (path, label) = (first.fields[0].trimmed.lowercased(), first.fields[1].trimmed.lowercased())
    if pathHeaders.contains(path) && labelHeaders.contains(label) { return true }
    return Int(label) == nil && !following.isEmpty
      && following.allSatisfy { Int($0.fields[1].trimmed) != nil }
  }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
