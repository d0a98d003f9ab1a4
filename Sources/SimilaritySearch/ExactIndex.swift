import SimilarityKernels

/// Exact (brute-force) nearest-neighbour search: the oracle for `HNSWIndex` and the default for
/// small collections.
///
/// Batched queries use one GEMM per block, `‖q‖² + ‖x‖² − 2 q·x` for the Euclidean family
/// (`1 − q·x` for cosine, `−q·x` for inner product), followed by a top-k selection; Manhattan
/// uses the dispatched C kernel per pair. The k winners' distances are then recomputed exactly
/// with the C kernel, so reported values carry no GEMM cancellation error. `k` is clipped to the
/// number of items; ties are ordered by smaller id first.
///
/// Storage is compact (`vectors` is `[count, dimension]`, prepared as in `Distance`); removing
/// an item moves the last row into its place. The index is thread-safe: searches share a
/// reader–writer lock, mutations hold it exclusively.
public final class ExactIndex: VectorIndex, @unchecked Sendable {
  /// The vector length.
  public let dimension: Int
  /// The distance the index ranks by.
  public let distance: Distance

  let space: DistanceSpace
  var vectors: [Float] = []
  var squaredNorms: [Float] = []
  var items = ItemTable()
  /// The bfloat16 copy of `vectors` when ``scoringPrecision`` is `.bfloat16`.
  var panels: [UInt32]? = nil
  let lock = ReadWriteLock()
  /// Query rows per GEMM block and base rows per block: a `[512, 256]` score block (512 KiB)
  /// stays in L2 for the selection pass.
  let queryBlock = 512
  let baseBlock = 256

  /// Creates an empty index for `dimension`-long vectors.
  public init(dimension: Int, distance: Distance) {
    precondition(dimension >= 1, "ExactIndex: dimension \(dimension) must be at least 1")
    self.dimension = dimension
    self.distance = distance
    space = DistanceSpace(distance: distance, dimension: dimension)
  }

  /// The number of items.
  public var count: Int { lock.reading { items.slotCount } }

  private func appendPrepared(_ row: ArraySlice<Float>, id: Int, label: Int?, payload: [UInt8]?) {
    vectors.append(contentsOf: row)
    squaredNorms.append(row.reduce(0) { $0 + $1 * $1 })
    items.append(id: id, label: label, payload: payload)
    storePanel(items.slotCount - 1)
  }

  /// Adds one item and returns its id (`id`, or the next unused id when `nil`).
  @discardableResult
  public func add(
    _ vector: [Float], id: Int? = nil, label: Int? = nil, payload: [UInt8]? = nil
  ) throws(SearchError) -> Int {
    let prepared = try space.prepare(vector)
    return try lock.writing { () throws(SearchError) -> Int in
      let assigned = try items.resolveIDs(id.map { [$0] }, count: 1)[0]
      appendPrepared(prepared[...], id: assigned, label: label, payload: payload)
      return assigned
    }
  }

  /// Adds `vectors` (`[rows, dimension]` row-major) with optional per-row ids, labels and
  /// payloads; returns the ids. Nothing is added when any row is invalid.
  @discardableResult
  public func add(
    vectors: [Float], ids: [Int]? = nil, labels: [Int?]? = nil, payloads: [[UInt8]?]? = nil
  ) throws(SearchError) -> [Int] {
    if vectors.count < dimension {
      throw .dimensionMismatch(expected: dimension, found: vectors.count, row: nil)
    }
    let prepared = try prepareRows(vectors, space: space)
    let rows = prepared.count / dimension
    try checkBatchCounts(rows: rows, labels: labels, payloads: payloads)
    return try lock.writing { () throws(SearchError) -> [Int] in
      let assigned = try items.resolveIDs(ids, count: rows)
      for r in 0..<rows {
        appendPrepared(prepared[(r * dimension)..<((r + 1) * dimension)], id: assigned[r],
                       label: labels?[r] ?? nil, payload: payloads?[r] ?? nil)
      }
      return assigned
    }
  }

  /// Removes the item with `id` (the last row moves into its slot).
  public func remove(id: Int) throws(SearchError) {
    try lock.writing { () throws(SearchError) in
      guard let slot = items.slot(of: id) else { throw .unknownID(id) }
      let last = items.slotCount - 1
      items.forget(slot: slot)
      if slot != last {
        let d = dimension
        for j in 0..<d { vectors[slot * d + j] = vectors[last * d + j] }
        squaredNorms[slot] = squaredNorms[last]
        items.assign(slot: slot, id: items.ids[last], label: items.labels[last],
                     payload: items.payloads[last])
      }
      vectors.removeLast(dimension)
      squaredNorms.removeLast()
      items.ids.removeLast()
      items.labels.removeLast()
      items.payloads.removeLast()
      storePanel(slot < items.slotCount ? slot : nil)
    }
  }

