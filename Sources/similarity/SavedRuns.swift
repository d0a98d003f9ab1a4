import ArgumentParser
import Foundation
import Similarity
import SimilarityIO

// The settings and results the commands save beside a model (`run.json`) or a siamese tower
// (`siamese.json`, with `SiameseRun`), in files of their own so that scripts/fuzz.sh can
// compile their readers (with SiameseRun.swift and SavedRunValidation.swift) without the rest
// of the command-line tool.

/// The data sets the siamese command can train on.
enum DatasetChoice: String, ExpressibleByArgument, CaseIterable, Codable {
  case mnist
  case fashionMNIST = "fashion-mnist"

  var dataset: ImageDataset { self == .mnist ? .mnist : .fashionMNIST }
}

/// What a run measured; printed, and saved as `siamese.json` beside the weights.
struct SiameseReport: Codable, Equatable {
  var dataset: String
  var trainPairs: Int
  var testPairs: Int
  var trainAccuracy: Double
  var testAccuracy: Double
  var trainLoss: Double
  var testLoss: Double
  var history: TrainingHistory
  var embeddingsPerSecond: Double?
  var blasKernel: String?

  var medianEpochSeconds: Double? {
    let seconds = history.epochs.map(\.seconds).sorted()
    return seconds.isEmpty ? nil : seconds[seconds.count / 2]
  }
}

/// The metric losses `similarity train` can use.
enum LossChoice: String, ExpressibleByArgument, CaseIterable, Codable {
  case multiSimilarity = "multi-similarity"
  case triplet
  case pn
  case circle
  case softNearestNeighbor = "soft-nearest-neighbor"

  /// The loss with TF Similarity's defaults and the given distance.
  func makeLoss(distance: Distance) -> any MetricLoss {
    switch self {
    case .multiSimilarity: return MultiSimilarityLoss(distance: distance)
    case .triplet: return TripletLoss(distance: distance)
    case .pn: return PNLoss(distance: distance)
    case .circle: return CircleLoss(distance: distance)
    case .softNearestNeighbor: return SoftNearestNeighborLoss(distance: distance)
    }
  }
}

/// The examples of a run's data set that its saved index holds: the first `perClass` images of
/// each of `classes` in `split`, in data set order. `run.json` records it so that the commands
/// scoring test queries (`evaluate`, `report`, `demo`, `match`) leave those images out.
struct IndexedExamples: Codable, Equatable {
  /// The split the indexed images come from.
  var split: DatasetSplit
  /// How many images of each class, the first ones in data set order.
  var perClass: Int
  /// The classes indexed.
  var classes: [Int]
}

/// What `similarity train` records beside the saved model (`run.json`), so the other commands
/// know the data without being told again.
struct TrainingRun: Codable {
  static let fileName = "run.json"
  var dataset: DatasetChoice
  var trainClasses: [Int]
  var loss: LossChoice
  var epochs: Int
  var stepsPerEpoch: Int
  var classesPerBatch: Int
  var examplesPerClass: Int
  var learningRate: Float
  var seed: UInt64
  var history: FitHistory?
  /// Which images of `dataset` the index holds; `nil` in a `run.json` written before it was
  /// recorded.
  var indexed: IndexedExamples?

  /// Writes `run.json` into the saved model `directory` (through `AtomicFile`).
  func write(to directory: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(try encoder.encode(self), to: directory.appendingPathComponent(Self.fileName))
  }

  /// The run saved with a model, or `nil` when the directory has none. Strict JSON, and every
  /// value checked (`TrainingRun.validate`), so a report never shows an impossible run.
  static func read(from directory: URL) throws -> TrainingRun? {
    let path = directory.appendingPathComponent(fileName).path
    let run: TrainingRun
    do {
      run = try JSONFile.read(TrainingRun.self, from: path, what: "a training run file")
    } catch let error as FileReadError where error.kind == .missing {
      return nil
    } catch let error as FileReadError {
      throw ValidationError(error.description)
    }
    try run.validate(file: path)
    return run
  }
}
