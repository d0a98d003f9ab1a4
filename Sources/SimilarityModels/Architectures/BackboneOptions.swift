import SimilarityLayers

/// How the feature map `[batch, height, width, channels]` of a backbone is pooled into one
/// vector `[batch, channels]`: TF Similarity's `pooling` argument (`"avg"`, `"max"`, `"gem"`).
public enum BackbonePooling: Equatable, Sendable {
  /// `GlobalAveragePooling2D`, layer `avg_pool`.
  case average
  /// `GlobalMaxPooling2D`, layer `max_pool`.
  case max
  /// `GeneralizedMeanPooling2D` with power `p` (TF Similarity's `gem_p`, default 3), layer
  /// `gem_pool` (Radenović et al. 2018, https://arxiv.org/abs/1711.02512).
  case generalizedMean(p: Float)

  /// Records the pooling layer on `features`.
  func callAsFunction(_ features: SymbolicTensor) -> SymbolicTensor {
    switch self {
    case .average: GlobalAveragePooling2D(name: "avg_pool")(features)
    case .max: GlobalMaxPooling2D(name: "max_pool")(features)
    case .generalizedMean(let p): GeneralizedMeanPooling2D(p: p, name: "gem_pool")(features)
    }
  }
}

/// Which part of a backbone trains: TF Similarity's `trainable` argument.
///
/// - `full`: every layer.
/// - `partial`: only the top of the network — the layers whose names match
///   `^conv5|^top` for ResNet50 and `^block[5,6,7]|^top` for EfficientNet (TF Similarity's
///   regular expressions, kept as they are, so for EfficientNet the character class also
///   admits a `,`); the rest is frozen.
/// - `frozen`: no backbone layer; only the embedding head trains.
///
/// Frozen layers keep their values; a frozen ``BatchNormalization`` runs in inference mode
/// even while training (Keras 2's behaviour, ``Model/trainable``). TF Similarity's default
/// is `frozen` because its default weights are ImageNet's; the factories here default to
/// `full`, since they start from random weights until weights are loaded.
public enum BackboneTrainability: String, CaseIterable, Sendable {
  case full
  case partial
  case frozen
}

/// What a backbone ends with.
public enum BackboneTop: Equatable, Sendable {
  /// TF Similarity's embedding head: pooling, then `MetricEmbedding(embeddingSize)`
  /// (`metric_embedding`, a dense layer followed by L2 normalisation) when `l2Normalize`,
  /// otherwise a plain `Dense(embeddingSize)` (`dense`). Output `[batch, embeddingSize]`.
  case embedding(size: Int, pooling: BackbonePooling, l2Normalize: Bool)
  /// Only the pooling: output `[batch, channels]` (TF Similarity's `include_top=False`).
  case pooled(BackbonePooling)
  /// The last feature map `[batch, h, w, channels]` (`pooling=None`).
  case features
  /// The ImageNet classifier of the original network: average pooling (`avg_pool`), dropout
  /// (`top_dropout`) and `Dense(1000)` (`predictions`) giving logits `[batch, 1000]` (no
  /// softmax), so imported weights can be checked against a reference's logits.
  case imageNetClassifier(dropout: Float)

  /// TF Similarity's defaults: 128-d, generalized-mean pooling with `p = 3`, L2-normalised.
  public static let defaultEmbedding = BackboneTop.embedding(
    size: 128, pooling: .generalizedMean(p: 3), l2Normalize: true)

  /// Records the top on `features`, the backbone's last feature map.
  func callAsFunction(_ features: SymbolicTensor, seed: UInt64) -> SymbolicTensor {
    switch self {
    case .embedding(let size, let pooling, let l2Normalize):
      precondition(size > 0, "BackboneTop: embedding size \(size) must be positive")
      let pooled = pooling(features)
      return l2Normalize ? MetricEmbedding(units: size)(pooled) : Dense(units: size)(pooled)
    case .pooled(let pooling):
      return pooling(features)
    case .features:
      return features
    case .imageNetClassifier(let dropout):
      var x = GlobalAveragePooling2D(name: "avg_pool")(features)
      if dropout > 0 { x = Dropout(rate: dropout, seed: seed &+ 1, name: "top_dropout")(x) }
      return Dense(units: 1000, name: "predictions")(x)
    }
  }
}
