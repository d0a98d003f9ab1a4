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
    // `IndexFile.read` has checked these fields and that the file size is what they declare.
    let graph = try HNSWFileHeader.read(&r, slotCount: header.slotCount)
    let n = header.slotCount
    let (maxLevel, upperWords) = (graph.maxLevel, graph.upperWords)
    try r.verifyChecksum()
    self.init(dimension: header.dimension, distance: header.distance,
              maxConnections: graph.maxConnections, efConstruction: graph.efConstruction,
              efSearch: graph.efSearch, seed: graph.seed, capacity: max(n, 1))
    rng = SplitMix64(seed: graph.generatorState)
    // From here on `deinit` frees whatever upper-layer blocks exist, even if loading throws.
    slotCount = n
    try r.raw(into: vectors, count: n * dimension, "vectors")
    try checkStoredVectors(vectors, count: n * dimension, dimension: dimension, distance: distance,
                           reader: r)
    let (table, removed) = try ItemTable.read(&r, header: header)
    var free = [Int]()
    for raw in try r.array(UInt64.self, count: graph.removedCount, zero: 0, "removed slots") {
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
      guard Int(levels[slot]) <= maxLevel else {
        throw r.error(.corrupt, "item \(slot) has level \(levels[slot]) above max level \(maxLevel)")
      }
      expectedUpper += Int(levels[slot]) * linkWordsUpper
    }
    guard expectedUpper == upperWords else {
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
    self.maxLevel = maxLevel
    entryPoint = graph.entryPoint
    let problems = invariantViolations(limit: 1)
    if let first = problems.first {
      throw r.error(.corrupt, "graph check failed: \(first)")
    }
  }
}
