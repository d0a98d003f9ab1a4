import SimilarityTensors

/// The input scaling a backbone's weights expect, from an RGB image with values in [0, 255].
/// Recorded with a graph model (``Functional/preprocessing``, saved in its architecture JSON)
/// so `embed` and `lookup` can apply it (``callAsFunction(_:)``).
public enum InputPreprocessing: String, Codable, CaseIterable, Sendable {
  /// Nothing: the model takes [0, 255] and scales inside (Keras' EfficientNet B0–B7, whose
  /// first layers are `Rescaling(1/255)` and `Normalization`).
  case raw255
  /// `(x − 127) / 128`, about [−1, 1]: TensorFlow's EfficientNet-Lite reference
  /// (`MEAN_RGB = 127`, `STDDEV_RGB = 128`), which the EfficientNet-Lite ImageNet weights
  /// were trained with.
  case centered127
  /// `x / 127.5 − 1`, [−1, 1] (Keras' `"tf"` mode).
  case symmetricUnit
  /// `(x / 255 − mean) / std` with ImageNet's mean (0.485, 0.456, 0.406) and standard
  /// deviation (0.229, 0.224, 0.225) per RGB channel (Keras' `"torch"` mode, torchvision).
  case imageNetMeanStd
  /// RGB → BGR, then minus ImageNet's BGR mean (103.939, 116.779, 123.68), no scaling
  /// (Keras' `"caffe"` mode, what `keras.applications.resnet50.preprocess_input` does).
  case caffe
}

extension InputPreprocessing {
  /// ImageNet's per-channel RGB mean on [0, 1].
  static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
  /// ImageNet's per-channel RGB standard deviation on [0, 1].
  static let imageNetStd: [Float] = [0.229, 0.224, 0.225]
  /// ImageNet's BGR mean on [0, 255] (Caffe's).
  static let caffeMeanBGR: [Float] = [103.939, 116.779, 123.68]

  /// Scales RGB `images` `[batch, height, width, 3]` with values in [0, 255] as this case
  /// says; the result has the same shape (channels BGR for ``caffe``).
  public func callAsFunction(_ images: Tensor) -> Tensor {
    precondition(
      images.rank == 4 && images.shape[3] == 3,
      "InputPreprocessing.\(rawValue): images \(images.shape) are not [batch, height, width, 3]")
    switch self {
    case .raw255: return images
    case .centered127: return (images - 127) * (1 / 128)
    case .symmetricUnit: return images * (1 / 127.5) - 1
    case .imageNetMeanStd:
      let scale = Self.imageNetStd.map { 1 / (255 * $0) }
      let shift = zip(Self.imageNetMean, Self.imageNetStd).map { -$0 / $1 }
      return images * Tensor(shape: [3], scalars: scale) + Tensor(shape: [3], scalars: shift)
    case .caffe:
      let bgr = Tensor(shape: [3, 3], scalars: [0, 0, 1, 0, 1, 0, 1, 0, 0])
      let flipped = images.reshaped([images.count / 3, 3]).matmul(bgr).reshaped(images.shape)
      return flipped - Tensor(shape: [3], scalars: Self.caffeMeanBGR)
    }
  }
}
