import SimilarityKernels

/// How an `ExactIndex` scores the base rows before it re-ranks its candidates in float32.
public enum ScoringPrecision: String, Sendable, CaseIterable, Codable {
  /// float32 GEMM scores (the default).
  case float32
  /// bfloat16 dot products accumulated in float32 (on every CPU: AVX512_BF16 where the CPU
  /// has it, twice the products per instruction; AVX2 or portable kernels elsewhere, see
  /// ``KernelFamily/bfloat16``), with an error bound: every item whose lower bound can still
  /// beat the k-th best upper bound is re-ranked with its float32 distance, so results equal
  /// those of a float32 brute-force loop. Costs 2 bytes per component on top of the float32
  /// vectors; faster than `.float32` only where AVX512_BF16 runs (``isBFloat16Accelerated``).
  case bfloat16
}

extension ExactIndex {
  /// Whether bfloat16 scoring runs the AVX512_BF16 kernel here (the fast one; elsewhere AVX2
  /// or portable kernels give the same answers more slowly).
  public static var isBFloat16Accelerated: Bool { BFloat16Scoring.isAccelerated }

  /// How batch searches score base rows (see ``ScoringPrecision``). `.bfloat16` takes effect
  /// for distances computed through dot products (not Manhattan); for Manhattan the index
  /// stays `.float32` and the getter says so. Not part of the
  /// saved file. Setting it takes the exclusive lock; `.bfloat16` converts every stored vector
  /// once and keeps the copy current through adds, updates and removals.
  public var scoringPrecision: ScoringPrecision {
    get { lock.reading { panels == nil ? .float32 : .bfloat16 } }
    set {
      lock.writing {
        guard newValue == .bfloat16, distance != .manhattan else {
          panels = nil
          return
        }
        guard panels == nil else { return }
        var packed = [UInt32](repeating: 0, count: panelWords(slots: items.slotCount))
        let n = items.slotCount
        vectors.withUnsafeBufferPointer { v in
          packed.withUnsafeMutableBufferPointer { p in
            if n > 0 {
              BFloat16Scoring.packRows(
                v.baseAddress!, count: n, dimension: dimension, firstSlot: 0, into: p.baseAddress!)
            }
          }
        }
        panels = packed
      }
    }
  }

  /// Words of bfloat16 panels for `slots` rows: whole panels of 16 rows × ⌈dimension/2⌉ pairs.
  func panelWords(slots: Int) -> Int { (slots + 15) / 16 * 16 * ((dimension + 1) / 2) }

  /// Refreshes the bfloat16 panels for `slot` (exclusive lock held), growing or shrinking them
  /// to the current number of slots.
  func storePanel(_ slot: Int?) {
    guard panels != nil else { return }
    let words = panelWords(slots: items.slotCount)
    if panels!.count < words {
      panels!.append(contentsOf: repeatElement(0, count: words - panels!.count))
    } else if panels!.count > words {
      panels!.removeLast(panels!.count - words)
    }
    guard let slot else { return }
    vectors.withUnsafeBufferPointer { v in
      panels!.withUnsafeMutableBufferPointer { p in
        BFloat16Scoring.packRows(
          v.baseAddress! + slot * dimension, count: 1, dimension: dimension, firstSlot: slot,
          into: p.baseAddress!)
      }
    }
  }

