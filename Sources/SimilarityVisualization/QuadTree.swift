/// The Barnes–Hut quadtree of t-SNE's 2-D points (van der Maaten 2014, "Accelerating t-SNE
/// using Tree-Based Algorithms", JMLR 15): every cell keeps the number and centre of mass of
/// its points, and a cell far enough from a point stands in for all of them.
///
/// Cells are stored in flat arrays; identical points share a leaf (and so do points below a
/// depth of 48, far below floating-point resolution of any layout).
struct QuadTree {
  private(set) var centerX: [Double] = []
  private(set) var centerY: [Double] = []
  private(set) var half: [Double] = []
  private(set) var sumX: [Double] = []
  private(set) var sumY: [Double] = []
  private(set) var count: [Int32] = []
  /// Index of the first of four children, or -1 for a leaf.
  private(set) var firstChild: [Int32] = []
  /// The point a non-empty leaf holds (all its points share its position), or -1.
  private(set) var point: [Int32] = []

  /// Builds the tree of `points` (x, y interleaved).
  init(points: UnsafeBufferPointer<Double>) {
    let n = points.count / 2
    var minX = Double.infinity, maxX = -Double.infinity
    var minY = Double.infinity, maxY = -Double.infinity
    for i in 0..<n {
      minX = min(minX, points[2 * i])
      maxX = max(maxX, points[2 * i])
      minY = min(minY, points[2 * i + 1])
      maxY = max(maxY, points[2 * i + 1])
    }
    let size = max(maxX - minX, maxY - minY, 1e-12) / 2 * (1 + 1e-9)
    reserve(4 * n + 1)
    addCell(x: (minX + maxX) / 2, y: (minY + maxY) / 2, half: size)
    for i in 0..<n { insert(i, x: points[2 * i], y: points[2 * i + 1], points: points) }
  }

  private mutating func reserve(_ capacity: Int) {
    for keyPath in [\QuadTree.centerX, \.centerY, \.half, \.sumX, \.sumY] {
      self[keyPath: keyPath].reserveCapacity(capacity)
    }
    count.reserveCapacity(capacity)
    firstChild.reserveCapacity(capacity)
    point.reserveCapacity(capacity)
  }

  private mutating func addCell(x: Double, y: Double, half size: Double) {
    centerX.append(x)
    centerY.append(y)
    half.append(size)
    sumX.append(0)
    sumY.append(0)
    count.append(0)
    firstChild.append(-1)
    point.append(-1)
  }

  private func quadrant(of node: Int, x: Double, y: Double) -> Int {
    (x >= centerX[node] ? 1 : 0) + (y >= centerY[node] ? 2 : 0)
  }

  private mutating func insert(
    _ index: Int, x: Double, y: Double, points: UnsafeBufferPointer<Double>
  ) {
    var node = 0
    var depth = 0
    while true {
      count[node] += 1
      sumX[node] += x
      sumY[node] += y
      if firstChild[node] < 0 {
        if count[node] == 1 {
          point[node] = Int32(index)
          return
        }
        let resident = Int(point[node])
        let rx = points[2 * resident]
        let ry = points[2 * resident + 1]
        if (rx == x && ry == y) || depth >= 48 { return }
        // Split the leaf and move its resident points (all at one position) down.
        let first = centerX.count
        let h = half[node] / 2
        for q in 0..<4 {
          addCell(
            x: centerX[node] + (q & 1 == 1 ? h : -h), y: centerY[node] + (q & 2 == 2 ? h : -h),
            half: h)
        }
        firstChild[node] = Int32(first)
        let residents = count[node] - 1
        let child = first + quadrant(of: node, x: rx, y: ry)
        count[child] = residents
        sumX[child] = Double(residents) * rx
        sumY[child] = Double(residents) * ry
        point[child] = Int32(resident)
        point[node] = -1
      }
      node = Int(firstChild[node]) + quadrant(of: node, x: x, y: y)
      depth += 1
    }
  }

  /// The repulsive force on point `index` at (`x`, `y`) — Σ_j q_ij² (y_i − y_j) with the
  /// unnormalised Student-t kernel q_ij = 1 / (1 + ‖y_i − y_j‖²) — and Σ_j q_ij, both over
  /// j ≠ i, approximating a cell by its centre of mass when its diameter is below `theta` times
  /// its distance.
  func repulsion(
    of index: Int, x: Double, y: Double, theta: Double, stack: inout [Int32]
  ) -> (fx: Double, fy: Double, z: Double) {
    var fx = 0.0, fy = 0.0, z = 0.0
    let thetaSquared = theta * theta
    stack.removeAll(keepingCapacity: true)
    stack.append(0)
    while let top = stack.popLast() {
      let node = Int(top)
      let c = Double(count[node])
      if c == 0 { continue }
      let dx = x - sumX[node] / c
      let dy = y - sumY[node] / c
      let d2 = dx * dx + dy * dy
      let leaf = firstChild[node] < 0
      if leaf && (Int(point[node]) == index || d2 == 0) {
        // The point itself and any duplicates of it: kernel 1, no force.
        z += c - 1
        continue
      }
      let width = 2 * half[node]
      if leaf || width * width < thetaSquared * d2 {
        let q = 1 / (1 + d2)
        z += c * q
        fx += c * q * q * dx
        fy += c * q * q * dy
      } else {
        let first = firstChild[node]
        stack.append(first)
        stack.append(first + 1)
        stack.append(first + 2)
        stack.append(first + 3)
      }
    }
    return (fx, fy, z)
  }
}