  /// Replaces the vector of `id`; `label` / `payload` replace the stored ones when not `nil`.
  public func update(
    id: Int, vector: [Float], label: Int? = nil, payload: [UInt8]? = nil
  ) throws(SearchError) {
    let prepared = try space.prepare(vector)
    try lock.writing { () throws(SearchError) in
      guard let slot = items.slot(of: id) else { throw .unknownID(id) }
      for j in 0..<dimension { vectors[slot * dimension + j] = prepared[j] }
      squaredNorms[slot] = prepared.reduce(0) { $0 + $1 * $1 }
      storePanel(slot)
      if let label { items.labels[slot] = label }
      if let payload { items.payloads[slot] = payload }
    }
  }

  /// The `k` nearest items to `query`, nearest first, skipping ids `filter` rejects.
  public func search(
    _ query: [Float], k: Int, filter: ((Int) -> Bool)? = nil
  ) throws(SearchError) -> [Neighbor] {
    guard query.count == dimension else {
      throw .dimensionMismatch(expected: dimension, found: query.count, row: nil)
    }
    return try searchBatch(query, k: k, filter: filter)[0]
  }

  /// One result list per row of `queries` (`[rows, dimension]` row-major), with the query
  /// blocks spread over every core (see ``search(queries:k:threads:)``).
  ///
  /// - Complexity: O(rows · count · dimension), as GEMM blocks.
  public func search(queries: [Float], k: Int) throws(SearchError) -> [[Neighbor]] {
    try searchBatch(queries, k: k, filter: nil, threads: ThreadPool.shared.threadCount)
  }

  /// Batch search with up to `threads` workers, each taking whole blocks of queries with a
  /// single-threaded GEMM (so the BLAS' own threads stay out of it).
  public func search(queries: [Float], k: Int, threads: Int) throws(SearchError) -> [[Neighbor]] {
    try searchBatch(queries, k: k, filter: nil, threads: threads)
  }

  private func searchBatch(
    _ queries: [Float], k: Int, filter: ((Int) -> Bool)?, threads: Int = 1
  ) throws(SearchError) -> [[Neighbor]] {
    guard k >= 1 else { throw .invalidK(k) }
    let prepared = try prepareRows(queries, space: space)
    let rows = prepared.count / dimension
    if rows == 0 { throw .dimensionMismatch(expected: dimension, found: 0, row: nil) }
    var scales = [Float](repeating: 1, count: rows)
    for r in 0..<rows {
      scales[r] = try space.queryScale(
        Array(prepared[(r * dimension)..<((r + 1) * dimension)]), row: r)
    }
    return try lock.reading { () throws(SearchError) -> [[Neighbor]] in
      let n = items.slotCount
      guard n > 0 else { throw .emptyIndex }
      let kk = min(k, n)
      let blocks = (rows + queryBlock - 1) / queryBlock
      let workers = max(1, min(threads, ThreadPool.shared.threadCount, blocks))
      if let panels {
        return searchBFloat16(
          prepared, rows: rows, k: kk, scales: scales, filter: filter, workers: workers,
          panels: panels)
      }
      var results = [[Neighbor]](repeating: [], count: rows)
      results.withUnsafeMutableBufferPointer { out in
        GEMM.withSingleThreadedBLAS {
          ThreadPool.shared.parallelFor(workers) { worker in
            var scores = [Float](repeating: 0, count: queryBlock * min(baseBlock, n))
            var hitIndices = [UInt32](repeating: 0, count: min(baseBlock, n))
            var hitValues = [Float](repeating: 0, count: min(baseBlock, n))
            var top = [TopK](repeating: TopK(k: kk), count: min(queryBlock, rows))
            for block in stride(from: worker, to: blocks, by: workers) {
              let q0 = block * queryBlock
              let qn = min(queryBlock, rows - q0)
              for i in 0..<qn { top[i].reset() }
              let offsets = rankingOffsets(prepared, q0: q0, qn: qn)
              for b0 in stride(from: 0, to: n, by: baseBlock) {
                let bn = min(baseBlock, n - b0)
                rankingScores(prepared, q0: q0, qn: qn, b0: b0, bn: bn, into: &scores)
                select(scores, qn: qn, b0: b0, bn: bn, offsets: offsets, filter: filter,
                       indices: &hitIndices, values: &hitValues, top: &top)
              }
              for i in 0..<qn {
                out[q0 + i] = finish(top[i], query: prepared, row: q0 + i, scale: scales[q0 + i])
              }
            }
          }
        }
      }
      return results
    }
  }

