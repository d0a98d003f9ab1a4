import Foundation
import Similarity
import SimilarityIO
import SimilarityLayers
import SimilaritySearch
import SimilarityVisualization

/// The kinds of save the crash-safety test interrupts, each in two deterministic versions (0
/// and 1) that differ in every file, so a mixture of the two is detected.
enum SaveKind: String, CaseIterable {
  /// `SimilarityModel.save` into a folder (version 0 calibrated, version 1 not).
  case model
  /// `ExactIndex.write` of a 2–2.5 MB index file (vectors and 1 kB payloads).
  case index
  /// `Checkpoint.save` of a 66k-parameter Dense model.
  case checkpoint
  /// `Report.write` of a ~0.3 MB HTML page.
  case report

  /// What a save of one version writes; built before the first save so that saving is all the
  /// loop does.
  struct Version {
    let number: Int
    let save: (String) throws -> Void
  }

  /// Version `number` of this kind.
  func version(_ number: Int) throws -> Version {
    Version(number: number, save: try saver(number))
  }

  /// Saves version `number` to a path.
  private func saver(_ number: Int) throws -> (String) throws -> Void {
    switch self {
    case .model:
      let model = try Self.model(number)
      return { try model.save(to: URL(fileURLWithPath: $0)) }
    case .index:
      let index = try Self.index(number)
      return { try index.write(to: $0) }
    case .checkpoint:
      let network = Self.network(number)
      return { try Checkpoint.save(network, to: URL(fileURLWithPath: $0)) }
    case .report:
      let report = Self.report(number)
      return { try report.write(to: URL(fileURLWithPath: $0)) }
    }
  }

  /// The version saved at `path`, after checking that every part of it is that version.
  /// - Throws: `Mismatch` (or a load error) naming what is wrong.
  func verify(_ path: String) throws -> Int {
    switch self {
    case .model:
      let loaded = try SimilarityModel.load(from: URL(fileURLWithPath: path))
      let number = loaded.index.count == Self.modelRows(0) ? 0 : 1
      guard loaded.index.count == Self.modelRows(number) else {
        throw Mismatch("index holds \(loaded.index.count) items, expected 3000 or 3600")
      }
      guard Self.parameters(loaded.embedding) == Self.parameters(Self.embedding(number)) else {
        throw Mismatch("weights are not those of version \(number), whose index is there")
      }
      guard (loaded.calibration != nil) == (number == 0) else {
        throw Mismatch("calibration present: \(loaded.calibration != nil), version \(number)")
      }
      return number
    case .index:
      let count = try loadIndex(from: path).count
      guard let number = [0, 1].first(where: { Self.indexRows($0) == count }) else {
        throw Mismatch("index holds \(count) items, expected 2000 or 2400")
      }
      return number
    case .checkpoint:
      let loaded = Self.parameters(try Checkpoint.loadSequential(from: URL(fileURLWithPath: path)))
      guard let number = [0, 1].first(where: { Self.parameters(Self.network($0)) == loaded }) else {
        throw Mismatch("weights are neither version 0 nor version 1")
      }
      return number
    case .report:
      let text = try String(contentsOfFile: path, encoding: .utf8)
      guard let number = [0, 1].first(where: { Self.report($0).html() == text }) else {
        throw Mismatch("\(text.utf8.count) bytes that are neither version 0 nor version 1")
      }
      return number
    }
  }

  /// A save that is not one whole version.
  struct Mismatch: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  // MARK: - The versions

  static func modelRows(_ number: Int) -> Int { 3000 + 600 * number }
  static func indexRows(_ number: Int) -> Int { 2000 + 400 * number }

  static func embedding(_ number: Int) -> Sequential {
    Sequential(seed: UInt64(10 + number)) {
      Input(shape: [8])
      Dense(units: 64, activation: .relu)
      Dense(units: 16)
    }
  }

  static func model(_ number: Int) throws -> SimilarityModel {
    let rows = modelRows(number)
    let values = uniform(count: rows * 8, seed: UInt64(number))
    let model = SimilarityModel(embedding: embedding(number), distance: .euclidean)
    let examples = ExampleMatrix(values: values, exampleShape: [8])
    let labels = (0..<rows).map { $0 % 5 }
    try model.index(
      examples, labels: labels,
      payloads: (0..<rows).map { row in (0..<64).map { UInt8(truncatingIfNeeded: row &+ $0) } })
    if number == 0 {
      try model.calibrate(
        ExampleMatrix(values: Array(values[0..<(200 * 8)]), exampleShape: [8]),
        labels: Array(labels[0..<200]))
    }
    return model
  }

  static func index(_ number: Int) throws -> ExactIndex {
    let rows = indexRows(number)
    let index = ExactIndex(dimension: 16, distance: .euclidean)
    try index.add(
      vectors: uniform(count: rows * 16, seed: UInt64(100 + number)), ids: nil, labels: nil,
      payloads: (0..<rows).map { [UInt8](repeating: UInt8(truncatingIfNeeded: $0), count: 1000) })
    return index
  }

  static func network(_ number: Int) -> Sequential {
    Sequential(seed: UInt64(20 + number)) {
      Input(shape: [256])
      Dense(units: 256)
    }
  }

  static func report(_ number: Int) -> Report {
    var report = Report(title: "Crash-safety report, version \(number)")
    report.addPreformatted(
      String(repeating: "version \(number): every line of this page says which version it is\n",
             count: 5_000), heading: "Body")
    return report
  }

  static func parameters(_ model: any Model) -> [[Float]] {
    model.namedParameters.map(\.parameter.value.scalars)
  }

  static func uniform(count: Int, seed: UInt64) -> [Float] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 }
  }
}
