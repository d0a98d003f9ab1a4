import Foundation
import SimilarityEvaluation
import SimilarityIO
import SimilarityLayers
import SimilaritySearch

/// The checks `SimilarityModel.load(from:)` applies to a saved model directory before trusting
/// it: every value of `manifest.json` in range, the files it names plain regular files inside
/// the directory, and every part consistent with the others (architecture, index, calibration).
/// Each failure is a ``SimilarityModelError/invalidSavedModel(file:reason:)`` naming the file,
/// the value and what was expected.
extension SavedModelManifest {
  /// The largest manifest read (1 MiB; a saved one is a few hundred bytes).
  static let maximumBytes = 1 << 20
  /// The largest calibration file read (256 MiB: one threshold and six curve values per
  /// calibration query).
  static let maximumCalibrationBytes = 256 << 20

  /// Reads `manifest.json` of `directory` (strict JSON) and checks its own values.
  static func read(from directory: URL) throws(SimilarityModelError) -> SavedModelManifest {
    let path = directory.appendingPathComponent(fileName).path
    let manifest: SavedModelManifest
    do {
      manifest = try JSONFile.read(
        SavedModelManifest.self, from: path, what: "a model manifest", limit: maximumBytes)
    } catch let error as FileReadError where error.kind == .missing {
      throw .invalidSavedModel(
        file: path, reason: "missing; expected a directory written by SimilarityModel.save(to:)")
    } catch {
      throw .invalidSavedModel(file: path, reason: (error as? FileReadError)?.reason ?? "\(error)")
    }
    try manifest.validate(file: path)
    return manifest
  }

  /// Checks every field on its own: format and version, distance, file names, index
  /// parameters, dimension, input shape, class sizes and calibration k.
  func validate(file: String) throws(SimilarityModelError) {
    func fail(_ reason: String) -> SimilarityModelError {
      .invalidSavedModel(file: file, reason: reason)
    }
    guard format == Self.format else {
      throw fail("format is \"\(format)\", expected \"\(Self.format)\"")
    }
    guard formatVersion == Self.formatVersion else {
      throw fail("format version \(formatVersion) is not supported, expected \(Self.formatVersion)")
    }
    guard Distance(rawValue: distance) != nil else {
      throw fail(
        "unknown distance \"\(distance)\"; expected one of "
          + Distance.allCases.map(\.rawValue).joined(separator: ", "))
    }
    try Self.checkFileName(indexFile, field: "indexFile", file: file)
    if let architectureFile {
      try Self.checkFileName(architectureFile, field: "architectureFile", file: file)
    }
    if let weightsFile { try Self.checkFileName(weightsFile, field: "weightsFile", file: file) }
    if let calibrationFile {
      try Self.checkFileName(calibrationFile, field: "calibrationFile", file: file)
    }
    if case .hnsw(let m, let efC, let ef) = index {
      guard (2...255).contains(m), efC >= 1, ef >= 1 else {
        throw fail("index: expected HNSW maxConnections in 2…255 and ef ≥ 1, found M \(m), "
                     + "efConstruction \(efC), efSearch \(ef)")
      }
    }
    let limits = ArchitectureLimits.standard
    guard (1...limits.maximumExtent).contains(dimension) else {
      throw fail("dimension \(dimension) is not in 1…\(limits.maximumExtent)")
    }
    guard !inputShape.isEmpty, inputShape.count <= limits.maximumRank,
      inputShape.allSatisfy((1...limits.maximumExtent).contains),
      let elements = inputShape.checkedProduct(), elements <= limits.maximumActivationElements
    else {
      throw fail(
        "inputShape \(inputShape) must have 1…\(limits.maximumRank) extents in "
          + "1…\(limits.maximumExtent) and at most \(limits.maximumActivationElements) elements")
    }
    if let (label, size) = indexedClassSizes.first(where: { $0.value < 1 }) {
      throw fail("indexedClassSizes gives label \(label) \(size) items; expected at least 1")
    }
    guard calibrationK >= 1 else { throw fail("calibrationK \(calibrationK) must be at least 1") }
  }

