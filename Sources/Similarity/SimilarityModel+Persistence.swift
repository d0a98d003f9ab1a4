import Foundation
import SimilarityEvaluation
import SimilarityLayers
import SimilaritySearch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `manifest.json` of a saved ``SimilarityModel`` directory: what the other files are and how
/// to rebuild the model from them without any further hints.
struct SavedModelManifest: Codable, Equatable {
  static let fileName = "manifest.json"
  static let indexFileName = "index.simx"
  static let calibrationFileName = "calibration.json"
  static let format = "swift-similarity-model"
  static let formatVersion = 1

  var format: String
  var formatVersion: Int
  /// `Distance.rawValue`.
  var distance: String
  var index: IndexKind
  var indexFile: String
  var dimension: Int
  var inputShape: [Int]
  var indexedClassSizes: [Int: Int]
  /// `calibration.json` when the model is calibrated.
  var calibrationFile: String?
  var calibrationK: Int
}

extension SimilarityModel {
  /// Saves the embedding model, the index (with labels and payloads) and the calibration into
  /// one directory that ``load(from:)`` reads back without hints:
  /// `manifest.json`, `architecture.json`, `model.safetensors`, `index.simx` and, when
  /// calibrated, `calibration.json`.
  ///
  /// The files are written into a temporary sibling directory which then replaces `directory`
  /// by renames, so a crash leaves the old directory or the new one, never a mixture.
  /// - Throws: ``SimilarityModelError/saveFailed(file:reason:)``.
  public func save(to directory: URL) throws {
    let directory = directory.standardizedFileURL
    let manager = FileManager.default
    let parent = directory.deletingLastPathComponent()
    let token = UUID().uuidString
    let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).saving-\(token)")
    do {
      try manager.createDirectory(at: staging, withIntermediateDirectories: true)
    } catch {
      throw SimilarityModelError.saveFailed(file: staging.path, reason: "\(error)")
    }
    var moved = false
    defer { if !moved { try? manager.removeItem(at: staging) } }
    do {
      try Checkpoint.save(embedding, to: staging, metadata: ["kind": "similarity-model"])
    } catch {
      throw SimilarityModelError.saveFailed(file: staging.path, reason: error.description)
    }
    do {
      try index.write(to: staging.appendingPathComponent(SavedModelManifest.indexFileName).path)
    } catch {
      throw SimilarityModelError.saveFailed(file: staging.path, reason: error.description)
    }
    var calibrationFile: String?
    if let calibration {
      calibrationFile = SavedModelManifest.calibrationFileName
      try writeFile(
        try calibration.jsonData(), to: staging.appendingPathComponent(calibrationFile!))
    }
    let manifest = SavedModelManifest(
      format: SavedModelManifest.format, formatVersion: SavedModelManifest.formatVersion,
      distance: distance.rawValue, index: indexKind, indexFile: SavedModelManifest.indexFileName,
      dimension: dimension, inputShape: inputShape, indexedClassSizes: indexedClassSizes,
      calibrationFile: calibrationFile, calibrationK: calibrationK)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeFile(
      try encoder.encode(manifest), to: staging.appendingPathComponent(SavedModelManifest.fileName))
    // Swap the staging directory in.
    let old = parent.appendingPathComponent(".\(directory.lastPathComponent).old-\(token)")
    let existed = manager.fileExists(atPath: directory.path)
    if existed { try renameItem(directory, to: old) }
    try renameItem(staging, to: directory)
    moved = true
    if existed { try? manager.removeItem(at: old) }
    syncDirectory(parent)
  }

  /// Loads a directory written by ``save(to:)``.
  /// - Throws: ``SimilarityModelError/invalidSavedModel(file:reason:)`` naming the missing or
  ///   corrupt file.
  public static func load(from directory: URL) throws -> SimilarityModel {
    let manifestPath = directory.appendingPathComponent(SavedModelManifest.fileName).path
    let manifest = try SavedModelManifest.read(from: directory)
    let distance = Distance(rawValue: manifest.distance)!  // checked by `read`
    let embedding: Sequential
    do {
      embedding = try Checkpoint.loadSequential(from: directory)
    } catch {
      throw SimilarityModelError.invalidSavedModel(
        file: file(named: error), reason: reason(of: error))
    }
    let output = embedding.outputShape
    guard output.count == 2 else {
      throw SimilarityModelError.invalidSavedModel(
        file: directory.appendingPathComponent(Checkpoint.architectureFileName).path,
        reason: "the model outputs \(output.dropFirst().map { $0 ?? 0 }) per example; a "
          + "similarity model's embedding outputs [dimension]")
    }
    let indexPath = try SavedModelManifest.regularFile(
      manifest.indexFile, in: directory, field: "indexFile")
    let index: any VectorIndex
    do {
      index = try manifest.index.loadIndex(from: indexPath)
    } catch {
      let reason =
        error.description.hasPrefix(indexPath + ": ")
        ? String(error.description.dropFirst(indexPath.count + 2)) : error.description
      throw SimilarityModelError.invalidSavedModel(file: indexPath, reason: reason)
    }
    guard index.dimension == manifest.dimension, output[1] == manifest.dimension,
      index.distance == distance
    else {
      throw SimilarityModelError.invalidSavedModel(
        file: indexPath,
        reason: "index has dimension \(index.dimension) and distance \(index.distance); the "
          + "manifest says \(manifest.dimension) and \(distance), the model outputs "
          + "\(output[1].map(String.init) ?? "?")")
    }
    try manifest.checkConsistency(
      embedding: embedding, index: index, indexPath: indexPath, file: manifestPath)
    var calibration: Calibration?
    if let name = manifest.calibrationFile {
      calibration = try SavedModelManifest.readCalibration(
        at: SavedModelManifest.regularFile(name, in: directory, field: "calibrationFile"),
        distance: distance)
    }
    let model = SimilarityModel(
      embedding: embedding, distance: distance, indexKind: manifest.index, index: index,
      calibration: calibration, calibrationK: manifest.calibrationK,
      indexedClassSizes: manifest.indexedClassSizes)
    model.weightsFile = directory.appendingPathComponent(Checkpoint.weightsFileName).path
    return model
  }
}

