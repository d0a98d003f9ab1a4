/// One search result.
public struct Neighbor: Equatable, Sendable {
  /// 1-based position in the result list (1 = nearest).
  public var rank: Int
  /// The reported distance (for `.innerProduct`, the similarity; larger is closer).
  public var distance: Float
  /// The item's id.
  public var id: Int
  /// The item's integer label, if it has one.
  public var label: Int?
  /// The item's payload bytes, if it has any.
  public var payload: [UInt8]?

  /// Creates a result row.
  public init(rank: Int, distance: Float, id: Int, label: Int?, payload: [UInt8]?) {
    self.rank = rank
    self.distance = distance
    self.id = id
    self.label = label
    self.payload = payload
  }
}

/// What the exact and HNSW indexes share: add, remove, update, search and save.
///
/// Ids are `Int`s chosen by the caller (or assigned as the next unused integer when omitted);
/// they are unique within an index. Indexes are reference types that are safe to use from many
/// threads at once.
public protocol VectorIndex: AnyObject, Sendable {
  /// The vector length.
  var dimension: Int { get }
  /// The distance the index ranks by.
  var distance: Distance { get }
  /// The number of live (not removed) items.
  var count: Int { get }

  /// Adds one item and returns its id (`id`, or the next unused id when `nil`).
  @discardableResult
  func add(_ vector: [Float], id: Int?, label: Int?, payload: [UInt8]?) throws(SearchError) -> Int

  /// Adds `vectors` (`[count, dimension]` row-major) with optional per-row ids, labels and
  /// payloads; returns the ids. Either every row is added or none (validation runs first).
  @discardableResult
  func add(
    vectors: [Float], ids: [Int]?, labels: [Int?]?, payloads: [[UInt8]?]?
  ) throws(SearchError) -> [Int]

  /// Removes the item with `id`.
  func remove(id: Int) throws(SearchError)

  /// Replaces the vector (and label/payload when given) of the item with `id`.
  func update(id: Int, vector: [Float], label: Int?, payload: [UInt8]?) throws(SearchError)

  /// The `k` nearest live items to `query`, nearest first; items for which `filter` returns
  /// false are skipped. `k` is clipped to the number of items.
  func search(_ query: [Float], k: Int, filter: ((Int) -> Bool)?) throws(SearchError) -> [Neighbor]

  /// One result list per row of `queries` (`[count, dimension]` row-major).
  func search(queries: [Float], k: Int) throws(SearchError) -> [[Neighbor]]

  /// Writes the index to `path` atomically (temporary file, fsync, rename).
  func write(to path: String) throws(SearchError)

  /// How many live items carry each label and each payload length.
  var itemSummary: IndexItemSummary { get }

  /// Structural problems of the stored data, one message each (empty when sound).
  func checkInvariants() -> [String]
}

extension VectorIndex {
  /// Adds one item with no id, label or payload.
  @discardableResult
  public func add(_ vector: [Float]) throws(SearchError) -> Int {
    try add(vector, id: nil, label: nil, payload: nil)
  }

  /// Searches without a filter.
  public func search(_ query: [Float], k: Int) throws(SearchError) -> [Neighbor] {
    try search(query, k: k, filter: nil)
  }
}
