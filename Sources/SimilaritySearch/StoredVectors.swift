/// How far a stored cosine row's length may be from 1 (rows are normalised in float32, whose
/// rounding moves the length by far less).
let unitLengthTolerance = 1e-3

/// The first way `rows` stored rows at `p` (`[rows, dimension]`) are not in the prepared form an
/// index keeps (see `Distance`): a non-finite component, or for cosine a row that is not unit
/// length. `nil` when they are sound. Shared by the file loaders (a file whose checksum is valid
/// but whose rows were edited is refused) and the invariant checks of `index info --check`.
func storedVectorProblem(
  _ p: UnsafePointer<Float>, rows: Int, dimension: Int, distance: Distance
) -> String? {
  for row in 0..<rows {
    let start = p + row * dimension
    var squared = 0.0
    for j in 0..<dimension {
      let x = start[j]
      guard x.isFinite else { return "vector \(row) component \(j) is \(x)" }
      squared += Double(x) * Double(x)
    }
    if distance == .cosine, abs(squared.squareRoot() - 1) > unitLengthTolerance {
      return "vector \(row) has length \(squared.squareRoot()); a cosine index stores "
        + "unit-length vectors"
    }
  }
  return nil
}
