import ArgumentParser
import Foundation
import SimilarityIO
import SimilarityLayers

/// The settings and results of a saved siamese run (`siamese.json`), the marker of a siamese run
/// folder: it names the tower's checkpoint files beside it.
struct SiameseRun: Codable {
  static let fileName = SavedFolderKind.siameseRun.marker
  static let format = SavedFolderKind.siameseRun.format
  static let formatVersion = 1

  var format = Self.format
  var formatVersion = Self.formatVersion
  var dataset: DatasetChoice
  var limit: Int?
  var seed: UInt64
  var batchSize: Int
  var margin: Float
  var learningRate: Float
  var threshold: Float
  var epochs: Int
  var report: SiameseReport
  /// Where the tower's architecture is when not in `architecture.json` (only while a save is
  /// between its two markers; see `SavedFolder.commit`).
  var architectureFile: String?
  /// Where the tower's weights are when not in `model.safetensors` (as above).
  var weightsFile: String?

  init(
    dataset: DatasetChoice, limit: Int?, seed: UInt64, batchSize: Int, margin: Float,
    learningRate: Float, threshold: Float, epochs: Int, report: SiameseReport
  ) {
    (self.dataset, self.limit, self.seed, self.batchSize) = (dataset, limit, seed, batchSize)
    (self.margin, self.learningRate, self.threshold) = (margin, learningRate, threshold)
    (self.epochs, self.report) = (epochs, report)
  }

  /// Saves `tower` and this run into the folder `path` (new, empty, or a saved siamese run,
  /// whose own files only are replaced) through SimilarityIO's `SavedFolder`: a crash leaves
  /// the previous run or this one.
  func save(_ tower: any NetworkModel, to path: String) throws {
    let folder = try SavedFolder.prepare(path, for: .siameseRun)
    let architecture = Checkpoint.architectureFileName
    let weights = Checkpoint.weightsFileName
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try folder.commit([
      .init(name: architecture) { try Checkpoint.writeArchitecture(of: tower, to: URL(fileURLWithPath: $0)) },
      .init(name: weights) {
        try Checkpoint.saveWeights(
          of: tower, to: URL(fileURLWithPath: $0), metadata: ["kind": "siamese-tower"])
      },
    ]) { names in
      var run = self
      run.architectureFile = names[architecture] == architecture ? nil : names[architecture]
      run.weightsFile = names[weights] == weights ? nil : names[weights]
      return Array(try encoder.encode(run))
    }
  }

  /// The tower saved beside this run in `directory` (a Sequential or a Functional graph).
  func loadTower(from directory: URL) throws -> any NetworkModel {
    let names = [architectureFile ?? Checkpoint.architectureFileName,
                 weightsFile ?? Checkpoint.weightsFileName]
    if let bad = names.first(where: { !SavedFolder.isFileName($0) }) {
      throw ValidationError(
        "\(directory.appendingPathComponent(Self.fileName).path): file name \"\(bad)\" is not a "
          + "name inside the run's folder")
    }
    return try Checkpoint.loadModel(
      architecture: directory.appendingPathComponent(names[0]),
      weights: directory.appendingPathComponent(names[1]))
  }

  /// The run saved in `directory`: strict JSON, every value checked (`SiameseRun.validate`).
  static func read(from directory: URL) throws -> SiameseRun {
    let url = directory.appendingPathComponent(fileName)
    let run: SiameseRun
    do {
      run = try JSONFile.read(SiameseRun.self, from: url.path, what: "a siamese run file")
    } catch let error as FileReadError where error.kind == .missing {
      throw ValidationError(
        "\(url.path) is missing: --evaluate needs a directory written by `similarity siamese --out`")
    } catch let error as FileReadError {
      throw ValidationError(error.description)
    }
    guard run.format == format, run.formatVersion == formatVersion else {
      throw ValidationError(
        "\(url.path): format \(run.format) version \(run.formatVersion), expected \(format) version \(formatVersion)")
    }
    try run.validate(file: url.path)
    return run
  }
}
