import ArgumentParser
import SimilaritySearch

/// `similarity index info`: what an index file holds.
struct IndexInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info", abstract: "Describe an index file (kind, distance, sizes, parameters).")

  @Option(help: "The index file.")
  var index: String

  @Flag(help: "Also check the stored data's invariants: finite (for cosine, unit-length) vectors, the id map and, for HNSW, the graph.")
  var check = false

  func run() throws {
    let loaded = try loadIndex(from: index)
    print("file: \(index)")
    print("distance: \(loaded.distance.rawValue)")
    print("dimension: \(loaded.dimension)")
    print("items: \(loaded.count)")
    if let hnsw = loaded as? HNSWIndex {
      print("kind: hnsw")
      print("M: \(hnsw.maxConnections)  efConstruction: \(hnsw.efConstruction)  efSearch: \(hnsw.efSearch)  seed: \(hnsw.seed)")
      print("stored slots: \(hnsw.storedSlots) (\(hnsw.storedSlots - hnsw.count) removed, reused by later adds)")
    } else {
      print("kind: exact")
    }
    if check {
      let problems = loaded.checkInvariants()
      print(problems.isEmpty ? "invariants: ok" : "invariants: \(problems.count) problems")
      for problem in problems { print("  \(problem)") }
      if !problems.isEmpty { throw ExitCode.failure }
    }
  }
}
