import SimilaritySearch

/// Which search structure a ``SimilarityModel`` keeps its indexed embeddings in.
public enum IndexKind: Codable, Equatable, Sendable, CustomStringConvertible {
  /// Brute-force search (TF Similarity's `LinearSearch`): exact results.
  case exact
  /// Hierarchical navigable small-world graph (https://arxiv.org/abs/1603.09320): approximate.
  case hnsw(maxConnections: Int = 16, efConstruction: Int = 200, efSearch: Int = 50)

  /// `exact` or `hnsw(M=16, efC=200, ef=50)`.
  public var description: String {
    switch self {
    case .exact: return "exact"
    case .hnsw(let m, let efC, let ef): return "hnsw(M=\(m), efC=\(efC), ef=\(ef))"
    }
  }

  /// An empty index of this kind.
  func makeIndex(dimension: Int, distance: Distance, seed: UInt64) -> any VectorIndex {
    switch self {
    case .exact:
      return ExactIndex(dimension: dimension, distance: distance)
    case .hnsw(let m, let efC, let ef):
      return HNSWIndex(
        dimension: dimension, distance: distance, maxConnections: m, efConstruction: efC,
        efSearch: ef, seed: seed)
    }
  }

  /// Reads an index file of this kind.
  func loadIndex(from path: String) throws(SearchError) -> any VectorIndex {
    switch self {
    case .exact:
      return try ExactIndex(contentsOf: path)
    case .hnsw(_, _, let ef):
      let index = try HNSWIndex(contentsOf: path)
      index.efSearch = ef
      return index
    }
  }
}
