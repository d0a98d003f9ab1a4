import Dispatch
import SimilarityKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An approximate nearest-neighbour index: Hierarchical Navigable Small World graphs
/// (Malkov & Yashunin 2018, <https://arxiv.org/abs/1603.09320>).
///
/// Each item gets a level drawn from `⌊−ln(U) / ln(M)⌋`; it is linked to up to `maxConnections`
/// (M) neighbours on each of its upper layers and up to `2·M` on layer 0, chosen with the
/// paper's neighbour-selection heuristic (algorithm 4, without extending candidates). A search
/// descends greedily from the entry point through the upper layers, then runs a best-first
/// search of width `max(efSearch, k)` on layer 0.
///
/// Memory layout (flat, manually allocated, indexed by storage slot):
///
///     vectors   Float    capacity × dimension     row = slot, 64-byte aligned, prepared
///                                                 (normalised for cosine, centred for SNR)
///     level0    UInt32   capacity × (2M + 1)      [count, neighbour slots…] for layer 0
///     upper     pointer  capacity                 per slot: level × (M + 1) words, same shape
///     levels    UInt8    capacity                 top layer of each slot
///     deleted   UInt8    capacity                 1 = removed (tombstone)
///     items     ItemTable                         id / label / payload per slot, id → slot
///
/// For `.innerProduct` (not a metric) the graph is built with squared Euclidean distance
/// between the stored vectors and searched with the inner product; maximum inner product
/// search typically needs a larger `efSearch` than metric distances for the same recall.
///
/// **Ids** are `Int`s chosen by the caller, or the next unused integer (0, 1, 2, …).
///
/// **Removal** marks the slot deleted: it stays in the graph for routing (so connectivity is
/// unchanged) and is never returned. The next `add` reuses a deleted slot: its former neighbours
/// drop their links to it and are re-linked among the slot's old neighbours, then the slot gets
/// the new vector and is connected like a fresh insert (it keeps its level). **Update** does the
/// same in place.
///
/// **Concurrency model.** The index is a thread-safe reference type. A reader–writer lock guards
/// it: searches hold it shared (any number at once, no per-node locking in the hot loop); every
/// mutation holds it exclusively. A batch add holds it for chunks of `batchChunk` rows, so
/// searches interleave between chunks; inside a chunk the rows are inserted by `threads` workers
/// (pthreads, see `runWorkers`), each taking the next row from an atomic counter, with a
/// spin lock per node around every link-list read or write and a mutex for the entry point.
/// With more than one worker the graph depends on thread timing; with `threads: 1` an index is a
/// deterministic function of its inputs and `seed`.
public final class HNSWIndex: VectorIndex, @unchecked Sendable {
  /// The vector length.
  public let dimension: Int
  /// The distance the index ranks by.
  public let distance: Distance
  /// M: links per node on layers ≥ 1 (layer 0 gets `2·M`).
  public let maxConnections: Int
  /// efConstruction: the search width used while inserting.
  public let efConstruction: Int
  /// The seed of the level generator.
  public let seed: UInt64
  /// Rows per exclusive-lock section of a batch add.
  public var batchChunk = 4096

  let space: DistanceSpace
  /// The distance the graph is built with: `space`, except Euclidean for `.innerProduct`
  /// (inner product is not a metric, and graphs built with it route poorly).
  let graphSpace: DistanceSpace
  let maxLinks0: Int
  let levelScale: Double
  var ef: Int
  var capacity = 0
  var slotCount = 0
  var vectors: UnsafeMutablePointer<Float>
  var level0: UnsafeMutablePointer<UInt32>
  var upper: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
  var levels: UnsafeMutablePointer<UInt8>
  var deleted: UnsafeMutablePointer<UInt8>
  /// The float16 copy of the walk rows (`rotatedVectors` if set, else `vectors`) that layer-0
  /// searches read when `traversalPrecision` is `.float16`; `nil` otherwise.
  var halfVectors: UnsafeMutablePointer<UInt16>?
  /// `traversalBasis` is `.principalComponents` (the axes may not be fitted yet).
  var wantsRotation = false
  /// The principal axes, `[dimension, dimension]` row-major, once fitted.
  var rotation: [Float]?
  /// `vectors · rotation`, the rows the graph is walked on when `rotation` is set.
  var rotatedVectors: UnsafeMutablePointer<Float>?
  var nodeLocks: UnsafeMutablePointer<Int32>
  var items = ItemTable()
  var freeSlots: [Int] = []
  var entryPoint: Int?
  var maxLevel = -1
  var rng: SplitMix64
  var concurrentBuild = false
  let lock = ReadWriteLock()
  let entryMutex = PlainMutex()
  let contexts: SearchContextPool

