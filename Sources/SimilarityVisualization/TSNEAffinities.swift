import Foundation
import SimilarityKernels

/// The input similarities of t-SNE as a sparse symmetric matrix (compressed rows): for each
/// point its `k = ⌊3·perplexity⌋` nearest neighbours get Gaussian conditional probabilities
/// whose bandwidth gives the requested perplexity; `p_ij = (p_j|i + p_i|j) / 2n`
/// (van der Maaten 2014, §4.1).
struct TSNEAffinities {
  /// Row `i` spans `columns[rowStart[i]..<rowStart[i + 1]]`, ascending, with `values`.
  var rowStart: [Int]
  var columns: [Int32]
  var values: [Double]

  init(points: [Float], dimension d: Int, perplexity: Double) {
    let n = points.count / d
    let k = min(n - 1, max(1, Int(3 * perplexity)))
    let target = log(min(perplexity, Double(k)))
    let (neighbors, distances) = Self.nearestNeighbors(points, dimension: d, k: k)
    var conditional = [Double](repeating: 0, count: n * k)
    conditional.withUnsafeMutableBufferPointer { output in
      let output = output
      ThreadPool.shared.parallelForChunks(n, minimumChunk: 64) { range in
        for i in range {
          let row = Array(distances[(i * k)..<(i * k + k)])
          let p = Self.conditionalProbabilities(squaredDistances: row, entropy: target)
          for j in 0..<k { output[i * k + j] = p[j] }
        }
      }
    }
    // Symmetrise: each (i, j, p_j|i) goes to rows i and j; duplicates are summed.
    var degree = [Int](repeating: 0, count: n + 1)
    for i in 0..<n {
      for j in 0..<k {
        degree[i] += 1
        degree[Int(neighbors[i * k + j])] += 1
      }
    }
    var start = [Int](repeating: 0, count: n + 1)
    for i in 0..<n { start[i + 1] = start[i] + degree[i] }
    var fill = start
    var entries = [(Int32, Double)](repeating: (0, 0), count: start[n])
    for i in 0..<n {
      for j in 0..<k {
        let other = Int(neighbors[i * k + j])
        let value = conditional[i * k + j]
        entries[fill[i]] = (Int32(other), value)
        fill[i] += 1
        entries[fill[other]] = (Int32(i), value)
        fill[other] += 1
      }
    }
    rowStart = [0]
    columns = []
    values = []
    let scale = 1 / (2 * Double(n))
    for i in 0..<n {
      let row = entries[start[i]..<start[i + 1]].sorted { $0.0 < $1.0 }
      var last: Int32 = -1
      for (column, value) in row {
        if column == last {
          values[values.count - 1] += value * scale
        } else {
          columns.append(column)
          values.append(value * scale)
          last = column
        }
      }
      rowStart.append(columns.count)
    }
  }

  /// `exp(−β·d_j) / Σ` with β found by bisection so that the entropy (in nats) is `entropy`.
  static func conditionalProbabilities(squaredDistances: [Float], entropy: Double) -> [Double] {
    let smallest = Double(squaredDistances.min() ?? 0)
    let shifted = squaredDistances.map { Double($0) - smallest }
    var beta = 1.0
    var low = 0.0
    var high = Double.infinity
    var p = [Double](repeating: 0, count: shifted.count)
    for _ in 0..<100 {
      var sum = 0.0
      for j in shifted.indices {
        p[j] = exp(-beta * shifted[j])
        sum += p[j]
      }
      var weighted = 0.0
      for j in shifted.indices { weighted += shifted[j] * p[j] }
      let h = log(sum) + beta * weighted / sum
      for j in p.indices { p[j] /= sum }
      if abs(h - entropy) < 1e-5 { break }
      if h > entropy {
        low = beta
        beta = high.isInfinite ? beta * 2 : (beta + high) / 2
      } else {
        high = beta
        beta = (beta + low) / 2
      }
    }
    return p
  }

  /// The `k` nearest other points of every point and their squared Euclidean distances,
  /// nearest first, from blocks of `‖a‖² + ‖b‖² − 2·a·b` computed with GEMM.
  static func nearestNeighbors(_ points: [Float], dimension d: Int, k: Int)
    -> (indices: [Int32], squaredDistances: [Float])
  {
    let n = points.count / d
    var norms = [Float](repeating: 0, count: n)
    for i in 0..<n {
      var sum: Float = 0
      for j in 0..<d { sum += points[i * d + j] * points[i * d + j] }
      norms[i] = sum
    }
    var indices = [Int32](repeating: 0, count: n * k)
    var distances = [Float](repeating: 0, count: n * k)
    let block = 256
    var products = [Float](repeating: 0, count: block * n)
    for blockStart in stride(from: 0, to: n, by: block) {
      let rows = min(block, n - blockStart)
      points.withUnsafeBufferPointer { x in
        products.withUnsafeMutableBufferPointer { c in
          GEMM.parallelMultiply(
            .none, .transposed, m: rows, n: n, k: d, a: x.baseAddress! + blockStart * d, lda: d,
            b: x.baseAddress!, ldb: d, c: c.baseAddress!, ldc: n)
        }
      }
      products.withUnsafeBufferPointer { c in
        indices.withUnsafeMutableBufferPointer { outIndices in
          distances.withUnsafeMutableBufferPointer { outDistances in
            let (outIndices, outDistances) = (outIndices, outDistances)
            ThreadPool.shared.parallelForChunks(rows, minimumChunk: 16) { range in
              var candidates: [(Float, Int32)] = []
              candidates.reserveCapacity(n)
              for r in range {
                let i = blockStart + r
                candidates.removeAll(keepingCapacity: true)
                for j in 0..<n where j != i {
                  let squared = max(norms[i] + norms[j] - 2 * c[r * n + j], 0)
                  candidates.append((squared, Int32(j)))
                }
                let nearest = candidates.smallest(k)
                for (rank, candidate) in nearest.enumerated() {
                  outDistances[i * k + rank] = candidate.0
                  outIndices[i * k + rank] = candidate.1
                }
              }
            }
          }
        }
      }
    }
    return (indices, distances)
  }
}

extension Array where Element == (Float, Int32) {
  /// The `k` smallest elements by distance (ties by index), ascending: a bounded max-heap.
  fileprivate func smallest(_ k: Int) -> [(Float, Int32)] {
    func less(_ a: (Float, Int32), _ b: (Float, Int32)) -> Bool {
      a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
    }
    var heap: [(Float, Int32)] = []
    heap.reserveCapacity(k)
    for element in self {
      if heap.count < k {
        heap.append(element)
        var child = heap.count - 1
        while child > 0 {
          let parent = (child - 1) / 2
          guard less(heap[parent], heap[child]) else { break }
          heap.swapAt(parent, child)
          child = parent
        }
      } else if less(element, heap[0]) {
        heap[0] = element
        var parent = 0
        while true {
          let left = 2 * parent + 1
          let right = left + 1
          var largest = parent
          if left < k && less(heap[largest], heap[left]) { largest = left }
          if right < k && less(heap[largest], heap[right]) { largest = right }
          if largest == parent { break }
          heap.swapAt(parent, largest)
          parent = largest
        }
      }
    }
    return heap.sorted(by: less)
  }
}
