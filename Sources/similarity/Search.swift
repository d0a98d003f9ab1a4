import ArgumentParser
import Foundation
import SimilaritySearch

/// `similarity search`: nearest neighbours of each query row in an index file.
struct Search: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the k nearest items of each query row (.npy) in an index file.")

  @Option(help: "The index file (.simx).")
  var index: String

  @Option(help: "Queries: a 2-D .npy file [rows, dimension].")
  var queries: String

  @Option(name: [.short, .long], parsing: .unconditional, help: "Neighbours per query.")
  var k = 10

  @Option(parsing: .unconditional, help: "HNSW search width (default: the one stored in the index).")
  var ef: Int?

  @Option(parsing: .unconditional, help: "Worker threads for batch search.")
  var threads = 1

  @Option(help: "HNSW traversal precision: float32 (default), or float16 (a float16 copy of the vectors, half the memory traffic; distances are re-ranked exactly).")
  var traversal: TraversalPrecision?

  @Option(help: "HNSW walk coordinates: original (default), or pca (principal axes fitted on the stored vectors; distances are re-ranked exactly).")
  var basis: TraversalBasis?

  @Option(help: "Exact-index scoring precision: float32 (default), or bfloat16 (bfloat16 products with error-bounded float32 re-ranking: the same answer; faster than float32 only on CPUs with AVX512_BF16).")
  var scoring: ScoringPrecision?

  @Flag(help: "Print JSON: one array of {rank, id, distance, label} per query.")
  var json = false

  func validate() throws {
    try OptionCheck.positive(k, "-k")
    try OptionCheck.positive(ef, "--ef")
    try OptionCheck.positive(threads, "--threads")
  }

  func run() throws {
    let loaded = try loadIndex(from: index)
    let q = try IndexInput.matrix(queries)
    guard q.dimension == loaded.dimension else {
      throw ValidationError("\(queries) has dimension \(q.dimension); \(index) has \(loaded.dimension)")
    }
    if !(loaded is HNSWIndex) {
      if let traversal {
        throw ValidationError(
          "--traversal \(traversal.rawValue) applies to HNSW indexes; \(index) is an exact index")
      }
      if let ef {
        throw ValidationError("--ef \(ef) applies to HNSW indexes; \(index) is an exact index")
      }
    }
    if let basis {
      try IndexInput.check(
        basis: basis, distance: loaded.distance, isHNSW: loaded is HNSWIndex,
        notHNSW: "; \(index) is an exact index")
    }
    if let scoring, !(loaded is ExactIndex) {
      throw ValidationError(
        "--scoring \(scoring.rawValue) applies to exact indexes; \(index) is an HNSW index")
    }
    let results: [[Neighbor]]
    if let hnsw = loaded as? HNSWIndex {
      if let ef { hnsw.efSearch = ef }
      if let traversal { hnsw.traversalPrecision = traversal }
      if let basis { hnsw.traversalBasis = basis }
      results = try hnsw.search(queries: q.values, k: k, threads: threads)
    } else if let exact = loaded as? ExactIndex {
      if let scoring {
        exact.scoringPrecision = scoring
        if exact.scoringPrecision != scoring {
          throw ValidationError(
            "--scoring \(scoring.rawValue) needs a distance other than manhattan; \(index) uses manhattan")
        }
      }
      results = try exact.search(queries: q.values, k: k, threads: threads)
    } else {
      results = try loaded.search(queries: q.values, k: k)
    }
    if json {
      struct Row: Encodable {
        var rank: Int
        var id: Int
        var distance: Float
        var label: Int?
      }
      let rows = results.map { $0.map { Row(rank: $0.rank, id: $0.id, distance: $0.distance, label: $0.label) } }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      print(String(decoding: try encoder.encode(rows), as: UTF8.self))
      return
    }
    let measure = loaded.distance.isSimilarity ? "similarity" : "distance"
    for (i, neighbors) in results.enumerated() {
      print("query \(i):")
      for n in neighbors {
        print("  \(n.rank)\tid \(n.id)\t\(measure) \(n.distance)\tlabel \(n.label.map(String.init) ?? "-")")
      }
    }
  }
}
