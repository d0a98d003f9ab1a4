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
    let manifestPath = directory.appendingPathComponent(SavedModelManifest.fileName).path
    let manifest = try SavedModelManifest.read(from: directory)
    let distance = Distance(rawValue: manifest.distance)!  // checked by `read`
    let embedding: any NetworkModel
    do {
      embedding = try Checkpoint.loadModel(
        architecture: directory.appendingPathComponent(
          manifest.architectureFile ?? Checkpoint.architectureFileName),
        weights: directory.appendingPathComponent(
          manifest.weightsFile ?? Checkpoint.weightsFileName))
    } catch {
      throw SimilarityModelError.invalidSavedModel(
        file: file(named: error), reason: reason(of: error))
    }
    guard embedding.isSingleInputSingleOutput else {
      throw SimilarityModelError.invalidSavedModel(
        file: directory.appendingPathComponent(Checkpoint.architectureFileName).path,
        reason: "the model has \(embedding.inputShapes.count) inputs and "
          + "\(embedding.outputShapes.count) outputs; a similarity model's embedding has one of each")
    }
    let output = embedding.outputShapes[0]
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
