import SimilarityTensors

extension Model {
  /// Keras' layer-level `trainable` flag: `false` freezes every parameter of this layer or
  /// model (each ``Parameter/isFrozen``), so they leave ``trainableParameters`` (optimizers skip
  /// them and summaries count them as "Non-trainable params") while still being saved and
  /// loaded. A frozen ``BatchNormalization`` also runs in inference mode while training, as in
  /// Keras 2. Setting it on a model sets it on every layer inside, as in Keras.
  ///
  /// The flag lives on the parameters, so set it once the layer is built (a layer inside a
  /// ``Sequential`` or ``Functional`` model is); a layer without parameters is always
  /// trainable. Reading it gives `true` unless every parameter is frozen.
  public var trainable: Bool {
    get {
      let parameters = self.parameters
      return parameters.isEmpty || parameters.contains { !$0.isFrozen }
    }
    set {
      if let layer = self as? any Layer, !layer.isBuilt {
        preconditionFailure(
          "\(layer.typeName) '\(layer.name)': set trainable after the layer is built")
      }
      for parameter in parameters { parameter.isFrozen = !newValue }
    }
  }
}
