import ArgumentParser
import Foundation
import SimilarityDatasets
import SimilaritySearch

/// `similarity index …`: build, grow, shrink and describe index files (`.simx`).
struct Index: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Build, extend, shrink and describe nearest-neighbour index files (.simx).",
    subcommands: [IndexAdd.self, IndexBuild.self, IndexInfo.self, IndexRemove.self])
}

/// Reading the inputs the index commands share.
enum IndexInput {
  /// Refuses a walk basis the index cannot use: principal axes need an HNSW index (else the
  /// error says so, followed by `notHNSW`, which names what was asked for instead) and a
  /// distance that rotations preserve (not Manhattan).
  static func check(basis: TraversalBasis, distance: Distance, isHNSW: Bool, notHNSW: String)
    throws
  {
    guard basis != .original else { return }
    guard isHNSW else {
      throw ValidationError("--basis \(basis.rawValue) applies to HNSW indexes\(notHNSW)")
    }
    if distance == .manhattan {
      throw ValidationError("--basis \(basis.rawValue): rotations change Manhattan distances")
    }
  }

  /// A `[rows, dimension]` float matrix from a 2-D `.npy` file.
  static func matrix(_ path: String) throws -> (values: [Float], rows: Int, dimension: Int) {
    let array = try NPYFile.read(from: URL(fileURLWithPath: path))
    guard array.shape.count == 2 else {
      throw ValidationError("\(path): expected a 2-D array [rows, dimension], found shape \(array.shape)")
    }
    return (array.floats, array.shape[0], array.shape[1])
  }

  /// One integer per row from a 1-D `.npy` file.
  static func integers(_ path: String, rows: Int, what: String) throws -> [Int] {
    let array = try NPYFile.read(from: URL(fileURLWithPath: path))
    guard let values = array.integers else {
      throw ValidationError("\(path): \(what) must be integers, found \(array.elementType)")
    }
    guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1),
      values.count == rows
    else {
      throw ValidationError("\(path): expected \(rows) \(what) (one per vector), found shape \(array.shape)")
    }
    return values
  }

  static func distance(_ name: String) throws -> Distance {
    guard let distance = Distance(name: name) else {
      let names = Distance.allCases.map(\.rawValue).joined(separator: ", ")
      throw ValidationError("unknown distance '\(name)'; use one of \(names)")
    }
    return distance
  }
}

/// Options shared by commands that read vectors with optional labels and ids.
struct VectorInputOptions: ParsableArguments {
  @Option(help: "Vectors: a 2-D .npy file [rows, dimension] (float or integer).")
  var vectors: String

  @Option(help: "Integer labels, one per row (.npy).")
  var labels: String?

  @Option(help: "Integer ids, one per row (.npy); default: the next unused ids.")
  var ids: String?

  /// The input files with their options, for output checks.
  var paths: [OutputCheck.Input] {
    [("--vectors", vectors)] + [("--labels", labels), ("--ids", ids)].compactMap { option, path in
      path.map { (label: option, path: $0) }
    }
  }

  func load() throws -> (values: [Float], rows: Int, dimension: Int, labels: [Int?]?, ids: [Int]?) {
    let m = try IndexInput.matrix(vectors)
    let labelValues = try labels.map { try IndexInput.integers($0, rows: m.rows, what: "labels") }
    let idValues = try ids.map { try IndexInput.integers($0, rows: m.rows, what: "ids") }
    return (m.values, m.rows, m.dimension, labelValues?.map { $0 }, idValues)
  }
}

/// Adds rows to any index, with a progress bar for HNSW batch adds.
func addRows(
  to index: any VectorIndex, values: [Float], rows: Int, ids: [Int]?, labels: [Int?]?,
  threads: Int
) throws {
  if let hnsw = index as? HNSWIndex {
    let bar = ProgressBar(title: "Indexing", total: rows)
    try hnsw.add(vectors: values, ids: ids, labels: labels, payloads: nil, threads: threads) {
      done, _ in bar.update(done)
    }
    bar.finish("Indexed \(rows) vectors in \(formatSeconds(bar.elapsed))")
  } else {
    try index.add(vectors: values, ids: ids, labels: labels, payloads: nil)
  }
}