  /// Creates an empty index.
  ///
  /// - Parameters:
  ///   - dimension: the vector length (≥ 1).
  ///   - distance: what to rank by.
  ///   - maxConnections: M (2…255); layer 0 keeps up to `2·M` links.
  ///   - efConstruction: search width while inserting (≥ 1).
  ///   - efSearch: default search width (≥ 1); `max(efSearch, k)` is used.
  ///   - seed: seeds the level generator.
  ///   - capacity: slots to reserve up front (grows as needed).
  public init(
    dimension: Int, distance: Distance, maxConnections: Int = 16, efConstruction: Int = 200,
    efSearch: Int = 50, seed: UInt64 = 0, capacity: Int = 1024
  ) {
    precondition(dimension >= 1, "HNSWIndex: dimension \(dimension) must be at least 1")
    precondition((2...255).contains(maxConnections), "HNSWIndex: maxConnections \(maxConnections)")
    precondition(efConstruction >= 1, "HNSWIndex: efConstruction \(efConstruction)")
    precondition(efSearch >= 1, "HNSWIndex: efSearch \(efSearch)")
    self.dimension = dimension
    self.distance = distance
    self.maxConnections = maxConnections
    self.efConstruction = efConstruction
    self.ef = efSearch
    self.seed = seed
    self.rng = SplitMix64(seed: seed)
    space = DistanceSpace(distance: distance, dimension: dimension)
    graphSpace = distance == .innerProduct
      ? DistanceSpace(distance: .squaredEuclidean, dimension: dimension) : space
    maxLinks0 = 2 * maxConnections
    levelScale = 1 / naturalLog(Double(maxConnections))
    contexts = SearchContextPool(maxLinks: 2 * maxConnections)
    vectors = Self.largeBuffer(0)
    level0 = Self.largeBuffer(0)
    upper = .allocate(capacity: 0)
    levels = .allocate(capacity: 0)
    deleted = .allocate(capacity: 0)
    nodeLocks = .allocate(capacity: 0)
    reserve(max(capacity, 1))
  }

  deinit {
    for slot in 0..<slotCount { upper[slot]?.deallocate() }
    IndexMemory.releaseLarge(vectors)
    IndexMemory.releaseLarge(halfVectors)
    IndexMemory.releaseLarge(rotatedVectors)
    IndexMemory.releaseLarge(level0)
    upper.deallocate()
    levels.deallocate()
    deleted.deallocate()
    nodeLocks.deallocate()
  }

  /// ef: the default search width; a search uses `max(efSearch, k)`.
  public var efSearch: Int {
    get { lock.reading { ef } }
    set {
      precondition(newValue >= 1, "efSearch \(newValue) must be at least 1")
      lock.writing { ef = newValue }
    }
  }

  /// The number of live (not removed) items.
  public var count: Int { lock.reading { slotCount - freeSlots.count } }

  /// Storage slots in use, including removed ones awaiting reuse.
  public var storedSlots: Int { lock.reading { slotCount } }

  // MARK: Storage

  @inline(__always) var linkWords0: Int { maxLinks0 + 1 }
  @inline(__always) var linkWordsUpper: Int { maxConnections + 1 }
  @inline(__always) func maxLinks(level: Int) -> Int { level == 0 ? maxLinks0 : maxConnections }

  /// The link list of `slot` on `level`: word 0 is the count, then the neighbour slots.
  @inline(__always)
  func links(_ slot: Int, _ level: Int) -> UnsafeMutablePointer<UInt32> {
    level == 0
      ? level0 + slot * linkWords0
      : upper[slot].unsafelyUnwrapped + (level - 1) * linkWordsUpper
  }

  @inline(__always) func vector(_ slot: Int) -> UnsafeMutablePointer<Float> {
    vectors + slot * dimension
  }

