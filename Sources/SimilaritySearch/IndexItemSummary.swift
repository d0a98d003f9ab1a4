/// Counts over the live items of an index: how many carry each label, how many carry none, and
/// how many payloads of each length there are. A saved model checks its manifest's class sizes
/// against ``labelCounts``, and a reader of payloads can check their lengths, without walking
/// the index item by item.
public struct IndexItemSummary: Equatable, Sendable {
  /// Live items per label.
  public var labelCounts: [Int: Int] = [:]
  /// Live items without a label.
  public var unlabelledCount = 0
  /// Live items per payload length in bytes (items without a payload are not counted).
  public var payloadLengthCounts: [Int: Int] = [:]
  /// Live items without a payload.
  public var withoutPayloadCount = 0

  /// Creates an empty summary.
  public init() {}
}

extension ItemTable {
  /// The summary of the slots for which `isLive` holds.
  func summary(slots: Int, isLive: (Int) -> Bool) -> IndexItemSummary {
    var summary = IndexItemSummary()
    for slot in 0..<slots where isLive(slot) {
      if let label = labels[slot] {
        summary.labelCounts[label, default: 0] += 1
      } else {
        summary.unlabelledCount += 1
      }
      if let payload = payloads[slot] {
        summary.payloadLengthCounts[payload.count, default: 0] += 1
      } else {
        summary.withoutPayloadCount += 1
      }
    }
    return summary
  }
}

extension ExactIndex {
  /// Label and payload counts over every item.
  public var itemSummary: IndexItemSummary {
    lock.reading { items.summary(slots: items.slotCount) { _ in true } }
  }

  /// Checks the stored rows (finite; unit length for cosine), their cached squared norms and
  /// the id map; one message per violation (empty when the index is sound). What
  /// `similarity index info --check` runs for an exact index.
  public func checkInvariants() -> [String] {
    lock.reading {
      var problems: [String] = []
      let rows = items.slotCount
      if vectors.count != rows * dimension || squaredNorms.count != rows {
        return [
          "\(vectors.count) stored components and \(squaredNorms.count) norms for \(rows) "
            + "items of dimension \(dimension)"
        ]
      }
      if let problem = vectors.withUnsafeBufferPointer({
        storedVectorProblem($0.baseAddress!, rows: rows, dimension: dimension, distance: distance)
      }) {
        problems.append(problem)
      }
      for row in 0..<rows {
        let norm = vectors[(row * dimension)..<((row + 1) * dimension)].reduce(0) { $0 + $1 * $1 }
        if norm != squaredNorms[row] {
          problems.append("item \(row): cached squared norm \(squaredNorms[row]), recomputed \(norm)")
          break
        }
      }
      for row in 0..<rows where items.slotOfID[items.ids[row]] != row {
        problems.append("item \(row): id \(items.ids[row]) does not map back to it")
        break
      }
      return problems
    }
  }
}

extension HNSWIndex {
  /// Label and payload counts over the live (not removed) items.
  public var itemSummary: IndexItemSummary {
    lock.reading { items.summary(slots: slotCount) { deleted[$0] == 0 } }
  }
}
