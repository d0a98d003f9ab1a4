import SimilarityLayers
import SimilarityMetricLearning
import SimilarityTensors
import SimilarityKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension SimilarityModel {
  /// A metric loss as a function: the scalar loss of `[n, d]` embeddings with `n` labels.
  public typealias LossFunction = (_ embeddings: Tensor, _ labels: [Int]) -> Tensor

  /// Trains the embedding on the sampler's batches (Keras `fit` of TF Similarity).
  ///
  /// Each step gathers a planned batch, embeds it in training mode, computes `loss(embeddings,
  /// labels)`, and updates the embedding's trainable parameters with `optimizer`. Batch
  /// distance statistics (positive/negative min, max, mean and gap, with ``distance``) are
  /// collected for every step. After each epoch `validation`, if given, evaluates the model.
  ///
  /// - Parameters:
  ///   - sampler: where batches come from (e.g. ``MultiShotSampler``).
  ///   - loss: the metric loss; see the `MetricLoss` overload.
  ///   - optimizer: e.g. `Adam(learningRate: 5e-6)` as in TF Similarity's hello world.
  ///   - epochs: number of epochs (≥ 1); each runs `sampler.stepsPerEpoch` steps.
  ///   - validation: run after each epoch; its metrics go into ``FitEpoch/validation``.
  ///   - onStep: called after every step.
  ///   - onEpoch: called after every epoch with its record.
  /// - Throws: errors of the sampler (e.g. an unreadable image) or of the validation.
  @discardableResult
  public func fit(
    sampler: some Sampler, loss: LossFunction, optimizer: any Optimizer, epochs: Int,
    validation: EvaluationCallback? = nil, onStep: (FitStep) -> Void = { _ in },
    onEpoch: (FitEpoch) -> Void = { _ in }
  ) throws -> FitHistory {
    precondition(epochs >= 1, "fit: epochs \(epochs) must be at least 1")
    var history = FitHistory()
    let parameters = embedding.trainableParameters
    for epoch in 1...epochs {
      let plan = sampler.plan(epoch: epoch)
      embedding.isTraining = true
      let start = monotonicSeconds()
      var lossSum = 0.0
      var statistics: [DistanceStatistics] = []
      statistics.reserveCapacity(plan.count)
      for (step, batch) in plan.enumerated() {
        let examples = try sampler.examples(for: batch)
        var embeddings = Tensor(0)
        let (value, gradients) = valueWithGradient(at: parameters) {
          embeddings = embedding(examples)
          return loss(embeddings, batch.labels)
        }
        optimizer.update(parameters, gradients: gradients)
        let stepLoss = Double(value.item)
        lossSum += stepLoss
        if let s = DistanceStatistics(
          distances: pairwiseDistances(embeddings.scalars, rows: batch.count),
          labels: batch.labels)
        {
          statistics.append(s)
        }
        onStep(
          FitStep(
            epoch: epoch, step: step + 1, stepsPerEpoch: plan.count,
            meanLoss: lossSum / Double(step + 1), loss: stepLoss))
      }
      let seconds = monotonicSeconds() - start
      embedding.isTraining = false
      var record = FitEpoch(
        epoch: epoch, loss: lossSum / Double(max(plan.count, 1)),
        distances: statistics.isEmpty ? nil : DistanceStatistics(averaging: statistics),
        validation: nil, seconds: seconds, validationSeconds: nil)
      if let validation {
        let validationStart = monotonicSeconds()
        record.validation = try validation.evaluate(self)
        record.validationSeconds = monotonicSeconds() - validationStart
      }
      history.epochs.append(record)
      onEpoch(record)
    }
    return history
  }
}

extension SimilarityModel {
  /// The `[n, n]` matrix of ``distance`` between the rows of `embeddings` (`[n, dimension]`).
  func pairwiseDistances(_ embeddings: [Float], rows: Int) -> [Float] {
    let d = embeddings.count / max(rows, 1)
    let vectors = (0..<rows).map { Array(embeddings[($0 * d)..<(($0 + 1) * d)]) }
    var out = [Float](repeating: 0, count: rows * rows)
    for i in 0..<rows {
      for j in (i + 1)..<max(rows, i + 1) {
        out[i * rows + j] = distance.reference(vectors[i], vectors[j])
        out[j * rows + i] =
          distance == .snr ? distance.reference(vectors[j], vectors[i]) : out[i * rows + j]
      }
    }
    return out
  }
}


extension SimilarityModel {
  /// Trains with a metric loss from SimilarityMetricLearning (e.g. `MultiSimilarityLoss()`);
  /// see the closure form of `fit` for the details.
  /// The loss's distance should be the model's ``distance`` (TF Similarity takes the index
  /// distance from the loss).
  @discardableResult
  public func fit(
    sampler: some Sampler, loss: some MetricLoss, optimizer: any Optimizer, epochs: Int,
    validation: EvaluationCallback? = nil, onStep: (FitStep) -> Void = { _ in },
    onEpoch: (FitEpoch) -> Void = { _ in }
  ) throws -> FitHistory {
    precondition(
      loss.distance == distance,
      "fit: the loss uses \(loss.distance) distance, the model \(distance)")
    return try fit(
      sampler: sampler, loss: { loss(embeddings: $0, labels: $1) }, optimizer: optimizer,
      epochs: epochs, validation: validation, onStep: onStep, onEpoch: onEpoch)
  }
}
