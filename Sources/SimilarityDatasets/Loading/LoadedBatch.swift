/// One batch made by a ``BatchLoader``: the prepared examples stacked as
/// `[count, height, width, channels]` `Float` values, with what was skipped.
public struct LoadedBatch: Sendable {
  /// The batch's position in the loader's plan (0-based).
  public let number: Int
  /// Row-major `[count, height, width, channels]` values.
  public let values: [Float]
  /// `[count, height, width, channels]`.
  public let shape: [Int]
  /// For every row, its position in the planned batch (positions of skipped examples are
  /// missing).
  public let positions: [Int]
  /// For every row, the source index of its example.
  public let indices: [Int]
  /// For every row, the source's label of its example.
  public let labels: [Int]
  /// Examples skipped because they could not be read or decoded (with `skipBadImages`).
  public let skipped: [SkippedExample]

  /// Rows.
  public var count: Int { indices.count }
}

/// An example left out of a batch, and why.
public struct SkippedExample: Equatable, Sendable {
  /// Its source index.
  public let index: Int
  /// The error naming the file.
  public let error: SourceError
}
