extension ExactIndex {
  /// Writes the index to `path` atomically (kind 1 of the index file format).
  public func write(to path: String) throws(SearchError) {
    let w = lock.reading { () -> ByteWriter in
      var w = ByteWriter()
      let header = IndexFileHeader(kind: .exact, distance: distance, dimension: dimension,
                                   slotCount: items.slotCount,
                                   payloadBytes: items.payloadByteCount)
      header.write(into: &w)
      vectors.withUnsafeBufferPointer { if !$0.isEmpty { w.raw($0.baseAddress!, count: $0.count) } }
      items.write(into: &w, slots: items.slotCount) { _ in false }
      return w
    }
    try IndexFile.writeAtomically(w, to: path)
  }

  /// Loads an exact index written by `write(to:)`, validating every field.
  public convenience init(contentsOf path: String) throws(SearchError) {
    var r = try IndexFile.read(path)
    let header = try IndexFileHeader.read(&r)
    guard header.kind == .exact else {
      throw r.error(.corrupt, "expected an exact index (kind 1), found an HNSW index (kind 2)")
    }
    try r.verifyChecksum()
    self.init(dimension: header.dimension, distance: header.distance)
    let n = header.slotCount * header.dimension
    vectors = try r.array(Float.self, count: n, zero: 0, "vectors")
    try vectors.withUnsafeBufferPointer { (p) throws(SearchError) in
      if n > 0 {
        try checkStoredVectors(p.baseAddress!, count: n, dimension: dimension, distance: distance,
                               reader: r)
      }
    }
    let (table, removed) = try ItemTable.read(&r, header: header)
    if let s = removed.firstIndex(of: true) {
      throw r.error(.corrupt, "item \(s) is marked removed; exact index files hold live items only")
    }
    items = table
    squaredNorms = (0..<header.slotCount).map { s in
      vectors[(s * dimension)..<((s + 1) * dimension)].reduce(0) { $0 + $1 * $1 }
    }
  }
}
