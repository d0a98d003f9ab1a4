extension HNSWIndex {
  /// Bytes of the index's storage by part (allocated capacity, not just used slots):
  /// `vectorsAndLinks` is the float32 vectors plus every link list (layer 0 and upper layers);
  /// `other` is the per-slot bookkeeping (levels, removed flags, node locks, upper-layer
  /// pointers, ids, labels, payload references, the id map), the float16 copy and the rotated
  /// copy with its axes, if any.
  public var structureBytes: (vectorsAndLinks: Int, other: Int) {
    lock.reading {
      var upperLinks = 0
      for slot in 0..<slotCount { upperLinks += Int(levels[slot]) * linkWordsUpper * 4 }
      let vectorsAndLinks = capacity * dimension * 4 + capacity * linkWords0 * 4 + upperLinks
      let perSlot = 1 + 1 + 4 + MemoryLayout<UnsafeMutablePointer<UInt32>?>.stride
      let itemBytes =
        items.ids.capacity * MemoryLayout<Int>.stride
        + items.labels.capacity * MemoryLayout<Int?>.stride
        + items.payloads.capacity * MemoryLayout<[UInt8]?>.stride
        + (items.slotOfID.isIdentity ? 0 : items.slotOfID.count * 2 * MemoryLayout<Int>.stride)
      let half = halfVectors == nil ? 0 : capacity * dimension * 2
      let rotated = rotatedVectors == nil ? 0 : (capacity + dimension) * dimension * 4
      return (vectorsAndLinks, capacity * perSlot + itemBytes + half + rotated)
    }
  }
}
