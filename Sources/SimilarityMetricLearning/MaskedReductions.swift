import Foundation
import SimilarityTensors

/// Row-wise reductions of a `[Q, K]` matrix restricted to a 0/1 mask, shared by the losses.
///
/// Extremes are found by plain comparisons over the valid entries (no offset tricks, so they
/// are exact in any range); ties go to the first column. A row without a valid entry has no
/// extreme (`nil`), and its picked value is 0 with no gradient.
public enum MaskedReductions {
  /// The column of the largest (`isMax`) or smallest valid entry of every row, `nil` where
  /// the row has none. `values` and `mask` are `[Q, K]`.
  public static func argExtreme(_ values: Tensor, mask: Tensor, isMax: Bool) -> [Int?] {
    precondition(
      values.rank == 2 && values.shape == mask.shape,
      "MaskedReductions.argExtreme: values \(values.shape) and mask \(mask.shape)")
    let (rows, columns) = (values.shape[0], values.shape[1])
    let (x, m) = (values.scalars, mask.scalars)
    return (0..<rows).map { i in
      var best: Int? = nil
      var bestValue: Float = 0
      for j in 0..<columns where m[i * columns + j] != 0 {
        let value = x[i * columns + j]
        if best == nil || (isMax ? value > bestValue : value < bestValue) {
          best = j
          bestValue = value
        }
      }
      return best
    }
  }

  /// The valid maximum of every row and its column: `([Q], [Int?])`, 0 where none.
  public static func max(_ values: Tensor, mask: Tensor) -> (values: Tensor, columns: [Int?]) {
    let columns = argExtreme(values, mask: mask, isMax: true)
    return (values.picking(columns: columns), columns)
  }

  /// The valid minimum of every row and its column: `([Q], [Int?])`, 0 where none.
  public static func min(_ values: Tensor, mask: Tensor) -> (values: Tensor, columns: [Int?]) {
    let columns = argExtreme(values, mask: mask, isMax: false)
    return (values.picking(columns: columns), columns)
  }

  /// `log(1 + Σ_j mask[i, j] · exp(x[i, j]))` per row, `[Q]`: TF Similarity's masked
  /// `logsumexp` with its "+1" term (so an empty row gives 0 and the result is ≥ 0).
  ///
  /// Computed as `s + log(e^−s + Σ mask · e^(x − s))` with the constant shift
  /// `s = max(0, valid row maximum)`, so no exponential overflows; masked-out entries are
  /// never exponentiated (no `∞ · 0`).
  public static func logSumExpPlusOne(_ x: Tensor, mask: Tensor) -> Tensor {
    precondition(
      x.rank == 2 && x.shape == mask.shape,
      "MaskedReductions.logSumExpPlusOne: values \(x.shape) and mask \(mask.shape)")
    let columns = argExtreme(x, mask: mask, isMax: true)
    let shifts = columns.enumerated().map { i, column in
      column.map { Swift.max(x.scalars[i * x.shape[1] + $0], 0) } ?? 0
    }
    let shift = Tensor(shape: [x.shape[0], 1], scalars: shifts)
    let terms = Tensor.where(mask, x - shift, Tensor(-Float.infinity)).exp()
    let offset = Tensor(shape: [x.shape[0]], scalars: shifts.map { Foundation.exp(-$0) })
    return (terms.sum(alongAxes: [1]) + offset).log() + shift.reshaped([x.shape[0]])
  }
}

extension Tensor {
  /// `self[i, columns[i]]` for every row of a `[Q, K]` tensor, `[Q]`; 0 where the column is
  /// `nil`. Derivative: the gradient goes back to the picked element.
  func picking(columns: [Int?]) -> Tensor {
    precondition(
      rank == 2 && columns.count == shape[0],
      "picking(columns:): \(columns.count) columns for shape \(shape)")
    let width = shape[1]
    let output = columns.enumerated().map { i, column in column.map { scalars[i * width + $0] } ?? 0 }
    let shape = self.shape
    return Tensor.recording(shape: [shape[0]], scalars: output, inputs: [self]) { gradient, _ in
      var dx = [Float](repeating: 0, count: shape[0] * width)
      for (i, column) in columns.enumerated() {
        if let column { dx[i * width + column] += gradient.scalars[i] }
      }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }
}
