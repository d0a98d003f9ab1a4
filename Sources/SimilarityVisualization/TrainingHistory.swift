/// Per-epoch values of training metrics (loss, validation loss, validation metrics), as a model
/// directory or a training loop records them.
public struct TrainingHistory: Hashable, Sendable, Codable {
  /// One metric's value after each epoch, epoch 1 first.
  public struct Metric: Hashable, Sendable, Codable {
    public var name: String
    public var values: [Double]
    public init(name: String, values: [Double]) {
      self.name = name
      self.values = values
    }
  }

  /// The metrics in display order.
  public var metrics: [Metric]

  /// Creates a history from metrics in display order.
  public init(metrics: [Metric]) {
    self.metrics = metrics
  }

  /// The number of epochs: the longest metric's length.
  public var epochCount: Int { metrics.map(\.values.count).max() ?? 0 }

  /// The history split into loss-like metrics (name contains `loss`) and the others, for two
  /// charts whose scales differ.
  public var lossesAndOthers: (losses: TrainingHistory, others: TrainingHistory) {
    let losses = metrics.filter { $0.name.lowercased().contains("loss") }
    let others = metrics.filter { !$0.name.lowercased().contains("loss") }
    return (TrainingHistory(metrics: losses), TrainingHistory(metrics: others))
  }

  /// A table: an `epoch` column, then one column per metric (empty where a metric has fewer
  /// epochs), values with `digits` decimals.
  func tableRows(digits: Int = 4) -> (headers: [String], rows: [[String]]) {
    let headers = ["epoch"] + metrics.map(\.name)
    let rows = (0..<epochCount).map { epoch in
      ["\(epoch + 1)"]
        + metrics.map {
          epoch < $0.values.count ? HTML.format($0.values[epoch], digits: digits) : ""
        }
    }
    return (headers, rows)
  }
}
