import SimilarityIO

/// The common header and item sections of an index file.
struct IndexFileHeader {
  var kind: IndexFile.Kind
  var distance: Distance
  var dimension: Int
  var slotCount: Int
  var payloadBytes: Int

  static let maxDimension = IndexFileLimits.maximumDimension

  func write(into w: inout ByteWriter) {
    w.bytes.append(contentsOf: IndexFile.magic)
    w.u32(IndexFile.formatVersion)
    w.u32(kind.rawValue)
    w.u32(distance.fileCode)
    w.u32(UInt32(dimension))
    w.u64(UInt64(slotCount))
    w.u64(UInt64(payloadBytes))
  }

  /// Reads the header that follows the version field.
  static func read(_ r: inout ByteReader) throws(SearchError) -> IndexFileHeader {
    let kindCode = try r.u32("index kind")
    guard let kind = IndexFile.Kind(rawValue: kindCode) else {
      throw r.error(.corrupt, "expected index kind 1 (exact) or 2 (hnsw), found \(kindCode)")
    }
    let distanceCode = try r.u32("distance")
    guard let distance = Distance(fileCode: distanceCode) else {
      throw r.error(.corrupt, "expected a distance code 0…5, found \(distanceCode)")
    }
    let dimension = Int(try r.u32("dimension"))
    guard (1...maxDimension).contains(dimension) else {
      throw r.error(.corrupt, "expected a dimension in 1…\(maxDimension), found \(dimension)")
    }
    let slots = try r.u64("item count")
    let payload = try r.u64("payload size")
    // Every slot needs at least its vector in the file; this bounds the counts before any
    // allocation, so a corrupt count cannot request terabytes.
    let available = UInt64(r.fileSize)
    guard slots <= available / UInt64(4 * dimension), payload <= available else {
      throw r.error(.truncated,
                    "header promises \(slots) items of dimension \(dimension) and \(payload) "
                      + "payload bytes, but the file has only \(available) bytes")
    }
    return IndexFileHeader(kind: kind, distance: distance, dimension: dimension,
                           slotCount: Int(slots), payloadBytes: Int(payload))
  }

  /// Bytes of the vectors and the item sections (ids, flags, labels, payload lengths,
  /// payloads), or `nil` on overflow.
  var vectorAndItemByteCount: Int? {
    guard let vectors = [slotCount, dimension, 4].checkedProduct(),
      let items = [slotCount, 8 + 1 + 8 + 8].checkedProduct()
    else { return nil }
    return [vectors, items, payloadBytes].checkedSum()
  }
}

extension ItemTable {
  /// Total payload bytes.
  var payloadByteCount: Int { payloads.reduce(0) { $0 + ($1?.count ?? 0) } }

  /// Writes ids, flags (bit 0 removed, bit 1 has label, bit 2 has payload), labels, payload
  /// lengths and payload bytes for `slots` slots.
  func write(into w: inout ByteWriter, slots: Int, isRemoved: (Int) -> Bool) {
    for s in 0..<slots { w.i64(Int64(ids[s])) }
    for s in 0..<slots {
      var flags: UInt8 = isRemoved(s) ? 1 : 0
      if labels[s] != nil { flags |= 2 }
      if payloads[s] != nil { flags |= 4 }
      w.u8(flags)
    }
    for s in 0..<slots { w.i64(Int64(labels[s] ?? 0)) }
    for s in 0..<slots { w.u64(UInt64(payloads[s]?.count ?? 0)) }
    for s in 0..<slots { if let p = payloads[s] { w.bytes.append(contentsOf: p) } }
  }

  /// Reads the item sections; returns the table and the removed flags.
  static func read(
    _ r: inout ByteReader, header: IndexFileHeader
  ) throws(SearchError) -> (ItemTable, [Bool]) {
    let n = header.slotCount
    let ids = try r.array(Int64.self, count: n, zero: 0, "ids").map { Int(Int64(littleEndian: $0)) }
    let flags = try r.array(UInt8.self, count: n, zero: 0, "flags")
    let labels = try r.array(Int64.self, count: n, zero: 0, "labels")
    let lengths = try r.array(UInt64.self, count: n, zero: 0, "payload lengths")
    var table = ItemTable()
    var removed = [Bool](repeating: false, count: n)
    var total: UInt64 = 0
    for s in 0..<n {
      let length = UInt64(littleEndian: lengths[s])
      guard length <= UInt64(header.payloadBytes) - total else {
        throw r.error(.corrupt, "payload lengths up to item \(s) exceed the total \(header.payloadBytes)")
      }
      total += length
      guard flags[s] & ~7 == 0 else {
        throw r.error(.corrupt, "item \(s): expected flags 0…7, found \(flags[s])")
      }
      // The writer stores 0 for an absent label and no bytes for an absent payload, so a value
      // under a cleared flag means the flags or the lengths were shifted.
      if flags[s] & 2 == 0, labels[s] != 0 {
        throw r.error(.corrupt, "item \(s) has no label (flag bit 1 clear) but stores label "
                        + "\(Int64(littleEndian: labels[s])); expected 0")
      }
      if flags[s] & 4 == 0, length != 0 {
        throw r.error(.corrupt, "item \(s) has no payload (flag bit 2 clear) but a payload "
                        + "length of \(length) bytes; expected 0")
      }
    }
    guard total == UInt64(header.payloadBytes) else {
      throw r.error(.corrupt, "payload lengths sum to \(total), header says \(header.payloadBytes)")
    }
    for s in 0..<n {
      let length = Int(UInt64(littleEndian: lengths[s]))
      let payload = try r.array(UInt8.self, count: length, zero: 0, "payload of item \(s)")
      removed[s] = flags[s] & 1 != 0
      let label = flags[s] & 2 != 0 ? Int(Int64(littleEndian: labels[s])) : nil
      table.ids.append(ids[s])
      table.labels.append(label)
      table.payloads.append(flags[s] & 4 != 0 ? payload : nil)
      table.nextID = max(table.nextID, ids[s] &+ 1)
      if removed[s] { continue }
      guard table.slotOfID[ids[s]] == nil else {
        throw r.error(.corrupt, "id \(ids[s]) appears twice (items \(table.slotOfID[ids[s]]!) and \(s))")
      }
      table.slotOfID[ids[s]] = s
    }
    return (table, removed)
  }
}

/// Checks that a loaded vector block is in the prepared form the index stores (finite; unit
/// length for cosine).
func checkStoredVectors(
  _ p: UnsafePointer<Float>, count: Int, dimension: Int, distance: Distance, reader r: ByteReader
) throws(SearchError) {
  if let problem = storedVectorProblem(p, rows: count / dimension, dimension: dimension,
                                       distance: distance) {
    throw r.error(.corrupt, problem)
  }
}

/// Loads an exact or HNSW index from `path`, whichever the file holds.
public func loadIndex(from path: String) throws(SearchError) -> any VectorIndex {
  var r = try IndexFile.read(path)
  let header = try IndexFileHeader.read(&r)
  switch header.kind {
  case .exact: return try ExactIndex(contentsOf: path)
  case .hnsw: return try HNSWIndex(contentsOf: path)
  }
}