  /// Grows every per-slot buffer to at least `newCapacity` slots (exclusive lock held).
  func reserve(_ newCapacity: Int) {
    guard newCapacity > capacity else { return }
    let newVectors: UnsafeMutablePointer<Float> = Self.largeBuffer(newCapacity * dimension)
    newVectors.update(from: vectors, count: slotCount * dimension)
    IndexMemory.releaseLarge(vectors)
    vectors = newVectors
    // `large`: storage the walk reads at random, on `largeBuffer`s.
    func grow<T>(_ old: inout UnsafeMutablePointer<T>, _ width: Int, _ zero: T, large: Bool = false) {
      let fresh: UnsafeMutablePointer<T> =
        large ? Self.largeBuffer(newCapacity * width) : .allocate(capacity: newCapacity * width)
      fresh.initialize(repeating: zero, count: newCapacity * width)
      fresh.update(from: old, count: slotCount * width)
      if large { IndexMemory.releaseLarge(old) } else { old.deallocate() }
      old = fresh
    }
    // The optional walk copies (rows past slotCount are written before they are read).
    func growCopy<T>(_ copy: inout UnsafeMutablePointer<T>?) {
      guard let old = copy else { return }
      let fresh: UnsafeMutablePointer<T> = Self.largeBuffer(newCapacity * dimension)
      fresh.update(from: old, count: slotCount * dimension)
      IndexMemory.releaseLarge(old)
      copy = fresh
    }
    growCopy(&halfVectors)
    growCopy(&rotatedVectors)
    grow(&level0, linkWords0, 0, large: true)
    grow(&upper, 1, nil)
    grow(&levels, 1, 0)
    grow(&deleted, 1, 0)
    grow(&nodeLocks, 1, 0)
    capacity = newCapacity
  }

  /// `count` uninitialised elements of the storage the walk reads at random (vectors, their
  /// float16 copy, layer-0 links): 64-byte aligned, and from 2 MiB on on transparent huge pages
  /// (`IndexMemory.allocateLarge`), so a distance costs a cache miss but rarely a TLB miss. Released
  /// with `IndexMemory.releaseLarge`.
  static func largeBuffer<T>(_ count: Int) -> UnsafeMutablePointer<T> {
    guard let raw = IndexMemory.allocateLarge(byteCount: max(count, 1) * MemoryLayout<T>.stride) else {
      fatalError("HNSWIndex: out of memory for \(count) × \(MemoryLayout<T>.stride) bytes")
    }
    return raw.bindMemory(to: T.self, capacity: max(count, 1))
  }

  /// Appends a slot holding `prepared` at a freshly drawn level (exclusive lock held). Its walk
  /// copies are stored too unless `storeWalk` is false (the caller then stores a range at once).
  func appendSlot(_ prepared: UnsafePointer<Float>, storeWalk: Bool = true) -> Int {
    if slotCount == capacity { reserve(max(capacity * 2, 1024)) }
    let slot = slotCount
    slotCount += 1
    vector(slot).update(from: prepared, count: dimension)
    if storeWalk { storeWalkRows(slot..<(slot + 1)) }
    let u = 1 - Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let level = min(Int(-naturalLog(u) * levelScale), 32)
    levels[slot] = UInt8(level)
    deleted[slot] = 0
    level0[slot * linkWords0] = 0
    if level > 0 {
      let block = UnsafeMutablePointer<UInt32>.allocate(capacity: level * linkWordsUpper)
      block.initialize(repeating: 0, count: level * linkWordsUpper)
      upper[slot] = block
    }
    return slot
  }

  // MARK: Graph search

  /// Copies the links of `slot` on `level` into `buffer` (under the node lock while a parallel
  /// build runs) and returns how many there are.
  @inline(__always)
  func readLinks(_ slot: Int, _ level: Int, into buffer: UnsafeMutablePointer<UInt32>) -> Int {
    let list = links(slot, level)
    if concurrentBuild { IndexMemory.spinLock(nodeLocks + slot) }
    let n = Int(list[0])
    buffer.update(from: list + 1, count: n)
    if concurrentBuild { IndexMemory.spinUnlock(nodeLocks + slot) }
    return n
  }

  /// Greedy walk on `level` from `start` towards `query` (search width 1).
  func greedyStep(
    _ query: UnsafePointer<Float>, from start: Int, distance startDistance: Float, level: Int,
    context: SearchContext, metric: DistanceSpace, halfBase: UnsafePointer<UInt16>? = nil
  ) -> (slot: Int, distance: Float) {
    var current = start
    var currentDistance = startDistance
    var improved = true
    let base = UnsafePointer(walkVectors)
    let links = context.links
    let distances = context.batchDistances
    while improved {
      improved = false
      let n = readLinks(current, level, into: links)
      metric.rankingDistances(
        query, base: base, halfBase: halfBase, rows: links, count: n, bound: currentDistance,
        into: distances)
      for j in 0..<n where distances[j] < currentDistance {
        currentDistance = distances[j]
        current = Int(links[j])
        improved = true
      }
    }
    return (current, currentDistance)
  }

