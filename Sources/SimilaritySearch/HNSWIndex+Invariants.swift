import SimilarityKernels

extension HNSWIndex {
  /// Checks the graph's structural invariants and returns one message per violation (empty
  /// when the index is sound): stored rows are finite (unit length for cosine); every link is in range, not a self link, unique within its list
  /// and points to a node that has that layer; lists hold at most `M` links (`2·M` on layer 0);
  /// levels are consistent with the upper-layer storage and with `maxLevel`; the entry point
  /// is valid and sits on the top layer; removed slots match the free list and the id map; a
  /// float16 traversal copy equals the rounding of the float32 walk rows; with a
  /// principal-component basis the axes are orthonormal and the rotated rows are the vectors
  /// times them.
  ///
  /// Used by the tests after every mutation and by the file loader (so a corrupt file that
  /// passes the checksum still cannot make a search read out of bounds).
  public func checkInvariants() -> [String] {
    lock.reading { invariantViolations(limit: 20) }
  }

  func invariantViolations(limit: Int) -> [String] {
    var problems = [String]()
    func report(_ message: String) -> Bool {
      problems.append(message)
      return problems.count >= limit
    }
    if slotCount > capacity, report("slot count \(slotCount) exceeds capacity \(capacity)") {
      return problems
    }
    if let entry = entryPoint {
      if entry < 0 || entry >= slotCount {
        _ = report("entry point \(entry) out of range 0..<\(slotCount)")
        return problems
      }
      if Int(levels[entry]) != maxLevel {
        if report("entry point \(entry) has level \(levels[entry]), max level is \(maxLevel)") {
          return problems
        }
      }
    } else if slotCount > 0 {
      _ = report("no entry point although \(slotCount) slots are stored")
    }
    if let problem = storedVectorProblem(vectors, rows: slotCount, dimension: dimension,
                                         distance: distance),
      report(problem)
    {
      return problems
    }
    if let problem = rotationProblem() { _ = report(problem); return problems }
    if let halfVectors {
      // The float16 copy must be the rounding of the float32 walk rows.
      var row = [UInt16](repeating: 0, count: dimension)
      for slot in 0..<slotCount {
        HalfPrecision.convert(walkVector(slot), toHalf: &row, count: dimension)
        if !row.elementsEqual(UnsafeBufferPointer(start: halfVectors + slot * dimension, count: dimension)),
          report("slot \(slot): the float16 copy differs from the float32 walk row")
        {
          return problems
        }
      }
    }
    for slot in 0..<slotCount {
      let level = Int(levels[slot])
      if level > maxLevel {
        if report("slot \(slot) has level \(level) > max level \(maxLevel)") { return problems }
        continue
      }
      if (level > 0) != (upper[slot] != nil),
        report("slot \(slot): level \(level) but upper-layer storage \(upper[slot] == nil ? "missing" : "present")")
      {
        return problems
      }
      for layer in 0...min(level, maxLevel) where layer == 0 || upper[slot] != nil {
        let list = links(slot, layer)
        let n = Int(list[0])
        if n > maxLinks(level: layer) {
          if report("slot \(slot) layer \(layer): \(n) links > \(maxLinks(level: layer))") {
            return problems
          }
          continue
        }
        var seen = Set<UInt32>()
        for j in 0..<n {
          let target = list[1 + j]
          if Int(target) >= slotCount {
            if report("slot \(slot) layer \(layer): link \(target) out of range") { return problems }
          } else if Int(target) == slot {
            if report("slot \(slot) layer \(layer): self link") { return problems }
          } else if !seen.insert(target).inserted {
            if report("slot \(slot) layer \(layer): duplicate link \(target)") { return problems }
          } else if Int(levels[Int(target)]) < layer {
            if report("slot \(slot) layer \(layer): link to \(target) whose level is \(levels[Int(target)])") {
              return problems
            }
          }
        }
      }
    }
    let free = Set(freeSlots)
    if free.count != freeSlots.count, report("free list has duplicates") { return problems }
    for slot in 0..<slotCount {
      let isFree = free.contains(slot)
      if (deleted[slot] != 0) != isFree,
        report("slot \(slot): removed flag \(deleted[slot]) disagrees with the free list")
      {
        return problems
      }
      if !isFree && items.slotOfID[items.ids[slot]] != slot,
        report("slot \(slot): id \(items.ids[slot]) does not map back to it")
      {
        return problems
      }
    }
    if items.slotOfID.count != slotCount - freeSlots.count {
      _ = report("id map has \(items.slotOfID.count) entries for \(slotCount - freeSlots.count) live items")
    }
    return problems
  }

  /// With a principal-component basis: the axes are orthonormal and every rotated row is its
  /// vector times them (naive loops in Double, float32-rounding tolerances).
  private func rotationProblem() -> String? {
    guard wantsRotation else {
      return rotation == nil && rotatedVectors == nil ? nil : "rotation kept for the original basis"
    }
    guard let rotation, let rotatedVectors else {
      if rotation != nil || rotatedVectors != nil { return "axes and rotated copy out of step" }
      return slotCount < minimumRowsToFit
        ? nil : "principal axes not fitted although \(slotCount) rows are stored"
    }
    let d = dimension
    guard rotation.count == d * d else { return "rotation has \(rotation.count) entries, not \(d * d)" }
    for i in 0..<d {
      for j in i..<d {
        var dot = 0.0
        for r in 0..<d { dot += Double(rotation[r * d + i]) * Double(rotation[r * d + j]) }
        if abs(dot - (i == j ? 1 : 0)) > 1e-4 {
          return "axes \(i) and \(j) have dot product \(dot)"
        }
      }
    }
    for slot in 0..<slotCount {
      let x = vector(slot)
      var norm = 0.0
      for r in 0..<d { norm += Double(x[r]) * Double(x[r]) }
      for j in 0..<d {
        var y = 0.0
        for r in 0..<d { y += Double(x[r]) * Double(rotation[r * d + j]) }
        if abs(y - Double(rotatedVectors[slot * d + j])) > 1e-4 * (norm.squareRoot() + 1) {
          return "slot \(slot): rotated component \(j) is \(rotatedVectors[slot * d + j]), expected \(y)"
        }
      }
    }
    return nil
  }
}