/// The file a checkpoint error names.
private func file(named error: CheckpointError) -> String {
  switch error {
  case .truncated(let file, _, _), .corruptHeader(let file, _), .unsupportedDType(let file, _, _),
    .invalidOffsets(let file, _, _), .overlappingTensors(let file, _, _),
    .shapeMismatch(let file, _, _, _), .missingTensors(let file, _),
    .unexpectedTensors(let file, _), .corruptArchitecture(let file, _),
    .architecture(let file, _), .unsupportedFormatVersion(let file, _, _), .io(let file, _, _):
    return file
  }
}

/// A checkpoint error's description without its leading file name.
private func reason(of error: CheckpointError) -> String {
  let prefix = file(named: error) + ": "
  let text = error.description
  return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
}

/// Writes `data` to `url` atomically (temporary file and rename).
private func writeFile(_ data: Data, to url: URL) throws {
  do {
    try data.write(to: url, options: .atomic)
  } catch {
    throw SimilarityModelError.saveFailed(file: url.path, reason: "\(error)")
  }
}

private func renameItem(_ source: URL, to destination: URL) throws {
  guard rename(source.path, destination.path) == 0 else {
    throw SimilarityModelError.saveFailed(
      file: destination.path,
      reason: "renaming \(source.path) failed: \(String(cString: strerror(errno)))")
  }
}

/// Flushes a directory's entries (the renames) to disk; best effort.
private func syncDirectory(_ url: URL) {
  let fd = open(url.path, O_RDONLY)
  guard fd >= 0 else { return }
  _ = fsync(fd)
  close(fd)
}
