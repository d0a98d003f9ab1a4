extension Sequential {
  /// The shared tower of Keras' classic `mnist_siamese.py` example:
  /// `Input(28, 28) → Flatten → Dense(128, relu) → Dropout(0.1) → Dense(128, relu) →
  /// Dropout(0.1) → Dense(128, relu)`, a 128-d embedding with no normalisation.
  ///
  /// Parameters: 784·128 + 128 = 100,480, then 2 × (128·128 + 128) = 33,024, so 133,504,
  /// all trainable.
  public static func kerasSiameseTower(seed: UInt64 = 0) -> Sequential {
    Sequential(seed: seed) {
      Input(shape: [28, 28])
      Flatten()
      Dense(units: 128, activation: .relu)
      Dropout(rate: 0.1, seed: seed &+ 1)
      Dense(units: 128, activation: .relu)
      Dropout(rate: 0.1, seed: seed &+ 2)
      Dense(units: 128, activation: .relu)
    }
  }

  /// The embedding model of TF Similarity's `supervised_hello_world` notebook (MNIST):
  /// `Input(28, 28, 1) → Rescaling(1/255) → Conv2D(32, 3×3, relu) → Conv2D(32, 3×3, relu) →
  /// MaxPooling2D(2×2) → Conv2D(64, 3×3, relu) → Conv2D(64, 3×3, relu) → Flatten →
  /// MetricEmbedding(64)` (Dense 64 + L2 normalisation), 327,200 parameters.
  ///
  /// The notebook builds it with the functional API; as a `Sequential` it has the same
  /// layers, shapes and parameter count.
  public static func tfSimilarityMNISTConv(embeddingSize: Int = 64, seed: UInt64 = 0) -> Sequential
  {
    Sequential(seed: seed) {
      Input(shape: [28, 28, 1])
      Rescaling(scale: 1 / 255)
      Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu)
      Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu)
      MaxPooling2D(poolSize: (2, 2))
      Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu)
      Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu)
      Flatten()
      MetricEmbedding(units: embeddingSize)
    }
  }
}