  /// Best-first search on `level` (algorithm 2). Leaves up to `ef` accepted slots in
  /// `context.results` (a max-heap on ranking distance). Deleted slots, and slots `accept`
  /// rejects, are traversed but not returned when `skipDeleted` is set.
  func searchLayer(
    _ query: UnsafePointer<Float>, entry: Int, entryDistance: Float, ef: Int, level: Int,
    context: SearchContext, skipDeleted: Bool, accept: ((Int) -> Bool)?, metric: DistanceSpace,
    halfBase: UnsafePointer<UInt16>? = nil
  ) {
    context.beginQuery(slots: slotCount)
    _ = context.visit(UInt32(entry))
    let filtering = skipDeleted || accept != nil
    @inline(__always) func accepted(_ slot: Int) -> Bool {
      if !filtering { return true }
      if skipDeleted && deleted[slot] != 0 { return false }
      if let accept, !accept(items.ids[slot]) { return false }
      return true
    }
    // Locals instead of class properties: no dynamic exclusivity checks in the hot loop.
    var candidates = context.candidates
    var results = context.results
    defer {
      context.candidates = candidates
      context.results = results
    }
    let tags = context.visitedTags
    let epoch = context.epoch
    let links = context.links
    let slots = context.batchSlots
    let distances = context.batchDistances
    let locking = concurrentBuild
    let level0 = self.level0
    let base = UnsafePointer(walkVectors)
    let words0 = linkWords0
    var bound = Float.infinity
    candidates.push(-entryDistance, UInt32(entry))
    if accepted(entry) {
      results.push(entryDistance, UInt32(entry))
      bound = entryDistance
    }
    while !candidates.isEmpty {
      let nearest = candidates.top
      if -nearest.distance > bound && (results.count >= ef || !filtering) { break }
      candidates.pop()
      let current = Int(nearest.slot)
      let list = level == 0 ? level0 + current * words0 : self.links(current, level)
      if locking { IndexMemory.spinLock(nodeLocks + current) }
      let n = Int(list[0])
      links.update(from: list + 1, count: n)
      if locking { IndexMemory.spinUnlock(nodeLocks + current) }
      var fresh = 0
      for j in 0..<n {
        let s = links[j]
        if tags[Int(s)] != epoch {
          tags[Int(s)] = epoch
          slots[fresh] = s
          fresh += 1
        }
      }
      if fresh == 0 { continue }
      // Only candidates nearer than `bound` matter once `results` is full, so the kernel may
      // stop summing early for the others.
      metric.rankingDistances(query, base: base, halfBase: halfBase, rows: slots, count: fresh,
                              bound: results.count < ef ? .infinity : bound, into: distances)
      for j in 0..<fresh {
        let d = distances[j]
        if results.count < ef || d < bound {
          let s = slots[j]
          candidates.push(-d, s)
          if level == 0 { IndexMemory.prefetch(level0 + Int(s) * words0) }
          if accepted(Int(s)) {
            if results.count < ef {
              results.push(d, s)
            } else {
              results.replaceTop(d, s)
            }
            bound = results.top.distance
          }
        }
      }
    }
  }

  /// Drains `context.results` into an array sorted nearest first (ties: smaller slot first).
  func drainResults(_ context: SearchContext) -> [HeapEntry] {
    var out = [HeapEntry]()
    out.reserveCapacity(context.results.count)
    while !context.results.isEmpty { out.append(context.results.pop()) }
    out.reverse()
    return out
  }

  // MARK: Insertion

  /// The neighbour-selection heuristic: walking candidates nearest first, keep one only if it
  /// is closer to the base than to every neighbour already kept; stop at `limit`.
  func selectNeighbors(_ sorted: [HeapEntry], limit: Int) -> [HeapEntry] {
    if sorted.count <= limit { return sorted }
    var kept = [HeapEntry]()
    kept.reserveCapacity(limit)
    for candidate in sorted {
      if kept.count >= limit { break }
      let v = walkVector(Int(candidate.slot))
      var good = true
      for other in kept
      where graphSpace.rankingDistance(v, walkVector(Int(other.slot)), isBelow: candidate.distance) {
        good = false
        break
      }
      if good { kept.append(candidate) }
    }
    return kept
  }

