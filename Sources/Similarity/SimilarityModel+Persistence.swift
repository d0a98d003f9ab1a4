import Foundation
import SimilarityEvaluation
import SimilarityIO
import SimilarityLayers
import SimilaritySearch

/// `manifest.json` of a saved ``SimilarityModel`` directory: what the other files are and how
/// to rebuild the model from them without any further hints.
struct SavedModelManifest: Codable, Equatable {
  static let fileName = SavedFolderKind.similarityModel.marker
  static let indexFileName = "index.simx"
  static let calibrationFileName = "calibration.json"
  static let format = SavedFolderKind.similarityModel.format
  static let formatVersion = 1

  var format: String
  var formatVersion: Int
  /// `Distance.rawValue`.
  var distance: String
  var index: IndexKind
  /// Where the embedding's architecture is stored when not in `architecture.json` (only while a
  /// save is between its two markers; see `SavedFolder.commit`).
  var architectureFile: String?
  /// Where the embedding's weights are stored when not in `model.safetensors` (as above).
  var weightsFile: String?
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
  /// The directory belongs to the model only as far as those files go (SimilarityIO's
  /// `SavedFolder`): a new or empty directory is used (and created with its parents), a saved
  /// model's files are replaced, `calibration.json` is removed when the model is no longer
  /// calibrated, and every other file (a report, notes, sub-folders, the command-line tool's
  /// `run.json`) is left alone. A non-empty directory without a model manifest, a saved model
  /// of another kind, a regular file or a device is refused. The files are staged under new
  /// names and committed by the manifest, so a crash at any moment leaves the previous model
  /// or the new one, complete.
  /// - Throws: ``SimilarityModelError/saveFailed(file:reason:)`` naming the file and why.
  public func save(to directory: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let architecture = Checkpoint.architectureFileName
    let weights = Checkpoint.weightsFileName
    do {
      let folder = try SavedFolder.prepare(directory.path, for: .similarityModel)
      var files: [SavedFolder.File] = [
        .init(name: architecture) { path in
          try Checkpoint.writeArchitecture(of: self.embedding, to: URL(fileURLWithPath: path))
        },
        .init(name: weights) { path in
          try Checkpoint.saveWeights(
            of: self.embedding, to: URL(fileURLWithPath: path),
            metadata: ["kind": "similarity-model"])
        },
        .init(name: SavedModelManifest.indexFileName) { path in try self.index.write(to: path) },
      ]
      if let calibration {
        files.append(
          .init(name: SavedModelManifest.calibrationFileName, bytes: Array(try calibration.jsonData())))
      }
      try folder.commit(files) { names in
        func moved(_ name: String) -> String? { names[name] == name ? nil : names[name] }
        let manifest = SavedModelManifest(
          format: SavedModelManifest.format, formatVersion: SavedModelManifest.formatVersion,
          distance: distance.rawValue, index: indexKind, architectureFile: moved(architecture),
          weightsFile: moved(weights), indexFile: names[SavedModelManifest.indexFileName]!,
          dimension: dimension, inputShape: inputShape, indexedClassSizes: indexedClassSizes,
          calibrationFile: names[SavedModelManifest.calibrationFileName],
          calibrationK: calibrationK)
        return Array(try encoder.encode(manifest))
      }
    } catch let error as FileWriteError {
      throw SimilarityModelError.saveFailed(file: error.path, reason: error.reason)
    } catch let error as CheckpointError {
      throw SimilarityModelError.saveFailed(file: file(named: error), reason: reason(of: error))
    } catch SearchError.file(let error) {
      throw SimilarityModelError.saveFailed(file: error.path, reason: error.detail)
    } catch {
      throw SimilarityModelError.saveFailed(file: directory.path, reason: "\(error)")
    }
  }

  /// Loads a directory written by ``save(to:)``.
  /// - Throws: ``SimilarityModelError/invalidSavedModel(file:reason:)`` naming the missing or
  ///   corrupt file.
  public static func load(from directory: URL) throws -> SimilarityModel {
    let manifestURL = directory.appendingPathComponent(SavedModelManifest.fileName)
    guard let manifestData = FileManager.default.contents(atPath: manifestURL.path) else {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path,
        reason: "missing; expected a directory written by SimilarityModel.save(to:)")
    }
    let manifest: SavedModelManifest
    do {
      manifest = try JSONDecoder().decode(SavedModelManifest.self, from: manifestData)
    } catch {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path, reason: "not a valid model manifest: \(error)")
    }
    guard manifest.format == SavedModelManifest.format else {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path,
        reason: "format is \"\(manifest.format)\", expected \"\(SavedModelManifest.format)\"")
    }
    guard manifest.formatVersion == SavedModelManifest.formatVersion else {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path,
        reason: "format version \(manifest.formatVersion) is not supported, expected "
          + "\(SavedModelManifest.formatVersion)")
    }
    guard let distance = Distance(rawValue: manifest.distance) else {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path, reason: "unknown distance \"\(manifest.distance)\"")
    }
    for name in [manifest.architectureFile, manifest.weightsFile, manifest.indexFile,
                 manifest.calibrationFile].compactMap({ $0 })
    where !SavedFolder.isFileName(name) {
      throw SimilarityModelError.invalidSavedModel(
        file: manifestURL.path,
        reason: "file name \"\(name)\" is not a name inside the model directory")
    }
    let embedding: Sequential
    do {
      embedding = try Checkpoint.loadSequential(
        architecture: directory.appendingPathComponent(
          manifest.architectureFile ?? Checkpoint.architectureFileName),
        weights: directory.appendingPathComponent(
          manifest.weightsFile ?? Checkpoint.weightsFileName))
    } catch {
      throw SimilarityModelError.invalidSavedModel(
        file: file(named: error), reason: reason(of: error))
    }
    let indexPath = directory.appendingPathComponent(manifest.indexFile).path
    let index: any VectorIndex
    do {
      index = try manifest.index.loadIndex(from: indexPath)
    } catch {
      let reason =
        error.description.hasPrefix(indexPath + ": ")
        ? String(error.description.dropFirst(indexPath.count + 2)) : error.description
      throw SimilarityModelError.invalidSavedModel(file: indexPath, reason: reason)
    }
    let output = embedding.outputShape.last.flatMap { $0 }
    guard index.dimension == manifest.dimension, output == manifest.dimension,
      index.distance == distance
    else {
      throw SimilarityModelError.invalidSavedModel(
        file: indexPath,
        reason: "index has dimension \(index.dimension) and distance \(index.distance); the "
          + "manifest says \(manifest.dimension) and \(distance), the model outputs "
          + "\(output.map(String.init) ?? "?")")
    }
    var calibration: Calibration?
    if let name = manifest.calibrationFile {
      let url = directory.appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw SimilarityModelError.invalidSavedModel(
          file: url.path, reason: "missing; the manifest says the model is calibrated")
      }
      do {
        calibration = try Calibration(jsonData: data)
      } catch {
        throw SimilarityModelError.invalidSavedModel(
          file: url.path, reason: "not a valid calibration: \(error)")
      }
    }
    return SimilarityModel(
      embedding: embedding, distance: distance, indexKind: manifest.index, index: index,
      calibration: calibration, calibrationK: manifest.calibrationK,
      indexedClassSizes: manifest.indexedClassSizes)
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
