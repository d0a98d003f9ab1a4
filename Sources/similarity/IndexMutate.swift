import ArgumentParser
import SimilaritySearch

/// `similarity index add`: appends vectors to an existing index file.
struct IndexAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add vectors (with optional labels and ids) to an index file.")

  @Option(help: "The index file to extend (rewritten atomically; a link's target is rewritten and the link kept).")
  var index: String

  @OptionGroup var input: VectorInputOptions

  @Option(parsing: .unconditional, help: "Worker threads for HNSW inserts (default: all processors).")
  var threads: Int?

  func validate() throws {
    try OptionCheck.positive(threads, "--threads")
  }

  func run() throws {
    let target = try OutputCheck.file("--index", index, inputs: input.paths)
    let loaded = try loadIndex(from: index)
    let data = try input.load()
    guard data.dimension == loaded.dimension else {
      throw ValidationError("\(input.vectors) has dimension \(data.dimension); \(index) has \(loaded.dimension)")
    }
    try addRows(to: loaded, values: data.values, rows: data.rows, ids: data.ids,
                labels: data.labels, threads: threads ?? ProcessInfoThreads.count)
    try loaded.write(to: index)
    print("added \(data.rows) vectors; \(OutputCheck.describe(index, writing: target)) now holds \(loaded.count)")
  }
}

/// `similarity index remove`: removes items by id.
struct IndexRemove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove items by id from an index file.")

  @Option(help: "The index file (rewritten atomically; a link's target is rewritten and the link kept).")
  var index: String

  @Option(
    name: .customLong("id"), parsing: .unconditionalSingleValue,
    help: "An id to remove (repeat for several; ids may be negative).")
  var ids: [Int] = []

  @Option(help: "A .npy file of ids to remove.")
  var idsFile: String?

  func run() throws {
    let target = try OutputCheck.file(
      "--index", index, inputs: idsFile.map { [(label: "--ids-file", path: $0)] } ?? [])
    var all = ids
    if let idsFile {
      let array = try NPYFile.read(from: URL(fileURLWithPath: idsFile))
      guard let values = array.integers else {
        throw ValidationError("\(idsFile): ids must be integers, found \(array.elementType)")
      }
      guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
        throw ValidationError(
          "\(idsFile): expected a 1-D array of ids (or one column), found shape \(array.shape)")
      }
      all += values
    }
    guard !all.isEmpty else { throw ValidationError("give --id or --ids-file") }
    let loaded = try loadIndex(from: index)
    for id in all { try loaded.remove(id: id) }
    try loaded.write(to: index)
    print("removed \(all.count) items; \(OutputCheck.describe(index, writing: target)) now holds \(loaded.count)")
  }
}

import Foundation
import SimilarityDatasets
