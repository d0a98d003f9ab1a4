import SimilarityTensors

/// The hyper-parameters shared by ``MaxPooling2D`` and ``AveragePooling2D``.
public struct Pooling2DConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// `[height, width]` of the window.
  public var poolSize: [Int]
  /// `[vertical, horizontal]` step.
  public var strides: [Int]
  /// Padding mode.
  public var padding: Padding
}

/// Max pooling over NHWC images, Keras' `MaxPooling2D`: the maximum of each `poolSize` window.
///
/// `strides` default to `poolSize` (non-overlapping windows) and `padding` to `.valid`, as in
/// Keras; output extents follow ``Conv2D``'s formula with dilation 1.
public final class MaxPooling2D: Layer {
  /// `"MaxPooling2D"`.
  public static let typeName = "MaxPooling2D"
  /// `"max_pooling2d"`.
  public static let defaultName = "max_pooling2d"
  /// The layer's name.
  public var name: String
  /// `(height, width)` of the window.
  public let poolSize: (Int, Int)
  /// `(vertical, horizontal)` step.
  public let strides: (Int, Int)
  /// `.valid` or `.same`.
  public let padding: Padding

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid,
    name: String? = nil
  ) {
    let strides = strides ?? poolSize
    precondition(
      poolSize.0 > 0 && poolSize.1 > 0 && strides.0 > 0 && strides.1 > 0,
      "MaxPooling2D: poolSize \(poolSize) and strides \(strides) must be positive")
    self.poolSize = poolSize
    self.strides = strides
    self.padding = padding
    self.name = name ?? Self.defaultName
  }

  /// `[batch, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    poolingOutputShape(inputShape, poolSize: poolSize, strides: strides, padding: padding, layer: name)
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank == 4, "MaxPooling2D '\(name)': input \(input.shape) is not NHWC")
    return input.maxPool2d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .maxPooling2D(poolingConfiguration(name, poolSize, strides, padding))
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Pooling2DConfiguration) {
    self.init(
      poolSize: (c.poolSize[0], c.poolSize[1]), strides: (c.strides[0], c.strides[1]),
      padding: c.padding, name: c.name)
  }
}

/// Average pooling over NHWC images, Keras' `AveragePooling2D`: the mean of each window.
///
/// `strides` default to `poolSize` and `padding` to `.valid`, as in Keras. With `.same`
/// padding, border windows average only the positions inside the image (as Keras does).
public final class AveragePooling2D: Layer {
  /// `"AveragePooling2D"`.
  public static let typeName = "AveragePooling2D"
  /// `"average_pooling2d"`.
  public static let defaultName = "average_pooling2d"
  /// The layer's name.
  public var name: String
  /// `(height, width)` of the window.
  public let poolSize: (Int, Int)
  /// `(vertical, horizontal)` step.
  public let strides: (Int, Int)
  /// `.valid` or `.same`.
  public let padding: Padding

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid,
    name: String? = nil
  ) {
    let strides = strides ?? poolSize
    precondition(
      poolSize.0 > 0 && poolSize.1 > 0 && strides.0 > 0 && strides.1 > 0,
      "AveragePooling2D: poolSize \(poolSize) and strides \(strides) must be positive")
    self.poolSize = poolSize
    self.strides = strides
    self.padding = padding
    self.name = name ?? Self.defaultName
  }

  /// `[batch, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    poolingOutputShape(inputShape, poolSize: poolSize, strides: strides, padding: padding, layer: name)
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank == 4, "AveragePooling2D '\(name)': input \(input.shape) is not NHWC")
    return input.averagePool2d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .averagePooling2D(poolingConfiguration(name, poolSize, strides, padding))
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Pooling2DConfiguration) {
    self.init(
      poolSize: (c.poolSize[0], c.poolSize[1]), strides: (c.strides[0], c.strides[1]),
      padding: c.padding, name: c.name)
  }
}

private func poolingConfiguration(
  _ name: String, _ poolSize: (Int, Int), _ strides: (Int, Int), _ padding: Padding
) -> Pooling2DConfiguration {
  Pooling2DConfiguration(
    name: name, poolSize: [poolSize.0, poolSize.1], strides: [strides.0, strides.1],
    padding: padding)
}

private func poolingOutputShape(
  _ inputShape: LayerShape, poolSize: (Int, Int), strides: (Int, Int), padding: Padding,
  layer: String
) -> LayerShape {
  precondition(inputShape.count == 4, "\(layer): input shape \(pythonTuple(inputShape)) is not NHWC")
  let height = inputShape[1].map {
    convolutionOutputExtent($0, window: poolSize.0, stride: strides.0, padding: padding)
  }
  let width = inputShape[2].map {
    convolutionOutputExtent($0, window: poolSize.1, stride: strides.1, padding: padding)
  }
  return [inputShape[0], height, width, inputShape[3]]
}
