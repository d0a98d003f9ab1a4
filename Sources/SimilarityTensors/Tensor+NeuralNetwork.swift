import SimilarityKernels

extension Tensor {
  /// Inverted dropout: each element is zeroed with probability `rate` and the survivors are
  /// scaled by `1 / (1 − rate)`, so the expected value is unchanged. Derivative: the gradient
  /// through the same mask and scale. Every call advances `generator` by ⌈count / 2⌉ draws.
  public func dropout(rate: Float, using generator: inout SplitMix64) -> Tensor {
    precondition(rate >= 0 && rate < 1, "dropout: rate \(rate) outside [0, 1)")
    if rate == 0 { return self }
    let scale = 1 / (1 - rate)
    // Two 24-bit uniforms per 64-bit draw; an element is kept when its uniform is ≥ rate.
    let threshold = UInt64((Double(rate) * 16_777_216).rounded(.up))
    let n = count
    let mask = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      var i = 0
      while i < n {
        let bits = generator.next()
        buffer[i] = bits >> 40 >= threshold ? scale : 0
        if i + 1 < n { buffer[i + 1] = (bits >> 16) & 0xFF_FFFF >= threshold ? scale : 0 }
        i += 2
      }
      initialized = n
    }
    let output = Tensor.zipMap(scalars, mask, grain: ParallelGrain.cheap, Multiply())
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { g, _ in
      [Tensor(shape: g.shape, scalars: Tensor.zipMap(g.scalars, mask, grain: ParallelGrain.cheap, Multiply()))]
    }
  }

  /// Batch normalization with given statistics: `(x − mean) / √(variance + ε) · scale + offset`;
  /// `mean`, `variance`, `scale` and `offset` broadcast against `self` (typically
  /// `[channels]` against `[..., channels]`).
  public func batchNormalized(
    mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor, epsilon: Float = 1e-3
  ) -> Tensor {
    (self - mean) * (scale / (variance + epsilon).sqrt()) + offset
  }

  /// Mean squared error against `target` (same shape), a scalar.
  public func meanSquaredError(_ target: Tensor) -> Tensor {
    precondition(shape == target.shape, "meanSquaredError: shapes \(shape) and \(target.shape) differ")
    return (self - target).squared().mean()
  }

  /// Mean over the batch of the softmax cross-entropy of `logits` (`[batch, classes]`) with
  /// integer `labels`, a scalar; computed stably through log-softmax.
  /// Derivative: `(softmax(logits) − onehot(labels)) / batch`.
  public static func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    precondition(
      logits.rank == 2 && logits.shape[0] == labels.count,
      "softmaxCrossEntropy: logits \(logits.shape) for \(labels.count) labels")
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    for label in labels {
      precondition(label >= 0 && label < classes, "softmaxCrossEntropy: label \(label) outside 0..<\(classes)")
    }
    let logProbabilities = softmaxKernel(logits.scalars, outer: batch, extent: classes, inner: 1, log: true)
    var loss: Float = 0
    for (row, label) in labels.enumerated() { loss -= logProbabilities[row * classes + label] }
    loss /= Float(Swift.max(batch, 1))
    let shape = logits.shape
    return recording(shape: [], scalars: [loss], inputs: [logits]) { gradient, _ in
      let scale = gradient.scalars[0] / Float(Swift.max(batch, 1))
      var dx = map(logProbabilities, grain: ParallelGrain.transcendental) { ScalarMath.exp($0) * scale }
      for (row, label) in labels.enumerated() { dx[row * classes + label] -= scale }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }
}

/// Mean softmax cross-entropy of `logits` (`[batch, classes]`) with integer `labels`; see
/// ``Tensor/softmaxCrossEntropy(logits:labels:)``.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
  Tensor.softmaxCrossEntropy(logits: logits, labels: labels)
}