  /// Throws unless `name` is a plain file name: not empty, not `.` or `..`, no `/` (so the
  /// file is inside the model directory, which must be self-contained).
  static func checkFileName(_ name: String, field: String, file: String)
    throws(SimilarityModelError)
  {
    guard SavedFolder.isFileName(name), !name.contains("\0") else {
      throw .invalidSavedModel(
        file: file,
        reason: "\(field) \"\(name)\" is not a plain file name; a model directory is "
          + "self-contained, so it names files inside it (no '/', not '..')")
    }
  }

  /// `directory/name` after checking it is a regular file itself (not a symbolic link, which
  /// could lead out of the directory, nor a directory or a device).
  static func regularFile(_ name: String, in directory: URL, field: String)
    throws(SimilarityModelError) -> String
  {
    let path = directory.appendingPathComponent(name).path
    switch FileKind(linkAt: path) {
    case .regularFile:
      return path
    case nil:
      throw .invalidSavedModel(file: path, reason: "missing; the manifest's \(field) names it")
    case let kind?:
      throw .invalidSavedModel(
        file: path,
        reason: "is \(kind), expected a regular file inside the model directory (the "
          + "manifest's \(field))")
    }
  }

  /// Checks what the manifest says against the loaded parts.
  func checkConsistency(
    embedding: any NetworkModel, index: any VectorIndex, indexPath: String, file: String
  ) throws(SimilarityModelError) {
    guard inputShape == embedding.inputShapes[0] else {
      throw .invalidSavedModel(
        file: file,
        reason: "inputShape \(inputShape) disagrees with the input \(embedding.inputShapes[0]) of "
          + "\(Checkpoint.architectureFileName)")
    }
    let labels = index.itemSummary.labelCounts
    guard labels == indexedClassSizes else {
      let differing = Set(labels.keys).union(indexedClassSizes.keys).sorted().filter {
        labels[$0] != indexedClassSizes[$0]
      }
      let shown = differing.prefix(5).map { label in
        "label \(label): manifest \(indexedClassSizes[label] ?? 0), index \(labels[label] ?? 0)"
      }
      throw .invalidSavedModel(
        file: file,
        reason: "indexedClassSizes disagree with the labels stored in \(indexPath) ("
          + shown.joined(separator: "; ") + (differing.count > 5 ? "; …" : "") + ")")
    }
  }

  /// Reads the calibration file (strict JSON, consistent parts, thresholds a `distance` can
  /// produce).
  static func readCalibration(at path: String, distance: Distance) throws(SimilarityModelError)
    -> Calibration
  {
    func fail(_ reason: String) -> SimilarityModelError {
      .invalidSavedModel(file: path, reason: reason)
    }
    let calibration: Calibration
    do {
      let bytes = try RegularFile.contents(
        of: path, expected: "a regular calibration.json file", what: "a calibration",
        limit: maximumCalibrationBytes)
      let inexact = try JSONFile.check(bytes, path: path, what: "a calibration")
      do {
        calibration = try Calibration(jsonData: Data(bytes))
      } catch let error as DecodingError {
        throw fail("not a valid calibration: \(JSONFile.describe(error, inexactNumbers: inexact))")
      }
    } catch let error as SimilarityModelError {
      throw error
    } catch let error as CalibrationError {
      throw fail(error.description)
    } catch let error as FileReadError {
      throw fail(error.reason)
    } catch {
      throw fail("not a valid calibration: \(error)")
    }
    if !distance.isSimilarity, let lowest = calibration.thresholds.first, lowest < 0 {
      throw fail(
        "threshold \(lowest) is negative; \(distance) distances are ≥ 0 (only inner-product "
          + "similarities can be negative)")
    }
    return calibration
  }
}
