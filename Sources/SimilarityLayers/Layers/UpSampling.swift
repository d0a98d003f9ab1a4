import SimilarityTensors

/// Keras' `UpSampling1D`: each step of `[batch, steps, channels]` repeated `size` times
/// (default 2).
public final class UpSampling1D: Layer {
  /// `"UpSampling1D"`.
  public static let typeName = "UpSampling1D"
  /// `"up_sampling1d"`.
  public static let defaultName = "up_sampling1d"
  /// The layer's name.
  public var name: String
  /// The repeat factor.
  public let size: Int

  /// Creates the layer.
  public init(size: Int = 2, name: String? = nil) {
    precondition(size > 0, "UpSampling1D: size \(size) must be positive")
    self.size = size
    self.name = name ?? Self.defaultName
  }

  /// The hyper-parameters of an `UpSampling1D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The repeat factor.
    public var size: Int
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(size: c.size, name: c.name)
  }

  /// `[batch, steps · size, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(inputShape.count == 3, "UpSampling1D '\(name)': input shape \(pythonTuple(inputShape)) is not [batch, steps, channels]")
    return [inputShape[0], inputShape[1].map { $0 * size }, inputShape[2]]
  }

  /// `[batch, steps, channels]` → `[batch, steps · size, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank == 3, "UpSampling1D '\(name)': input \(input.shape) is not [batch, steps, channels]")
    return input.repeatingSlices(size, alongAxis: 1)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .upSampling1D(Configuration(name: name, size: size))
  }
}

/// Keras' `UpSampling2D`: `[batch, height, width, channels]` enlarged by `size`
/// `(rows, columns)` (default 2×2), by repeating pixels (`.nearest`, the default) or by
/// bilinear interpolation with TensorFlow's half-pixel centres (`.bilinear`, what
/// `tf.image.resize` does).
public final class UpSampling2D: Layer {
  /// How new pixels are filled.
  public enum Interpolation: String, Codable, Sendable {
    /// Each pixel repeated.
    case nearest
    /// Bilinear interpolation (half-pixel centres, edges clamped).
    case bilinear
  }

  /// `"UpSampling2D"`.
  public static let typeName = "UpSampling2D"
  /// `"up_sampling2d"`.
  public static let defaultName = "up_sampling2d"
  /// The layer's name.
  public var name: String
  /// `(rows, columns)` factors.
  public let size: (Int, Int)
  /// `.nearest` or `.bilinear`.
  public let interpolation: Interpolation

  /// Creates the layer.
  public init(size: (Int, Int) = (2, 2), interpolation: Interpolation = .nearest, name: String? = nil) {
    precondition(size.0 > 0 && size.1 > 0, "UpSampling2D: size \(size) must be positive")
    self.size = size
    self.interpolation = interpolation
    self.name = name ?? Self.defaultName
  }

  /// The hyper-parameters of an `UpSampling2D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// `[rows, columns]` factors.
    public var size: [Int]
    /// `"nearest"` or `"bilinear"`.
    public var interpolation: Interpolation
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(size: (c.size[0], c.size[1]), interpolation: c.interpolation, name: c.name)
  }

  /// `[batch, height · rows, width · columns, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(inputShape.count == 4, "UpSampling2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    return [inputShape[0], inputShape[1].map { $0 * size.0 }, inputShape[2].map { $0 * size.1 }, inputShape[3]]
  }

  /// `[batch, height, width, channels]` → `[batch, height · rows, width · columns, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank == 4, "UpSampling2D '\(name)': input \(input.shape) is not NHWC")
    switch interpolation {
    case .nearest:
      return input.repeatingSlices(size.0, alongAxis: 1).repeatingSlices(size.1, alongAxis: 2)
    case .bilinear:
      return input.linearlyUpsampled(size.0, alongAxis: 1).linearlyUpsampled(size.1, alongAxis: 2)
    }
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .upSampling2D(Configuration(name: name, size: [size.0, size.1], interpolation: interpolation))
  }
}
