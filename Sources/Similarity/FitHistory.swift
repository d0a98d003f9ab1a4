/// The per-epoch record of ``SimilarityModel/fit(sampler:loss:optimizer:epochs:validation:onStep:onEpoch:)``.
public struct FitHistory: Codable, Equatable, Sendable {
  /// One entry per finished epoch.
  public var epochs: [FitEpoch] = []

  /// Creates an empty history.
  public init() {}

  /// The median of the epochs' training seconds, if any epoch ran.
  public var medianEpochSeconds: Double? {
    let seconds = epochs.map(\.seconds).sorted()
    return seconds.isEmpty ? nil : seconds[seconds.count / 2]
  }
}

/// Distances between the embeddings of a batch, split into positive pairs (same label) and
/// negative pairs (different labels); averaged over an epoch's batches. TF Similarity's
/// training metrics (`dist_gap`, `pos_max`, `neg_min`, …), gap = mean negative − mean
/// positive distance.
public struct DistanceStatistics: Codable, Equatable, Sendable {
  /// Mean distance over positive pairs.
  public var meanPositive: Double
  /// Smallest positive-pair distance.
  public var minPositive: Double
  /// Largest positive-pair distance.
  public var maxPositive: Double
  /// Mean distance over negative pairs.
  public var meanNegative: Double
  /// Smallest negative-pair distance.
  public var minNegative: Double
  /// Largest negative-pair distance.
  public var maxNegative: Double

  /// `meanNegative − meanPositive`: how far apart the classes are on average.
  public var gap: Double { meanNegative - meanPositive }

  /// Statistics of the `[n, n]` distance matrix `distances` (row-major) for rows labelled
  /// `labels`; the diagonal is skipped. `nil` without both a positive and a negative pair.
  public init?(distances: [Float], labels: [Int]) {
    let n = labels.count
    precondition(distances.count == n * n, "DistanceStatistics: need an [n, n] matrix")
    var positive = (sum: 0.0, count: 0, min: Double.infinity, max: -Double.infinity)
    var negative = positive
    for i in 0..<n {
      for j in 0..<n where j != i {
        let d = Double(distances[i * n + j])
        if labels[i] == labels[j] {
          positive = (
            positive.sum + d, positive.count + 1, min(positive.min, d), max(positive.max, d)
          )
        } else {
          negative = (
            negative.sum + d, negative.count + 1, min(negative.min, d), max(negative.max, d)
          )
        }
      }
    }
    guard positive.count > 0, negative.count > 0 else { return nil }
    meanPositive = positive.sum / Double(positive.count)
    minPositive = positive.min
    maxPositive = positive.max
    meanNegative = negative.sum / Double(negative.count)
    minNegative = negative.min
    maxNegative = negative.max
  }

  init(averaging batches: [DistanceStatistics]) {
    let n = Double(max(batches.count, 1))
    func mean(_ key: KeyPath<DistanceStatistics, Double>) -> Double {
      batches.reduce(0) { $0 + $1[keyPath: key] } / n
    }
    meanPositive = mean(\.meanPositive)
    minPositive = mean(\.minPositive)
    maxPositive = mean(\.maxPositive)
    meanNegative = mean(\.meanNegative)
    minNegative = mean(\.minNegative)
    maxNegative = mean(\.maxNegative)
  }
}

/// What one epoch of ``SimilarityModel`` training produced.
public struct FitEpoch: Codable, Equatable, Sendable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Mean loss over the epoch's batches.
  public var loss: Double
  /// Batch distance statistics averaged over the epoch (`nil` if no batch had both pair kinds).
  public var distances: DistanceStatistics?
  /// Metrics of the ``EvaluationCallback``, by name (e.g. `recall@1_known_classes`).
  public var validation: [String: Double]?
  /// Wall-clock seconds of the epoch's training steps (validation excluded).
  public var seconds: Double
  /// Wall-clock seconds of the validation callback.
  public var validationSeconds: Double?
}

/// Progress within an epoch, reported after every step.
public struct FitStep: Sendable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Steps finished in this epoch.
  public var step: Int
  /// Steps in an epoch.
  public var stepsPerEpoch: Int
  /// Mean loss over this epoch's finished steps.
  public var meanLoss: Double
  /// Loss of the last step.
  public var loss: Double
}
