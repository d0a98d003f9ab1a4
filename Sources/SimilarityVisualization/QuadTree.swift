/// The Barnes–Hut quadtree of t-SNE's 2-D points (van der Maaten 2014, "Accelerating t-SNE
/// using Tree-Based Algorithms", JMLR 15): every cell keeps the number and centre of mass of
/// its points, and a cell far enough from a point stands in for all of them.
///
/// Cells are one flat array; identical points share a leaf (and so do points below a depth of
/// 48, far below the floating-point resolution of any layout).
struct QuadTree {
  struct Cell {
    var centerX: Double
    var centerY: Double
    var half: Double
    /// Sums of the coordinates while building, the centre of mass once built.
    var massX: Double = 0
    var massY: Double = 0
    var count: Int32 = 0
    /// Index of the first of four children, or -1 for a leaf.
    var firstChild: Int32 = -1
    /// The point a non-empty leaf holds (all its points share its position), or -1.
    var point: Int32 = -1
  }

  private(set) var cells: [Cell] = []

  /// Builds the tree of `points` (x, y interleaved).
  init(points: UnsafeBufferPointer<Double>) {
    let n = points.count / 2
    var minX = Double.infinity
    var maxX = -Double.infinity
    var minY = Double.infinity
    var maxY = -Double.infinity
    for i in 0..<n {
      minX = min(minX, points[2 * i])
      maxX = max(maxX, points[2 * i])
      minY = min(minY, points[2 * i + 1])
      maxY = max(maxY, points[2 * i + 1])
    }
    let size = max(maxX - minX, maxY - minY, 1e-12) / 2 * (1 + 1e-9)
    cells.reserveCapacity(4 * n + 1)
    cells.append(Cell(centerX: (minX + maxX) / 2, centerY: (minY + maxY) / 2, half: size))
    for i in 0..<n { insert(i, x: points[2 * i], y: points[2 * i + 1], points: points) }
    cells.withUnsafeMutableBufferPointer { cells in
      for c in cells.indices where cells[c].count > 0 {
        cells[c].massX /= Double(cells[c].count)
        cells[c].massY /= Double(cells[c].count)
      }
    }
  }

  private mutating func insert(
    _ index: Int, x: Double, y: Double, points: UnsafeBufferPointer<Double>
  ) {
    var node = 0
    var depth = 0
    while true {
      cells[node].count += 1
      cells[node].massX += x
      cells[node].massY += y
      if cells[node].firstChild < 0 {
        if cells[node].count == 1 {
          cells[node].point = Int32(index)
          return
        }
        let resident = Int(cells[node].point)
        let rx = points[2 * resident]
        let ry = points[2 * resident + 1]
        if (rx == x && ry == y) || depth >= 48 { return }
        // Split the leaf and move its resident points (all at one position) down.
        let parent = cells[node]
        let first = cells.count
        let h = parent.half / 2
        for q in 0..<4 {
          cells.append(
            Cell(
              centerX: parent.centerX + (q & 1 == 1 ? h : -h),
              centerY: parent.centerY + (q & 2 == 2 ? h : -h), half: h))
        }
        cells[node].firstChild = Int32(first)
        cells[node].point = -1
        let residents = parent.count - 1
        let child = first + Self.quadrant(of: parent, x: rx, y: ry)
        cells[child].count = residents
        cells[child].massX = Double(residents) * rx
        cells[child].massY = Double(residents) * ry
        cells[child].point = Int32(resident)
      }
      node = Int(cells[node].firstChild) + Self.quadrant(of: cells[node], x: x, y: y)
      depth += 1
    }
  }

  private static func quadrant(of cell: Cell, x: Double, y: Double) -> Int {
    (x >= cell.centerX ? 1 : 0) + (y >= cell.centerY ? 2 : 0)
  }

  /// The largest number of cells waiting on a traversal stack: each of at most 49 levels
  /// leaves at most 3 siblings behind, plus the 4 children of the deepest cell.
  static let stackCapacity = 256

  /// The repulsive force on point `index` at (`x`, `y`) — Σ_j q_ij² (y_i − y_j) with the
  /// unnormalised Student-t kernel q_ij = 1 / (1 + ‖y_i − y_j‖²) — and Σ_j q_ij, both over
  /// j ≠ i, approximating a cell by its centre of mass when its diameter is below `theta` times
  /// its distance. `stack` is scratch space of ``stackCapacity`` cells.
  func repulsion(
    of index: Int, x: Double, y: Double, theta: Double, stack: UnsafeMutablePointer<Int32>
  ) -> (fx: Double, fy: Double, z: Double) {
    var fx = 0.0
    var fy = 0.0
    var z = 0.0
    let thetaSquared = theta * theta
    return cells.withUnsafeBufferPointer { cells in
      var depth = 1
      stack[0] = 0
      while depth > 0 {
        depth -= 1
        let cell = cells[Int(stack[depth])]
        if cell.count == 0 { continue }
        let c = Double(cell.count)
        let dx = x - cell.massX
        let dy = y - cell.massY
        let d2 = dx * dx + dy * dy
        let leaf = cell.firstChild < 0
        if leaf && (Int(cell.point) == index || d2 == 0) {
          // The point itself and any duplicates of it: kernel 1, no force.
          z += c - 1
          continue
        }
        let width = 2 * cell.half
        if leaf || width * width < thetaSquared * d2 {
          let q = 1 / (1 + d2)
          z += c * q
          fx += c * q * q * dx
          fy += c * q * q * dy
        } else {
          let first = cell.firstChild
          stack[depth] = first
          stack[depth + 1] = first + 1
          stack[depth + 2] = first + 2
          stack[depth + 3] = first + 3
          depth += 4
        }
      }
      return (fx, fy, z)
    }
  }
}
