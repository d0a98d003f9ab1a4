/// Per-item metadata shared by the indexes: external id, label and payload per storage slot, and
/// the id → slot map. Ids are `Int`s; omitted ids are assigned as one more than the largest id
/// ever used (starting at 0), so automatic ids are `0, 1, 2, …` for an index built in one go.
struct ItemTable: Sendable {
  var ids: [Int] = []
  var labels = OptionalColumn<Int>()
  var payloads = OptionalColumn<[UInt8]>()
  var slotOfID = SlotMap()
  var nextID = 0

  var slotCount: Int { ids.count }

  func slot(of id: Int) -> Int? { slotOfID[id] }

  /// Checks proposed ids (explicit or automatic) for duplicates without changing anything.
  func resolveIDs(_ requested: [Int]?, count: Int) throws(SearchError) -> [Int] {
    if let requested {
      guard requested.count == count else {
        throw .countMismatch(what: "ids", expected: count, found: requested.count)
      }
      var seen = Set<Int>(minimumCapacity: count)
      for id in requested {
        if slotOfID[id] != nil || !seen.insert(id).inserted { throw .duplicateID(id) }
      }
      return requested
    }
    return Array(nextID..<(nextID + count))
  }

  /// Appends a new slot.
  mutating func append(id: Int, label: Int?, payload: [UInt8]?) {
    slotOfID[id] = ids.count
    ids.append(id)
    labels.append(label)
    payloads.append(payload)
    nextID = max(nextID, id &+ 1)
  }

  /// Reassigns an existing slot to a (new) item.
  mutating func assign(slot: Int, id: Int, label: Int?, payload: [UInt8]?) {
    slotOfID[id] = slot
    ids[slot] = id
    labels[slot] = label
    payloads[slot] = payload
    nextID = max(nextID, id &+ 1)
  }

  /// Forgets `id` (the slot's metadata is cleared; the caller decides what happens to the slot).
  mutating func forget(slot: Int) {
    slotOfID[ids[slot]] = nil
    labels[slot] = nil
    payloads[slot] = nil
  }

  func neighbor(slot: Int, rank: Int, distance: Float) -> Neighbor {
    Neighbor(rank: rank, distance: distance, id: ids[slot], label: labels[slot],
             payload: payloads[slot])
  }
}

/// Validates the optional per-row arrays of a batch add.
func checkBatchCounts(
  rows: Int, labels: [Int?]?, payloads: [[UInt8]?]?
) throws(SearchError) {
  if let labels, labels.count != rows {
    throw .countMismatch(what: "labels", expected: rows, found: labels.count)
  }
  if let payloads, payloads.count != rows {
    throw .countMismatch(what: "payloads", expected: rows, found: payloads.count)
  }
}

/// Prepares every row of a `[rows, dimension]` batch, or throws for the first bad row.
func prepareRows(_ vectors: [Float], space: DistanceSpace) throws(SearchError) -> [Float] {
  let d = space.dimension
  guard vectors.count % d == 0 else {
    throw .dimensionMismatch(expected: d, found: vectors.count % d, row: vectors.count / d)
  }
  let rows = vectors.count / d
  if space.distance != .cosine && space.distance != .snr {
    // Stored as given: validate in place and share the caller's storage (no copy).
    for (i, x) in vectors.enumerated() where !x.isFinite {
      throw .nonFiniteComponent(row: i / d, component: i % d, value: x)
    }
    return vectors
  }
  var prepared = [Float]()
  prepared.reserveCapacity(vectors.count)
  try vectors.withUnsafeBufferPointer { (all) throws(SearchError) in
    for r in 0..<rows {
      let row = UnsafeBufferPointer(rebasing: all[(r * d)..<((r + 1) * d)])
      prepared.append(contentsOf: try space.prepare(row, row: r))
    }
  }
  return prepared
}

/// The id → slot map of an `ItemTable`. While every stored id equals its slot and nothing has
/// been removed (automatic ids, the common case) the map is the identity and stores nothing;
/// the first other id or removal turns it into a dictionary. Saves ~32 bytes per item at a
/// million items (a `[Int: Int]` of that size), part of the index's overhead over its vectors
/// and links.
struct SlotMap: Sendable {
  /// The map once it is not the identity.
  private var explicit: [Int: Int]?
  /// In identity mode, ids `0..<identityCount` map to themselves.
  private var identityCount = 0

  /// Whether the map is still the identity (tests).
  var isIdentity: Bool { explicit == nil }

  /// The number of ids mapped.
  var count: Int { explicit?.count ?? identityCount }

  subscript(id: Int) -> Int? {
    get {
      if let explicit { return explicit[id] }
      return id >= 0 && id < identityCount ? id : nil
    }
    set {
      if explicit == nil {
        if let newValue, newValue == id, id == identityCount {
          identityCount += 1
          return
        }
        var map = [Int: Int](minimumCapacity: identityCount + 1)
        for slot in 0..<identityCount { map[slot] = slot }
        explicit = map
      }
      explicit![id] = newValue
    }
  }
}

/// A column of optional values, one per slot, that stores nothing while every value is nil
/// (an index without labels or payloads pays no memory for them; `[Int?]` would cost 16 bytes
/// per item). The first non-nil value allocates the full column.
struct OptionalColumn<Value: Sendable>: Sendable {
  /// nil while every value is nil; otherwise exactly `count` entries.
  private var values: [Value?]?
  /// The number of slots.
  private(set) var count = 0

  /// Allocated entries (memory accounting).
  var capacity: Int { values?.capacity ?? 0 }

  subscript(slot: Int) -> Value? {
    get { values?[slot] ?? nil }
    set {
      if values == nil {
        guard newValue != nil else { return }
        values = [Value?](repeating: nil, count: count)
      }
      values![slot] = newValue
    }
  }

  mutating func append(_ value: Value?) {
    if values == nil && value != nil { values = [Value?](repeating: nil, count: count) }
    values?.append(value)
    count += 1
  }

  mutating func removeLast() {
    precondition(count > 0, "OptionalColumn.removeLast on an empty column")
    values?.removeLast()
    count -= 1
  }

  func reduce<Result>(_ initial: Result, _ next: (Result, Value?) -> Result) -> Result {
    var result = initial
    for slot in 0..<count { result = next(result, self[slot]) }
    return result
  }
}
