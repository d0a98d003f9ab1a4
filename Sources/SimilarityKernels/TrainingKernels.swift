import CSimilarityKernels

// The Swift face of the training-side C kernels (`CSimilarityTraining.h`). Only
// SimilarityKernels imports the C module; SimilarityTensors, SimilarityLayers and the tools call
// these. Every function is `@inlinable` and only forwards its arguments, so a call from another
// module compiles to the same direct call of the C entry point. Shapes are row-major;
// "dispatched" means the variant of ``InstructionSet/active``.

/// RMSprop and Adam updates over raw buffers (family ``KernelFamily/optimizer``).
public enum OptimizerKernels {
  /// RMSprop without momentum or centering (Keras), for `i` in `0..<count`:
  /// `v = ρv + (1−ρ)g²; w −= rate·g / √(v + ε)`. `w`, `g`, `v` hold `count` floats each and
  /// must not overlap.
  @inlinable @inline(__always)
  public static func rmsprop(
    weights w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
    velocity v: UnsafeMutablePointer<Float>, count: Int, rate: Float, rho: Float, epsilon: Float
  ) {
    csim_rmsprop(w, g, v, count, rate, rho, epsilon)
  }

  /// Adam (Keras form), for `i` in `0..<count`: `m += (g − m)(1 − β1); v += (g² − v)(1 − β2);
  /// w −= α·m / (√v + ε)` (`alpha` carries the bias correction). The four buffers hold
  /// `count` floats each and must not overlap.
  @inlinable @inline(__always)
  public static func adam(
    weights w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>,
    firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
    count: Int, alpha: Float, beta1: Float, beta2: Float, epsilon: Float
  ) {
    csim_adam(w, g, m, v, count, alpha, beta1, beta2, epsilon)
  }
}

/// Compressed-sparse-row products for layers fed mostly-zero inputs (family
/// ``KernelFamily/sparse``). A CSR matrix with `m` rows is `rowStart[0...m]` (row `r`'s entries
/// are `rowStart[r] ..< rowStart[r + 1]`), `columns` and `values` (one per non-zero).
public enum SparseKernels {
  /// The number of non-zero entries of `x[0..<count]`.
  @inlinable @inline(__always)
  public static func countNonZero(_ x: UnsafePointer<Float>, count: Int) -> Int {
    csim_count_nonzero(x, count)
  }

  /// Compresses the dense rows `x[rows, width]` into CSR form with offsets counted from 0:
  /// writes `rowStart[0..<rows]` (the caller sets the end offset) and exactly the returned
  /// number of `columns` and `values`, nothing beyond, so row blocks can be compressed
  /// concurrently into adjacent ranges. `columns` and `values` need room for
  /// ``countNonZero(_:count:)`` of the rows; they may be `nil` when that is 0.
  @inlinable @inline(__always)
  public static func compressRows(
    _ x: UnsafePointer<Float>, rows: Int, width: Int, rowStart: UnsafeMutablePointer<Int32>,
    columns: UnsafeMutablePointer<Int32>?, values: UnsafeMutablePointer<Float>?
  ) -> Int {
    csim_compress_rows(x, rows, width, rowStart, columns, values)
  }

  /// `y[r, c] = Σ_j x[r, j] · w[j, c]` for rows `rowRange` and columns `columnRange` of a CSR
  /// `x`; `w` is `[k, n]`, `y` is `[m, n]` and is overwritten in that block only.
  @inlinable @inline(__always)
  public static func multiply(
    rowStart: UnsafePointer<Int32>?, columns: UnsafePointer<Int32>?, values: UnsafePointer<Float>?,
    rows rowRange: Range<Int>, by w: UnsafePointer<Float>?, n: Int, columns columnRange: Range<Int>,
    into y: UnsafeMutablePointer<Float>?
  ) {
    csim_csr_matmul(
      rowStart, columns, values, rowRange.lowerBound, rowRange.upperBound, w, n,
      columnRange.lowerBound, columnRange.upperBound, y)
  }

  /// `g[j, :] += Σ_r x[r, j] · dy[r, :]` for the input columns `j` in `inputColumns` of a CSR
  /// `x` with `m` rows whose rows list their columns in increasing order: the weight gradient
  /// `xᵀ·dy` restricted to a block of `g`'s rows. `dy` is `[m, n]`, `g` is `[k, n]`.
  @inlinable @inline(__always)
  public static func transposedMultiply(
    rowStart: UnsafePointer<Int32>?, columns: UnsafePointer<Int32>?, values: UnsafePointer<Float>?,
    rows m: Int, by dy: UnsafePointer<Float>?, n: Int, inputColumns: Range<Int>,
    into g: UnsafeMutablePointer<Float>?
  ) {
    csim_csr_transpose_matmul(
      rowStart, columns, values, m, dy, n, Int32(inputColumns.lowerBound),
      Int32(inputColumns.upperBound), g)
  }
}

/// Fused dense-layer epilogues and the inference-only sparse-row affine layer (family
/// ``KernelFamily/affine``).
public enum AffineKernels {
  /// In place on `y[rows, n]`: `y += bias` (when not `nil`), then `y = max(y, 0)` when `relu`
  /// (NaN and −0 become +0, as `y > 0 ? y : 0`). Dispatched.
  @inlinable @inline(__always)
  public static func biasActivation(
    _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>?, relu: Bool
  ) {
    csim_bias_activation_rows(y, rows, n, bias, relu ? 1 : 0)
  }

  /// ``biasActivation(_:rows:n:bias:relu:)`` at `level` whatever is dispatched (tests).
  public static func biasActivation(
    _ y: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>?, relu: Bool,
    at level: InstructionSet
  ) {
    csim_bias_activation_rows_at(Int32(level.rawValue), y, rows, n, bias, relu ? 1 : 0)
  }

  /// Inference-only dense layer on `rows` rows: `y[r, :] = act(x[r, :]·w + bias)` with `x`
  /// `[rows, k]` (dense storage, mostly zeros), `w` `[k, n]`, `bias` `[n]` or `nil`, act = ReLU
  /// when `relu`. Each row's non-zeros are packed into the scratch buffers (`k` entries each)
  /// and only their weight rows are read.
  @inlinable @inline(__always)
  public static func sparseRows(
    _ x: UnsafePointer<Float>, rows: Int, k: Int, weight w: UnsafePointer<Float>, n: Int,
    bias: UnsafePointer<Float>?, relu: Bool, into y: UnsafeMutablePointer<Float>,
    scratchColumns: UnsafeMutablePointer<Int32>, scratchValues: UnsafeMutablePointer<Float>
  ) {
    csim_affine_sparse_rows(x, rows, k, w, n, bias, relu ? 1 : 0, y, scratchColumns, scratchValues)
  }
}

/// Process set-up for executables.
public enum ProcessMemory {
  /// Keeps large freed blocks in the heap (glibc: raises the mmap and trim thresholds), so
  /// buffers freed and re-allocated every training step do not page-fault each time. Does
  /// nothing on other C libraries. Meant for executables, not libraries.
  public static func keepFreedMemory() {
    csim_keep_freed_memory()
  }
}