  /// Adds the link `slot → newNeighbor` on `level`, pruning with the heuristic when full.
  func addLink(from slot: Int, to newNeighbor: Int, distance: Float, level: Int) {
    if concurrentBuild { IndexMemory.spinLock(nodeLocks + slot) }
    defer { if concurrentBuild { IndexMemory.spinUnlock(nodeLocks + slot) } }
    let list = links(slot, level)
    let n = Int(list[0])
    for j in 0..<n where Int(list[1 + j]) == newNeighbor { return }
    let limit = maxLinks(level: level)
    if n < limit {
      list[1 + n] = UInt32(newNeighbor)
      list[0] = UInt32(n + 1)
      return
    }
    let base = walkVector(slot)
    var candidates = [HeapEntry(distance: distance, slot: UInt32(newNeighbor))]
    for j in 0..<n {
      let other = list[1 + j]
      candidates.append(
        HeapEntry(distance: graphSpace.rankingDistance(base, walkVector(Int(other))), slot: other))
    }
    candidates.sort { ($0.distance, $0.slot) < ($1.distance, $1.slot) }
    let kept = selectNeighbors(candidates, limit: limit)
    for (j, entry) in kept.enumerated() { list[1 + j] = entry.slot }
    list[0] = UInt32(kept.count)
  }

  /// Links `slot` (whose vector and level are set) into the graph: greedy descent from the
  /// entry point, then on each of its layers a search of width efConstruction, heuristic
  /// selection of M neighbours, and links in both directions.
  func connect(_ slot: Int, context: SearchContext) {
    let level = Int(levels[slot])
    if concurrentBuild { entryMutex.lock() }
    guard let entry = entryPoint else {
      entryPoint = slot
      maxLevel = level
      if concurrentBuild { entryMutex.unlock() }
      return
    }
    let top = maxLevel
    let raisesTop = level > top
    if concurrentBuild && !raisesTop { entryMutex.unlock() }
    defer {
      if raisesTop {
        entryPoint = slot
        maxLevel = level
      }
      if concurrentBuild && raisesTop { entryMutex.unlock() }
    }
    let query = UnsafePointer(walkVector(slot))
    // With a float16 copy the candidate searches walk it too (the heuristic below then
    // compares float16 candidate distances with float32 pairwise ones).
    let halfBase = halfVectors.map { UnsafePointer($0) }
    var current = entry
    var currentDistance = graphSpace.rankingDistance(query, walkVector(entry))
    var l = top
    while l > level {
      (current, currentDistance) = greedyStep(
        query, from: current, distance: currentDistance, level: l, context: context,
        metric: graphSpace, halfBase: halfBase)
      l -= 1
    }
    for layer in stride(from: min(level, top), through: 0, by: -1) {
      searchLayer(
        query, entry: current, entryDistance: currentDistance, ef: efConstruction, level: layer,
        context: context, skipDeleted: false, accept: nil, metric: graphSpace,
        halfBase: halfBase)
      let found = drainResults(context).filter { Int($0.slot) != slot }
      guard let nearest = found.first else { continue }
      let chosen = selectNeighbors(found, limit: maxConnections)
      let list = links(slot, layer)
      if concurrentBuild { IndexMemory.spinLock(nodeLocks + slot) }
      // In a concurrent build another worker may already have linked this node on this layer:
      // its descent from a layer above can enter here and pick it before this list is written.
      // Overwriting would lose that link (and with it possibly the other node's only way in),
      // so a non-empty list is merged into link by link, pruned by the heuristic when full.
      let merges = concurrentBuild && list[0] != 0
      if !merges {
        for (j, entry) in chosen.enumerated() { list[1 + j] = entry.slot }
        list[0] = UInt32(chosen.count)
      }
      if concurrentBuild { IndexMemory.spinUnlock(nodeLocks + slot) }
      if merges {
        for entry in chosen {
          addLink(from: slot, to: Int(entry.slot), distance: entry.distance, level: layer)
        }
      }
      for neighbor in chosen {
        addLink(from: Int(neighbor.slot), to: slot, distance: neighbor.distance, level: layer)
      }
      current = Int(nearest.slot)
      currentDistance = nearest.distance
    }
  }

