import SimilarityLayers

/// The layers ``BackboneTop`` adds after a backbone: they always train.
let backboneHeadLayerNames: Set<String> = [
  "avg_pool", "max_pool", "gem_pool", "metric_embedding", "dense", "top_dropout", "predictions",
]

extension Functional {
  /// Freezes backbone layers as TF Similarity's `trainable` argument does
  /// (``BackboneTrainability``); the head layers (pooling, embedding, classifier) stay
  /// trainable. `partialTop` is TF Similarity's regular expression for the layers that
  /// `partial` keeps trainable (`^conv5|^top` for ResNet50, `^block[5,6,7]|^top` for
  /// EfficientNet).
  func applyTrainability(_ trainability: BackboneTrainability, partialTop: String) {
    let pattern: Regex<AnyRegexOutput>
    do {
      pattern = try Regex(partialTop)
    } catch {
      preconditionFailure("partialTop \(partialTop) is not a regular expression: \(error)")
    }
    for layer in layers where !(layer is Input) && !backboneHeadLayerNames.contains(layer.name) {
      switch trainability {
      case .full: layer.trainable = true
      case .frozen: layer.trainable = false
      case .partial: layer.trainable = layer.name.firstMatch(of: pattern) != nil
      }
    }
  }

  /// Freezes every ``BatchNormalization`` layer (moving statistics used, no update, `gamma`
  /// and `beta` not trained), whatever the ``BackboneTrainability``: what TF Similarity does
  /// to a backbone built with pre-trained weights (`if weights: … layer.trainable = False`
  /// for each batch normalisation layer). Call it after loading such weights.
  public func freezeBatchNormalization() {
    for case let layer as BatchNormalization in layers { layer.trainable = false }
  }
}
