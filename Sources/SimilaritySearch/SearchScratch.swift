/// A (ranking distance, storage slot) pair in a heap.
struct HeapEntry {
  var distance: Float
  var slot: UInt32
}

/// A binary max-heap of `HeapEntry` on a manually managed buffer (no ARC or bounds checks in
/// the search loop). A min-heap is used by pushing negated distances.
struct MaxHeap {
  private(set) var storage: UnsafeMutablePointer<HeapEntry>
  private(set) var capacity: Int
  private(set) var count = 0

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    storage = .allocate(capacity: self.capacity)
  }

  func deallocate() { storage.deallocate() }

  var isEmpty: Bool { count == 0 }

  /// The largest entry; the heap must not be empty.
  @inline(__always) var top: HeapEntry { storage[0] }

  @inline(__always) mutating func removeAll() { count = 0 }

  @inline(__always)
  mutating func push(_ distance: Float, _ slot: UInt32) {
    if count == capacity { grow() }
    var i = count
    count += 1
    while i > 0 {
      let parent = (i - 1) >> 1
      if storage[parent].distance >= distance { break }
      storage[i] = storage[parent]
      i = parent
    }
    storage[i] = HeapEntry(distance: distance, slot: slot)
  }

  @discardableResult @inline(__always)
  mutating func pop() -> HeapEntry {
    let result = storage[0]
    count -= 1
    if count > 0 { siftDown(storage[count]) }
    return result
  }

  /// Replaces the top with a new entry (cheaper than pop + push).
  @inline(__always)
  mutating func replaceTop(_ distance: Float, _ slot: UInt32) {
    siftDown(HeapEntry(distance: distance, slot: slot))
  }

  @inline(__always)
  private mutating func siftDown(_ entry: HeapEntry) {
    var i = 0
    let n = count
    while true {
      var child = 2 * i + 1
      if child >= n { break }
      if child + 1 < n && storage[child + 1].distance > storage[child].distance { child += 1 }
      if storage[child].distance <= entry.distance { break }
      storage[i] = storage[child]
      i = child
    }
    storage[i] = entry
  }

  private mutating func grow() {
    let bigger = UnsafeMutablePointer<HeapEntry>.allocate(capacity: capacity * 2)
    bigger.update(from: storage, count: count)
    storage.deallocate()
    storage = bigger
    capacity *= 2
  }
}

/// Per-search scratch: a visited list with epoch tags (no clearing between queries), the two
/// heaps of the best-first search and buffers for one neighbour list. One thread uses a context at
/// a time; indexes keep a pool.
final class SearchContext {
  private(set) var visitedTags: UnsafeMutablePointer<UInt16>
  private(set) var visitedCapacity: Int
  private(set) var epoch: UInt16 = 0
  var candidates: MaxHeap
  var results: MaxHeap
  let links: UnsafeMutablePointer<UInt32>
  let batchSlots: UnsafeMutablePointer<UInt32>
  let batchDistances: UnsafeMutablePointer<Float>

  init(slots: Int, maxLinks: Int) {
    visitedCapacity = max(slots, 1)
    visitedTags = .allocate(capacity: visitedCapacity)
    visitedTags.initialize(repeating: 0, count: visitedCapacity)
    candidates = MaxHeap(capacity: 256)
    results = MaxHeap(capacity: 256)
    links = .allocate(capacity: maxLinks + 1)
    batchSlots = .allocate(capacity: maxLinks + 1)
    batchDistances = .allocate(capacity: maxLinks + 1)
  }

  deinit {
    visitedTags.deallocate()
    candidates.deallocate()
    results.deallocate()
    links.deallocate()
    batchSlots.deallocate()
    batchDistances.deallocate()
  }

  /// Starts a new query over `slots` storage slots: bumps the epoch (clearing on wrap-around).
  @inline(__always)
  func beginQuery(slots: Int) {
    if slots > visitedCapacity {
      visitedTags.deallocate()
      visitedCapacity = max(slots, visitedCapacity * 2)
      visitedTags = .allocate(capacity: visitedCapacity)
      visitedTags.initialize(repeating: 0, count: visitedCapacity)
      epoch = 0
    }
    if epoch == UInt16.max {
      visitedTags.update(repeating: 0, count: visitedCapacity)
      epoch = 0
    }
    epoch &+= 1
    candidates.removeAll()
    results.removeAll()
  }

  /// Marks `slot` visited; returns whether it was new.
  @inline(__always)
  func visit(_ slot: UInt32) -> Bool {
    let p = visitedTags + Int(slot)
    if p.pointee == epoch { return false }
    p.pointee = epoch
    return true
  }
}

/// A small pool of `SearchContext`s so concurrent searches never share scratch memory.
final class SearchContextPool: @unchecked Sendable {
  private let mutex = PlainMutex()
  private var free: [SearchContext] = []
  private let maxLinks: Int

  init(maxLinks: Int) {
    self.maxLinks = maxLinks
  }

  func withContext<T, E: Error>(slots: Int, _ body: (SearchContext) throws(E) -> T) throws(E)
    -> T
  {
    let context = mutex.withLock { free.popLast() } ?? SearchContext(slots: slots, maxLinks: maxLinks)
    defer { mutex.withLock { free.append(context) } }
    return try body(context)
  }
}
