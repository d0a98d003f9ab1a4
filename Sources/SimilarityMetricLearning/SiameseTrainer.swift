import SimilarityKernels
import SimilarityLayers
import SimilarityTensors

/// The per-epoch record of a training run, like Keras' `History.history`.
public struct TrainingHistory: Codable, Equatable, Sendable {
  /// One entry per finished epoch.
  public var epochs: [EpochRecord] = []

  /// Creates an empty history.
  public init() {}
}

/// What one epoch of training produced.
public struct EpochRecord: Codable, Equatable, Sendable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Mean training loss over the epoch's batches (with dropout active, as Keras reports it).
  public var loss: Double
  /// Mean pair accuracy over the epoch's batches at the trainer's threshold.
  public var accuracy: Double
  /// Loss on the validation pairs in inference mode, if validation data was given.
  public var validationLoss: Double?
  /// Pair accuracy on the validation pairs in inference mode, if validation data was given.
  public var validationAccuracy: Double?
  /// Wall-clock seconds of the epoch's training steps (validation excluded).
  public var seconds: Double
}

/// Progress within an epoch, reported after every step.
public struct StepProgress: Sendable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Steps finished in this epoch.
  public var step: Int
  /// Steps in an epoch.
  public var stepsPerEpoch: Int
  /// Mean loss over this epoch's finished steps.
  public var meanLoss: Double
}

/// Keras-style `fit` for a ``SiameseNetwork`` on labelled pairs: shuffles the pairs every
/// epoch, runs mini-batches of `batchSize` pairs (the last one may be smaller), and updates the
/// tower with an optimizer.
///
/// The library does not print: progress and epoch results go to the callbacks, and the CLI
/// draws the progress bar.
public struct SiameseTrainer {
  /// Pairs per step (Keras default 128 in the example).
  public var batchSize: Int
  /// Whether to reshuffle the pairs at the start of every epoch (Keras `shuffle=True`).
  public var shuffle: Bool
  /// Seeds the shuffling.
  public var seed: UInt64
  /// The loss to minimise.
  public var loss: ContrastiveLoss
  /// Pairs closer than this are called similar when measuring accuracy.
  public var threshold: Float

  /// - Parameters:
  ///   - batchSize: pairs per step, positive.
  ///   - shuffle: reshuffle every epoch.
  ///   - seed: seeds the shuffling.
  ///   - loss: the contrastive loss (margin 1 by default).
  ///   - threshold: accuracy threshold on the distance (0.5 in the Keras example).
  public init(
    batchSize: Int = 128, shuffle: Bool = true, seed: UInt64 = 0,
    loss: ContrastiveLoss = ContrastiveLoss(), threshold: Float = 0.5
  ) {
    precondition(batchSize > 0, "SiameseTrainer: batchSize \(batchSize) must be positive")
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.seed = seed
    self.loss = loss
    self.threshold = threshold
  }

  /// Trains `network` for `epochs` epochs and returns the history.
  ///
  /// - Parameters:
  ///   - network: the siamese network; its tower's trainable parameters are updated.
  ///   - optimizer: e.g. `RMSprop()` as in the Keras example.
  ///   - examples: the examples the pairs index into.
  ///   - pairs: the training pairs.
  ///   - epochs: number of passes over the pairs, positive.
  ///   - validation: examples and pairs scored in inference mode after each epoch.
  ///   - onStep: called after every step.
  ///   - onEpoch: called after every epoch with its record.
  public func fit(
    _ network: SiameseNetwork, optimizer: any Optimizer, examples: ExampleMatrix,
    pairs: PairSet, epochs: Int, validation: (examples: ExampleMatrix, pairs: PairSet)? = nil,
    onStep: (StepProgress) -> Void = { _ in }, onEpoch: (EpochRecord) -> Void = { _ in }
  ) -> TrainingHistory {
    precondition(epochs > 0, "fit: epochs \(epochs) must be positive")
    precondition(pairs.count > 0, "fit: no training pairs")
    var history = TrainingHistory()
    var order = Array(0..<pairs.count)
    var generator = SplitMix64(seed: seed)
    let steps = (pairs.count + batchSize - 1) / batchSize
    let parameters = network.tower.trainableParameters
    for epoch in 1...epochs {
      if shuffle { order.shuffle(using: &generator) }
      network.isTraining = true
      let start = monotonicSeconds()
      var lossSum = 0.0
      var correct = 0
      for step in 0..<steps {
        let range = (step * batchSize)..<min((step + 1) * batchSize, pairs.count)
        let batch = range.map { order[$0] }
        // Both halves of every pair in one gather: rows 0..<n are the first examples,
        // rows n..<2n the second ones.
        let both = examples.batch(batch.map { pairs.first[$0] } + batch.map { pairs.second[$0] })
        let labels = Tensor(shape: [batch.count], scalars: batch.map { pairs.labels[$0] })
        // Only the distance values leave the closure, so the graph (which holds the weights
        // it multiplied by) is released before the optimizer rewrites those weights.
        var distances: [Float] = []
        let (value, gradients) = valueWithGradient(at: parameters) {
          let d = network.distances(stacked: both)
          distances = d.scalars
          return loss(distances: d, labels: labels)
        }
        optimizer.update(parameters, gradients: gradients)
        lossSum += Double(value.item) * Double(batch.count)
        for (d, y) in zip(distances, labels.scalars) where (d < threshold) == (y == 1) {
          correct += 1
        }
        let seen = range.upperBound
        onStep(StepProgress(epoch: epoch, step: step + 1, stepsPerEpoch: steps, meanLoss: lossSum / Double(seen)))
      }
      let seconds = monotonicSeconds() - start
      network.isTraining = false
      var record = EpochRecord(
        epoch: epoch, loss: lossSum / Double(pairs.count),
        accuracy: Double(correct) / Double(pairs.count), seconds: seconds)
      if let validation {
        let scores = evaluate(network, examples: validation.examples, pairs: validation.pairs)
        record.validationLoss = scores.loss
        record.validationAccuracy = scores.accuracy
      }
      history.epochs.append(record)
      onEpoch(record)
    }
    return history
  }

  /// Loss and pair accuracy of `network` on `pairs`, in inference mode.
  public func evaluate(_ network: SiameseNetwork, examples: ExampleMatrix, pairs: PairSet)
    -> (loss: Double, accuracy: Double)
  {
    let distances = network.distances(of: pairs, in: examples)
    let value = loss(
      distances: Tensor(shape: [distances.count], scalars: distances),
      labels: Tensor(shape: [pairs.count], scalars: pairs.labels))
    return (
      Double(value.item), pairAccuracy(distances: distances, labels: pairs.labels, threshold: threshold)
    )
  }
}