  /// Re-links a slot whose vector is about to change (reuse of a removed slot, or update):
  /// each former neighbour drops its link to `slot` and is re-linked among the slot's old
  /// neighbours; then the new vector is stored and connected. Exclusive lock held.
  func relink(_ slot: Int, to prepared: UnsafePointer<Float>, context: SearchContext) {
    let level = Int(levels[slot])
    for layer in 0...level {
      let own = links(slot, layer)
      let oldNeighbors = (0..<Int(own[0])).map { Int(own[1 + $0]) }
      for neighbor in oldNeighbors {
        let list = links(neighbor, layer)
        let current = (0..<Int(list[0])).map { Int(list[1 + $0]) }
        guard current.contains(slot) else { continue }
        var pool = Set(current)
        pool.formUnion(oldNeighbors)
        pool.remove(slot)
        pool.remove(neighbor)
        let base = walkVector(neighbor)
        var candidates = pool.map { other in
          HeapEntry(
            distance: graphSpace.rankingDistance(base, walkVector(other)), slot: UInt32(other))
        }
        candidates.sort { ($0.distance, $0.slot) < ($1.distance, $1.slot) }
        let kept = selectNeighbors(candidates, limit: maxLinks(level: layer))
        for (j, entry) in kept.enumerated() { list[1 + j] = entry.slot }
        list[0] = UInt32(kept.count)
      }
    }
    vector(slot).update(from: prepared, count: dimension)
    storeWalkRows(slot..<(slot + 1))
    deleted[slot] = 0
    connect(slot, context: context)
  }

  /// Stores one prepared vector with `id` in a reused or new slot and links it (exclusive lock
  /// held).
  func insertPrepared(
    _ prepared: UnsafePointer<Float>, id: Int, label: Int?, payload: [UInt8]?,
    context: SearchContext
  ) {
    if let slot = freeSlots.popLast() {
      items.assign(slot: slot, id: id, label: label, payload: payload)
      relink(slot, to: prepared, context: context)
    } else {
      let slot = appendSlot(prepared)
      items.append(id: id, label: label, payload: payload)
      connect(slot, context: context)
      fitRotationIfDue(incoming: nil)
    }
  }

  // MARK: Public mutation

  /// Adds one item and returns its id (`id`, or the next unused id when `nil`).
  @discardableResult
  public func add(
    _ vector: [Float], id: Int? = nil, label: Int? = nil, payload: [UInt8]? = nil
  ) throws(SearchError) -> Int {
    let prepared = try space.prepare(vector)
    return try lock.writing { () throws(SearchError) -> Int in
      let newID = try items.resolveIDs(id.map { [$0] }, count: 1)[0]
      contexts.withContext(slots: slotCount + 1) { context in
        prepared.withUnsafeBufferPointer {
          insertPrepared($0.baseAddress!, id: newID, label: label, payload: payload,
                         context: context)
        }
      }
      return newID
    }
  }

  /// Adds `vectors` (`[rows, dimension]` row-major) with optional per-row ids, labels and
  /// payloads, using all processors; returns the ids.
  @discardableResult
  public func add(
    vectors: [Float], ids: [Int]? = nil, labels: [Int?]? = nil, payloads: [[UInt8]?]? = nil
  ) throws(SearchError) -> [Int] {
    try add(vectors: vectors, ids: ids, labels: labels, payloads: payloads,
            threads: defaultThreadCount(), progress: nil)
  }

  /// Batch add with an explicit worker count and an optional progress callback (rows done,
  /// rows total), called after each chunk. Validates every row before changing anything.
  @discardableResult
  public func add(
    vectors: [Float], ids: [Int]?, labels: [Int?]?, payloads: [[UInt8]?]?, threads: Int,
    progress: ((Int, Int) -> Void)?
  ) throws(SearchError) -> [Int] {
    let prepared = try prepareRows(vectors, space: space)
    let rows = prepared.count / dimension
    try checkBatchCounts(rows: rows, labels: labels, payloads: payloads)
    var assigned = [Int]()
    var done = 0
    try lock.writing { () throws(SearchError) in
      assigned = try items.resolveIDs(ids, count: rows)
      prepared.withUnsafeBufferPointer { fitRotationIfDue(incoming: $0) }
      // Reuse removed slots one by one; append the rest in parallel chunks below.
      contexts.withContext(slots: slotCount) { context in
        prepared.withUnsafeBufferPointer { all in
          while done < rows && !freeSlots.isEmpty {
            insertPrepared(all.baseAddress! + done * dimension, id: assigned[done],
                           label: labels?[done] ?? nil, payload: payloads?[done] ?? nil,
                           context: context)
            done += 1
          }
        }
      }
    }
    if done < rows {
      // One allocation for the whole batch: growing chunk by chunk would copy every stored
      // row again for each chunk.
      lock.writing { reserve(slotCount + rows - done) }
    }
    while done < rows {
      let end = min(rows, done + max(batchChunk, 1))
      lock.writing {
        appendChunk(prepared, range: done..<end, ids: assigned, labels: labels,
                    payloads: payloads, threads: threads)
      }
      done = end
      progress?(done, rows)
    }
    // A batch too small to fit principal axes on may still have brought the index to enough.
    lock.writing { fitRotationIfDue(incoming: nil) }
    return assigned
  }