  /// Batch search on the bfloat16 panels (shared lock held): per query block, bfloat16 scores
  /// per base block, a bounded selection pass, then float32 re-ranking of the survivors.
  func searchBFloat16(
    _ prepared: [Float], rows: Int, k: Int, scales: [Float], filter: ((Int) -> Bool)?,
    workers: Int, panels: [UInt32]
  ) -> [[Neighbor]] {
    let n = items.slotCount
    let d = dimension
    let roots = squaredNorms.map { $0.squareRoot() }
    let largestNorm = squaredNorms.max() ?? 0
    // Ranking value v = offset + scale·s (+ ‖x‖²): |error of s| ≤ ε‖q‖‖x‖ with
    // ε = 2u + u² (two bfloat16 roundings, u = 2⁻⁸) + d·2⁻²³ (float32 accumulation); the
    // float32 arithmetic around it (norms, sums, the re-ranked distance) stays below
    // 4(d + 2)·2⁻²⁴·(‖q‖² + max‖x‖²).
    let epsilon = Float(2.0 / 256 + 1.0 / 65536 + Double(d) / 8_388_608)
    let gamma = Float(4 * Double(d + 2) / 16_777_216)
    let (scale, usesNorms): (Float, Bool) =
      switch distance {
      case .euclidean, .squaredEuclidean, .snr: (-2, true)
      default: (-1, false)
      }
    let blocks = (rows + queryBlock - 1) / queryBlock
    let ids = items.ids
    var results = [[Neighbor]](repeating: [], count: rows)
    results.withUnsafeMutableBufferPointer { out in
      ThreadPool.shared.parallelFor(workers) { worker in
        let ldc = baseBlock
        var scores = [Float](repeating: 0, count: queryBlock * ldc)
        var packed = [UInt32](repeating: 0, count: BFloat16Scoring.queryWords(count: queryBlock, dimension: d))
        var hitIndices = [UInt32](repeating: 0, count: baseBlock)
        var lower = [Float](repeating: 0, count: baseBlock)
        var upper = [Float](repeating: 0, count: baseBlock)
        var top = [TopK](repeating: TopK(k: k), count: min(queryBlock, rows))
        var candidates = [[(lower: Float, slot: Int)]](repeating: [], count: min(queryBlock, rows))
        for block in stride(from: worker, to: blocks, by: workers) {
          let q0 = block * queryBlock
          let qn = min(queryBlock, rows - q0)
          let offsets = rankingOffsets(prepared, q0: q0, qn: qn)
          var slack = [Float](repeating: 0, count: qn)
          var margin = [Float](repeating: 0, count: qn)
          prepared.withUnsafeBufferPointer { q in
            packed.withUnsafeMutableBufferPointer { p in
              BFloat16Scoring.packQueries(
                q.baseAddress! + q0 * d, count: qn, dimension: d, into: p.baseAddress!)
            }
            for i in 0..<qn {
              let row = q.baseAddress! + (q0 + i) * d
              let queryNorm = VectorKernels.dot(row, row, count: d)
              slack[i] = abs(scale) * epsilon * queryNorm.squareRoot()
              margin[i] = 2 * gamma * (queryNorm + largestNorm)
              top[i].reset()
              candidates[i].removeAll(keepingCapacity: true)
            }
          }
          for b0 in stride(from: 0, to: n, by: baseBlock) {
            let bn = min(baseBlock, n - b0)
            packed.withUnsafeBufferPointer { p in
              panels.withUnsafeBufferPointer { x in
                scores.withUnsafeMutableBufferPointer { s in
                  BFloat16Scoring.scores(
                    queries: p.baseAddress!, queryCount: qn, dimension: d, panels: x.baseAddress!,
                    firstPanel: b0 / 16, panelCount: (bn + 15) / 16, into: s.baseAddress!, ldc: ldc)
                }
              }
            }
            scores.withUnsafeBufferPointer { s in
              squaredNorms.withUnsafeBufferPointer { norms in
                roots.withUnsafeBufferPointer { r in
                  for i in 0..<qn {
                    // Uppers are kept without the margin (it is the same for every item of the
                    // query), so an item can still win when lower ≤ k-th upper + 2·margin.
                    let found = SelectionScan.bounded(
                      scores: s.baseAddress! + i * ldc,
                      norms: usesNorms ? norms.baseAddress! + b0 : nil, roots: r.baseAddress! + b0,
                      scale: scale, offset: offsets[i], slack: slack[i], count: bn,
                      threshold: top[i].threshold + margin[i], indices: &hitIndices,
                      lower: &lower, upper: &upper)
                    for h in 0..<found {
                      let slot = b0 + Int(hitIndices[h])
                      if let filter, !filter(ids[slot]) { continue }
                      top[i].offer(upper[h], id: ids[slot], slot: slot)
                      candidates[i].append((lower[h], slot))
                    }
                  }
                }
              }
            }
          }
          for i in 0..<qn {
            out[q0 + i] = rerank(
              candidates[i], below: top[i].threshold + margin[i], k: k, query: prepared,
              row: q0 + i, scale: scales[q0 + i])
          }
        }
      }
    }
    return results
  }

  /// The k best of `candidates` whose lower bound is at most `bound`, by float32 distance.
  private func rerank(
    _ candidates: [(lower: Float, slot: Int)], below bound: Float, k: Int, query: [Float],
    row: Int, scale: Float
  ) -> [Neighbor] {
    var best = TopK(k: k)
    query.withUnsafeBufferPointer { q in
      vectors.withUnsafeBufferPointer { x in
        let queryRow = q.baseAddress! + row * dimension
        for candidate in candidates where candidate.lower <= bound {
          let exact = space.rankingDistance(queryRow, x.baseAddress! + candidate.slot * dimension)
          best.offer(exact, id: items.ids[candidate.slot], slot: candidate.slot)
        }
      }
    }
    return finish(best, query: query, row: row, scale: scale)
  }
}
