import SimilarityKernels

extension HNSWIndex {
  /// Writes the index to `path` atomically (kind 2 of the index file format; see
  /// docs/ARCHITECTURE.md, "File formats").
  public func write(to path: String) throws(SearchError) {
    let w = lock.reading { () -> ByteWriter in
      var w = ByteWriter()
      IndexFileHeader(kind: .hnsw, distance: distance, dimension: dimension, slotCount: slotCount,
                      payloadBytes: items.payloadByteCount).write(into: &w)
      w.u32(UInt32(clamping: maxConnections))
      w.u32(UInt32(clamping: efConstruction))
      w.u32(UInt32(clamping: ef))
      w.i64(Int64(maxLevel))
      w.i64(Int64(entryPoint ?? -1))
      w.u64(seed)
      w.u64(rng.state)
      w.u64(UInt64(freeSlots.count))
      let upperWords = (0..<slotCount).reduce(0) { $0 + Int(levels[$1]) * linkWordsUpper }
      w.u64(UInt64(upperWords))
      w.raw(vectors, count: slotCount * dimension)
      items.write(into: &w, slots: slotCount) { deleted[$0] != 0 }
      for slot in freeSlots { w.u64(UInt64(slot)) }
      w.raw(levels, count: slotCount)
      w.raw(level0, count: slotCount * linkWords0)
      for slot in 0..<slotCount where levels[slot] > 0 {
        w.raw(upper[slot]!, count: Int(levels[slot]) * linkWordsUpper)
      }
      return w
    }
    try IndexFile.writeAtomically(w, to: path)
  }

  /// Loads an HNSW index written by `write(to:)`. Checks magic, version, sizes, checksum, every
  /// field's range and the graph invariants, and throws `SearchError.file` naming the file,
  /// what was expected and what was found.
  public convenience init(contentsOf path: String) throws(SearchError) {
    var r = try IndexFile.read(path)
    let header = try IndexFileHeader.read(&r)
    guard header.kind == .hnsw else {
      throw r.error(.corrupt, "expected an HNSW index (kind 2), found an exact index (kind 1)")
    }
    let m = Int(try r.u32("maxConnections"))
    let efc = Int(try r.u32("efConstruction"))
    let efs = Int(try r.u32("efSearch"))
    let maxLevel = try r.i64("max level")
    let entry = try r.i64("entry point")
    let seed = try r.u64("seed")
    let state = try r.u64("generator state")
    let freeCount = try r.u64("removed count")
    let upperWords = try r.u64("upper link words")
    let n = header.slotCount
    guard (2...255).contains(m), efc >= 1, efs >= 1 else {
      throw r.error(.corrupt, "expected M in 2…255 and ef ≥ 1, found M \(m), efConstruction \(efc), efSearch \(efs)")
    }
    guard maxLevel >= -1 && maxLevel <= 32, entry >= -1 && entry < Int64(n),
      (entry == -1) == (n == 0), freeCount <= UInt64(n), upperWords <= UInt64(r.bytes.count)
    else {
      throw r.error(.corrupt, "inconsistent graph header: max level \(maxLevel), entry point \(entry), "
                      + "\(freeCount) removed and \(upperWords) upper words for \(n) items")
    }
    let graphBytes = Int(freeCount) * 8 + n + n * (2 * m + 1) * 4 + Int(upperWords) * 4
    try r.expectRemaining(header.vectorAndItemBytes + graphBytes, what: "HNSW index")
    try r.verifyChecksum()
    self.init(dimension: header.dimension, distance: header.distance, maxConnections: m,
              efConstruction: efc, efSearch: efs, seed: seed, capacity: max(n, 1))
    rng = SplitMix64(seed: state)
    // From here on `deinit` frees whatever upper-layer blocks exist, even if loading throws.
    slotCount = n
    try r.raw(into: vectors, count: n * dimension, "vectors")
    try checkFinite(vectors, count: n * dimension, dimension: dimension, reader: r)
    let (table, removed) = try ItemTable.read(&r, header: header)
    var free = [Int]()
    for raw in try r.array(UInt64.self, count: Int(freeCount), zero: 0, "removed slots") {
      let slot = UInt64(littleEndian: raw)
      guard slot < UInt64(n) else {
        throw r.error(.corrupt, "removed slot \(slot) out of range 0..<\(n)")
      }
      free.append(Int(slot))
    }
    try r.raw(into: levels, count: n, "levels")
    try r.raw(into: level0, count: n * linkWords0, "layer-0 links")
    var expectedUpper = 0
    for slot in 0..<n {
      guard Int64(levels[slot]) <= maxLevel else {
        throw r.error(.corrupt, "item \(slot) has level \(levels[slot]) above max level \(maxLevel)")
      }
      expectedUpper += Int(levels[slot]) * linkWordsUpper
    }
    guard expectedUpper == Int(upperWords) else {
      throw r.error(.corrupt, "levels need \(expectedUpper) upper link words, header says \(upperWords)")
    }
    for slot in 0..<n where levels[slot] > 0 {
      let words = Int(levels[slot]) * linkWordsUpper
      let block = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
      upper[slot] = block
      try r.raw(into: block, count: words, "upper links of item \(slot)")
    }
    for slot in 0..<n where removed[slot] { deleted[slot] = 1 }
    items = table
    freeSlots = free
    self.maxLevel = Int(maxLevel)
    entryPoint = entry >= 0 ? Int(entry) : nil
    let problems = invariantViolations(limit: 1)
    if let first = problems.first {
      throw r.error(.corrupt, "graph check failed: \(first)")
    }
  }
}
