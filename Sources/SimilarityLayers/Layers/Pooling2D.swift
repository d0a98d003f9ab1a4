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

/// The window of a 2-D pooling layer: size, step and padding, with Keras' defaults and
/// output-shape rule (``Conv2D``'s formula with dilation 1).
struct PoolingWindow {
  let poolSize: (Int, Int)
  let strides: (Int, Int)
  let padding: Padding

  /// `strides` default to `poolSize` (non-overlapping windows), as in Keras.
  init(poolSize: (Int, Int), strides: (Int, Int)?, padding: Padding, layer: String) {
    let strides = strides ?? poolSize
    precondition(
      poolSize.0 > 0 && poolSize.1 > 0 && strides.0 > 0 && strides.1 > 0,
      "\(layer): poolSize \(poolSize) and strides \(strides) must be positive")
    self.poolSize = poolSize
    self.strides = strides
    self.padding = padding
  }

  init(_ c: Pooling2DConfiguration, layer: String) {
    self.init(
      poolSize: (c.poolSize[0], c.poolSize[1]), strides: (c.strides[0], c.strides[1]),
      padding: c.padding, layer: layer)
  }

  func outputShape(_ inputShape: LayerShape, layer: String) -> LayerShape {
    precondition(
      inputShape.count == 4, "\(layer): input shape \(pythonTuple(inputShape)) is not NHWC")
    let height = inputShape[1].map {
      convolutionOutputExtent($0, window: poolSize.0, stride: strides.0, padding: padding)
    }
    let width = inputShape[2].map {
      convolutionOutputExtent($0, window: poolSize.1, stride: strides.1, padding: padding)
    }
    return [inputShape[0], height, width, inputShape[3]]
  }

  func configuration(name: String) -> Pooling2DConfiguration {
    Pooling2DConfiguration(
      name: name, poolSize: [poolSize.0, poolSize.1], strides: [strides.0, strides.1],
      padding: padding)
  }
}

/// Max pooling over NHWC images, Keras' `MaxPooling2D`: the maximum of each `poolSize` window
/// (padded positions never win).
///
/// `strides` default to `poolSize` and `padding` to `.valid`, as in Keras.
public final class MaxPooling2D: Layer {
  /// `"MaxPooling2D"`.
  public static let typeName = "MaxPooling2D"
  /// `"max_pooling2d"`.
  public static let defaultName = "max_pooling2d"
  /// The layer's name.
  public var name: String
  private let window: PoolingWindow

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid,
    name: String? = nil
  ) {
    window = PoolingWindow(
      poolSize: poolSize, strides: strides, padding: padding, layer: "MaxPooling2D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: Pooling2DConfiguration) {
    window = PoolingWindow(c, layer: "MaxPooling2D")
    name = c.name
  }

  /// `(height, width)` of the window.
  public var poolSize: (Int, Int) { window.poolSize }
  /// `(vertical, horizontal)` step.
  public var strides: (Int, Int) { window.strides }
  /// `.valid` or `.same`.
  public var padding: Padding { window.padding }

  /// `[batch, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    window.outputShape(inputShape, layer: "MaxPooling2D '\(name)'")
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.maxPool2d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .maxPooling2D(window.configuration(name: name)) }
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
  private let window: PoolingWindow

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int) = (2, 2), strides: (Int, Int)? = nil, padding: Padding = .valid,
    name: String? = nil
  ) {
    window = PoolingWindow(
      poolSize: poolSize, strides: strides, padding: padding, layer: "AveragePooling2D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: Pooling2DConfiguration) {
    window = PoolingWindow(c, layer: "AveragePooling2D")
    name = c.name
  }

  /// `(height, width)` of the window.
  public var poolSize: (Int, Int) { window.poolSize }
  /// `(vertical, horizontal)` step.
  public var strides: (Int, Int) { window.strides }
  /// `.valid` or `.same`.
  public var padding: Padding { window.padding }

  /// `[batch, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    window.outputShape(inputShape, layer: "AveragePooling2D '\(name)'")
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.averagePool2d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .averagePooling2D(window.configuration(name: name))
  }
}
