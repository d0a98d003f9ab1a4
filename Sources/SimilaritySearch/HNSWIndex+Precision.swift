import SimilarityKernels

/// The precision of the vectors an `HNSWIndex` search walks the graph with.
public enum TraversalPrecision: String, Sendable, CaseIterable, Codable {
  /// The stored float32 vectors (the default).
  case float32
  /// A float16 (IEEE binary16) copy of the vectors: half the memory traffic per distance
  /// on layer 0, then the `efSearch` candidates found are re-ranked with the float32 vectors,
  /// so reported distances are exact. Costs 2 bytes per component on top of the float32
  /// vectors. Components are rounded to 11 significant bits (integers up to 2048 — 8-bit
  /// pixels — are exact, on the original basis; rotated components are not integers); magnitudes beyond 65504 saturate, which only degrades the walk.
  case float16
}

extension HNSWIndex {
  /// What searches walk the graph with (see ``TraversalPrecision``; the float16 copy is of the
  /// walk rows, so it combines with ``traversalBasis``); with `.float16` the
  /// candidate searches of later inserts use the copy as well (a faster build; the neighbour
  /// heuristic still compares float32 pairwise distances). Not part of the saved file: a
  /// loaded index walks with `.float32` until this is set. Setting it takes the exclusive
  /// lock; `.float16` converts every stored vector once and keeps the copy current through
  /// adds, updates and removals.
  public var traversalPrecision: TraversalPrecision {
    get { lock.reading { halfVectors == nil ? .float32 : .float16 } }
    set {
      lock.writing {
        switch newValue {
        case .float32:
          IndexMemory.releaseLarge(halfVectors)
          halfVectors = nil
        case .float16:
          guard halfVectors == nil else { return }
          let copy: UnsafeMutablePointer<UInt16> = Self.largeBuffer(capacity * dimension)
          HalfPrecision.convert(walkVectors, toHalf: copy, count: slotCount * dimension)
          halfVectors = copy
        }
      }
    }
  }
}