  private func appendChunk(
    _ prepared: [Float], range: Range<Int>, ids: [Int], labels: [Int?]?,
    payloads: [[UInt8]?]?, threads: Int
  ) {
    reserve(max(capacity, slotCount + range.count))
    let first = slotCount
    prepared.withUnsafeBufferPointer { all in
      for row in range {
        _ = appendSlot(all.baseAddress! + row * dimension, storeWalk: false)
        items.append(id: ids[row], label: labels?[row] ?? nil, payload: payloads?[row] ?? nil)
      }
    }
    storeWalkRows(first..<slotCount)
    var next = Int64(first)
    let end = first + range.count
    // The first node of an empty index must exist before workers start.
    if entryPoint == nil {
      contexts.withContext(slots: slotCount) { connect(first, context: $0) }
      next += 1
    }
    let workers = max(1, min(threads, end - Int(next)))
    if workers == 1 {
      contexts.withContext(slots: slotCount) { context in
        for slot in Int(next)..<end { connect(slot, context: context) }
      }
      return
    }
    concurrentBuild = true
    withUnsafeMutablePointer(to: &next) { counter in
      nonisolated(unsafe) let counter = counter
      runWorkers(workers) { [self] _ in
        contexts.withContext(slots: slotCount) { context in
          while true {
            let slot = Int(IndexMemory.fetchAdd(counter, 1))
            if slot >= end { break }
            connect(slot, context: context)
          }
        }
      }
    }
    concurrentBuild = false
  }

  /// Removes the item with `id` (marks its slot deleted; the slot is reused by a later add).
  public func remove(id: Int) throws(SearchError) {
    try lock.writing { () throws(SearchError) in
      guard let slot = items.slot(of: id) else { throw .unknownID(id) }
      deleted[slot] = 1
      items.forget(slot: slot)
      freeSlots.append(slot)
    }
  }

  /// Replaces the vector of the item with `id` and re-links it; `label` / `payload` replace the
  /// stored ones when not `nil`.
  public func update(
    id: Int, vector: [Float], label: Int? = nil, payload: [UInt8]? = nil
  ) throws(SearchError) {
    let prepared = try space.prepare(vector)
    try lock.writing { () throws(SearchError) in
      guard let slot = items.slot(of: id) else { throw .unknownID(id) }
      if let label { items.labels[slot] = label }
      if let payload { items.payloads[slot] = payload }
      contexts.withContext(slots: slotCount) { context in
        prepared.withUnsafeBufferPointer { relink(slot, to: $0.baseAddress!, context: context) }
      }
    }
  }

  // MARK: Search

  /// The `k` nearest live items to `query`, nearest first (ties: smaller id first). Items whose
  /// id `filter` rejects are skipped (they still route the search). `k` is clipped to the
  /// number of items; fewer are returned when the filter rejects most items.
  ///
  /// - Complexity: about O(log n · M · efSearch) distance evaluations.
  public func search(
    _ query: [Float], k: Int, filter: ((Int) -> Bool)? = nil
  ) throws(SearchError) -> [Neighbor] {
    guard k >= 1 else { throw .invalidK(k) }
    let prepared = try space.prepare(query)
    let scale = try space.queryScale(prepared, row: nil)
    return try lock.reading { () throws(SearchError) -> [Neighbor] in
      guard slotCount - freeSlots.count > 0 else { throw .emptyIndex }
      return contexts.withContext(slots: slotCount) { context in
        prepared.withUnsafeBufferPointer { query in
          let rotated = walkQueries(query.baseAddress!, rows: 1)
          return (rotated ?? prepared).withUnsafeBufferPointer { walk in
            searchLocked(query.baseAddress!, walkQuery: walk.baseAddress!, k: k, scale: scale,
                         filter: filter, context: context)
          }
        }
      }
    }
  }

  /// One result list per row of `queries` (`[rows, dimension]` row-major), single-threaded.
  public func search(queries: [Float], k: Int) throws(SearchError) -> [[Neighbor]] {
    try search(queries: queries, k: k, threads: 1)
  }