  /// Offers every score of a `[qn, bn]` block that can still enter a query's top k: one
  /// vectorised pass per row turns GEMM scores into ranking values and keeps those at or below
  /// the current k-th best.
  private func select(
    _ scores: [Float], qn: Int, b0: Int, bn: Int, offsets: [Float],
    filter: ((Int) -> Bool)?, indices: inout [UInt32], values: inout [Float], top: inout [TopK]
  ) {
    let ids = items.ids
    // Ranking value = offset + scale · score (+ ‖x‖² for the Euclidean family), see
    // `rankingScores` and `rankingOffsets`.
    let scale: Float
    var usesNorms = false
    switch distance {
    case .cosine, .innerProduct: scale = -1
    case .euclidean, .squaredEuclidean, .snr: (scale, usesNorms) = (-2, true)
    case .manhattan: scale = 1
    }
    scores.withUnsafeBufferPointer { s in
      squaredNorms.withUnsafeBufferPointer { norms in
        indices.withUnsafeMutableBufferPointer { hitIndex in
          values.withUnsafeMutableBufferPointer { hitValue in
            for i in 0..<qn {
              let found = SelectionScan.below(
                scores: s.baseAddress! + i * bn, norms: usesNorms ? norms.baseAddress! + b0 : nil,
                scale: scale, offset: offsets[i], count: bn, threshold: top[i].threshold,
                indices: hitIndex.baseAddress!, values: hitValue.baseAddress!)
              for h in 0..<found {
                guard hitValue[h] <= top[i].threshold else { continue }
                let slot = b0 + Int(hitIndex[h])
                if let filter, !filter(ids[slot]) { continue }
                top[i].offer(hitValue[h], id: ids[slot], slot: slot)
              }
            }
          }
        }
      }
    }
  }

  /// The per-query constant of each ranking value for query rows `q0..<q0+qn`: `1` for
  /// cosine (`1 − s`), `‖q‖²` for the Euclidean family (`‖q‖² + ‖x‖² − 2s`), else `0`.
  /// Computed once per query block, not once per base block.
  func rankingOffsets(_ queries: [Float], q0: Int, qn: Int) -> [Float] {
    switch distance {
    case .cosine: return [Float](repeating: 1, count: qn)
    case .innerProduct, .manhattan: return [Float](repeating: 0, count: qn)
    case .euclidean, .squaredEuclidean, .snr:
      let d = dimension
      return queries.withUnsafeBufferPointer { q in
        (0..<qn).map { i in
          let row = q.baseAddress! + (q0 + i) * d
          return VectorKernels.dot(row, row, count: d)
        }
      }
    }
  }

  /// GEMM scores `[qn, bn]` for query rows `q0..<q0+qn` against base rows `b0..<b0+bn`: the
  /// dot products (ranked as `1 − s`, `−s` or `‖q‖² + ‖x‖² − 2s` by `select`), or the
  /// Manhattan distances themselves.
  private func rankingScores(
    _ queries: [Float], q0: Int, qn: Int, b0: Int, bn: Int, into scores: inout [Float]
  ) {
    let d = dimension
    queries.withUnsafeBufferPointer { q in
      vectors.withUnsafeBufferPointer { x in
        scores.withUnsafeMutableBufferPointer { s in
          let qp = q.baseAddress! + q0 * d
          let xp = x.baseAddress! + b0 * d
          let sp = s.baseAddress!
          if distance == .manhattan {
            for i in 0..<qn {
              for j in 0..<bn { sp[i * bn + j] = VectorKernels.manhattan(qp + i * d, xp + j * d, count: d) }
            }
            return
          }
          GEMM.multiply(.none, .transposed, m: qn, n: bn, k: d, a: qp, lda: d, b: xp, ldb: d,
                        c: sp, ldc: bn)
        }
      }
    }
  }

  /// Recomputes the winners' distances exactly and builds the result rows.
  func finish(_ top: TopK, query: [Float], row: Int, scale: Float) -> [Neighbor] {
    let d = dimension
    var exact: [(distance: Float, id: Int, slot: Int)] = query.withUnsafeBufferPointer { q in
      vectors.withUnsafeBufferPointer { x in
        top.entries.map { entry in
          let value = space.rankingDistance(q.baseAddress! + row * d, x.baseAddress! + entry.slot * d)
          return (value, entry.id, entry.slot)
        }
      }
    }
    exact.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
    return exact.enumerated().map { rank, entry in
      items.neighbor(slot: entry.slot, rank: rank + 1,
                     distance: space.reported(entry.distance, queryScale: scale))
    }
  }
}

/// The k smallest (score, id) pairs seen so far, kept sorted (k is small).
struct TopK {
  let k: Int
  private(set) var entries: [(score: Float, id: Int, slot: Int)] = []

  init(k: Int) {
    self.k = k
    entries.reserveCapacity(k + 1)
  }

  mutating func reset() { entries.removeAll(keepingCapacity: true) }

  /// Scores above this cannot enter (∞ until k entries are held).
  var threshold: Float { entries.count == k ? entries[k - 1].score : .infinity }

  @inline(__always)
  mutating func offer(_ score: Float, id: Int, slot: Int) {
    if entries.count == k {
      let worst = entries[k - 1]
      if score > worst.score || (score == worst.score && id > worst.id) { return }
    }
    var i = entries.count
    while i > 0 && (entries[i - 1].score, entries[i - 1].id) > (score, id) { i -= 1 }
    entries.insert((score, id, slot), at: i)
    if entries.count > k { entries.removeLast() }
  }
}
