import SimilarityEvaluation
import SimilarityLayers
import SimilarityMetricLearning
import SimilaritySearch

extension ExampleMatrix {
  /// The rows of a `[n] + exampleShape` tensor as examples.
  public init(rows tensor: Tensor) {
    precondition(tensor.rank >= 1, "ExampleMatrix(rows:): a scalar has no rows")
    self.init(values: tensor.scalars, exampleShape: Array(tensor.shape.dropFirst()))
  }
}

/// The same operations on `[n] + inputShape` tensors instead of ``ExampleMatrix`` rows.
extension SimilarityModel {
  /// ``index(_:labels:payloads:)`` for a tensor of examples.
  public func index(_ examples: Tensor, labels: [Int]? = nil, payloads: [[UInt8]]? = nil) throws {
    try index(ExampleMatrix(rows: examples), labels: labels, payloads: payloads)
  }

  /// ``lookup(_:k:)`` for a tensor of examples.
  public func lookup(_ examples: Tensor, k: Int = 5) throws -> [[Neighbor]] {
    try lookup(ExampleMatrix(rows: examples), k: k)
  }

  /// ``calibrate(_:labels:targets:optimizing:strategy:k:)`` for a tensor of examples.
  @discardableResult
  public func calibrate(
    _ examples: Tensor, labels: [Int], targets: [CalibrationTarget] = [],
    optimizing metric: ClassificationMetric = .f1, strategy: MatchStrategy = .nearest,
    k: Int = 1
  ) throws -> Calibration {
    try calibrate(
      ExampleMatrix(rows: examples), labels: labels, targets: targets, optimizing: metric,
      strategy: strategy, k: k)
  }

  /// ``match(_:cutpoint:)`` for a tensor of examples.
  public func match(_ examples: Tensor, cutpoint: CutpointChoice = .optimal) throws -> [Int?] {
    try match(ExampleMatrix(rows: examples), cutpoint: cutpoint)
  }
}