  /// Batch search with `threads` workers (each row is an independent search).
  public func search(queries: [Float], k: Int, threads: Int) throws(SearchError) -> [[Neighbor]] {
    guard k >= 1 else { throw .invalidK(k) }
    let prepared = try prepareRows(queries, space: space)
    let rows = prepared.count / dimension
    var scales = [Float](repeating: 1, count: rows)
    for r in 0..<rows where distance == .snr {
      scales[r] = try space.queryScale(
        Array(prepared[(r * dimension)..<((r + 1) * dimension)]), row: r)
    }
    return try lock.reading { () throws(SearchError) -> [[Neighbor]] in
      guard slotCount - freeSlots.count > 0 else { throw .emptyIndex }
      var results = [[Neighbor]](repeating: [], count: rows)
      let workers = max(1, min(threads, rows))
      let scales = scales
      let rotated = prepared.withUnsafeBufferPointer {
        walkQueries($0.baseAddress!, rows: rows, threads: workers)
      }
      prepared.withUnsafeBufferPointer { all in
        (rotated ?? prepared).withUnsafeBufferPointer { walk in
          results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            nonisolated(unsafe) let all = all
            nonisolated(unsafe) let walk = walk
            runWorkers(workers) { [self] worker in
              contexts.withContext(slots: slotCount) { context in
                var r = worker
                while r < rows {
                  out[r] = searchLocked(
                    all.baseAddress! + r * dimension, walkQuery: walk.baseAddress! + r * dimension,
                    k: k, scale: scales[r], filter: nil, context: context)
                  r += workers
                }
              }
            }
          }
        }
      }
      return results
    }
  }

  /// The search itself; the shared lock is held and the index is not empty. `walkQuery` is
  /// `query` in the walk's coordinates (rotated when `rotation` is set, else `query`).
  func searchLocked(
    _ query: UnsafePointer<Float>, walkQuery: UnsafePointer<Float>, k: Int, scale: Float,
    filter: ((Int) -> Bool)?, context: SearchContext
  ) -> [Neighbor] {
    guard let entry = entryPoint else { return [] }
    var current = entry
    var currentDistance = space.rankingDistance(walkQuery, walkVector(entry))
    var level = maxLevel
    let halfBase = halfVectors.map { UnsafePointer($0) }
    while level > 0 {
      (current, currentDistance) = greedyStep(
        walkQuery, from: current, distance: currentDistance, level: level, context: context,
        metric: space, halfBase: halfBase)
      level -= 1
    }
    let hasDeleted = !freeSlots.isEmpty
    searchLayer(
      walkQuery, entry: current, entryDistance: currentDistance, ef: max(ef, k), level: 0,
      context: context, skipDeleted: hasDeleted, accept: filter, metric: space, halfBase: halfBase)
    var found = drainResults(context)
    if halfBase != nil || rotatedVectors != nil {
      // The walk ranked by float16 and/or rotated rows. The 2k nearest of its survivors are
      // re-ranked by the original float32 rows (prefetched in one batch), so reported distances
      // and their order are exact; float16 rounding, or the float32 rounding of the rotation,
      // moves a distance far less than the gap to rank 2k.
      found = Array(found.prefix(max(2 * k, k + 8)))
      let slots = found.map(\.slot)
      var exact = [Float](repeating: 0, count: found.count)
      slots.withUnsafeBufferPointer { rows in
        exact.withUnsafeMutableBufferPointer { out in
          space.rankingDistances(
            query, base: UnsafePointer(vectors), rows: rows.baseAddress!, count: rows.count,
            into: out.baseAddress!)
        }
      }
      for i in found.indices { found[i].distance = exact[i] }
    }
    let table = items  // one read of the class property, not one per comparison
    found.sort {
      ($0.distance, table.ids[Int($0.slot)]) < ($1.distance, table.ids[Int($1.slot)])
    }
    return found.prefix(k).enumerated().map { rank, entry in
      table.neighbor(slot: Int(entry.slot), rank: rank + 1,
                     distance: space.reported(entry.distance, queryScale: scale))
    }
  }
}

/// Worker threads for batch work: the active processor count.
func defaultThreadCount() -> Int {
  max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

@inline(__always)
func naturalLog(_ x: Double) -> Double {
  #if canImport(Glibc)
    Glibc.log(x)
  #else
    Darwin.log(x)
  #endif
}
