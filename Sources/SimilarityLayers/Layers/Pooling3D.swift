import SimilarityTensors

/// The hyper-parameters shared by ``MaxPooling3D`` and ``AveragePooling3D``.
public struct Pooling3DConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// `[depth, height, width]` of the window.
  public var poolSize: [Int]
  /// `[depth, height, width]` steps.
  public var strides: [Int]
  /// Padding mode.
  public var padding: Padding

  /// Creates a configuration.
  public init(name: String, poolSize: [Int], strides: [Int], padding: Padding) {
    self.name = name
    self.poolSize = poolSize
    self.strides = strides
    self.padding = padding
  }
}

/// The window of a 3-D pooling layer with Keras' defaults and output-shape rule.
struct Pooling3DWindow {
  let poolSize: (Int, Int, Int)
  let strides: (Int, Int, Int)
  let padding: Padding

  init(poolSize: (Int, Int, Int), strides: (Int, Int, Int)?, padding: Padding, layer: String) {
    let strides = strides ?? poolSize
    precondition(
      [poolSize.0, poolSize.1, poolSize.2, strides.0, strides.1, strides.2].allSatisfy { $0 > 0 },
      "\(layer): poolSize \(poolSize) and strides \(strides) must be positive")
    (self.poolSize, self.strides, self.padding) = (poolSize, strides, padding)
  }

  init(_ c: Pooling3DConfiguration, layer: String) {
    self.init(
      poolSize: (c.poolSize[0], c.poolSize[1], c.poolSize[2]),
      strides: (c.strides[0], c.strides[1], c.strides[2]), padding: c.padding, layer: layer)
  }

  func outputShape(_ inputShape: LayerShape, layer: String) -> LayerShape {
    precondition(inputShape.count == 5, "\(layer): input shape \(pythonTuple(inputShape)) is not NDHWC")
    let sizes = [poolSize.0, poolSize.1, poolSize.2], steps = [strides.0, strides.1, strides.2]
    var shape = inputShape
    for axis in 0..<3 {
      shape[axis + 1] = inputShape[axis + 1].map {
        convolutionOutputExtent($0, window: sizes[axis], stride: steps[axis], padding: padding)
      }
    }
    return shape
  }

  func configuration(name: String) -> Pooling3DConfiguration {
    Pooling3DConfiguration(
      name: name, poolSize: [poolSize.0, poolSize.1, poolSize.2],
      strides: [strides.0, strides.1, strides.2], padding: padding)
  }
}

/// Max pooling over NDHWC volumes, Keras' `MaxPooling3D`: the maximum of each window (padded
/// positions never win). `poolSize` defaults to 2×2×2, `strides` to `poolSize`, `padding` to
/// `.valid`; `.same` puts the odd extra position at the end of an axis, as TensorFlow does.
public final class MaxPooling3D: Layer {
  /// `"MaxPooling3D"`.
  public static let typeName = "MaxPooling3D"
  /// `"max_pooling3d"`.
  public static let defaultName = "max_pooling3d"
  /// The layer's name.
  public var name: String
  private let window: Pooling3DWindow

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int, Int) = (2, 2, 2), strides: (Int, Int, Int)? = nil,
    padding: Padding = .valid, name: String? = nil
  ) {
    window = Pooling3DWindow(poolSize: poolSize, strides: strides, padding: padding, layer: "MaxPooling3D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: Pooling3DConfiguration) {
    window = Pooling3DWindow(c, layer: "MaxPooling3D")
    name = c.name
  }

  /// `(depth, height, width)` of the window.
  public var poolSize: (Int, Int, Int) { window.poolSize }
  /// `(depth, height, width)` steps.
  public var strides: (Int, Int, Int) { window.strides }
  /// `.valid` or `.same`.
  public var padding: Padding { window.padding }

  /// `[batch, outDepth, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    window.outputShape(inputShape, layer: "MaxPooling3D '\(name)'")
  }

  /// `[batch, depth, height, width, channels]` → `[batch, outDepth, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.maxPool3d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .maxPooling3D(window.configuration(name: name)) }
}

/// Average pooling over NDHWC volumes, Keras' `AveragePooling3D`: the mean of each window;
/// with `.same` padding border windows average only the positions inside the volume, as
/// TensorFlow does.
public final class AveragePooling3D: Layer {
  /// `"AveragePooling3D"`.
  public static let typeName = "AveragePooling3D"
  /// `"average_pooling3d"`.
  public static let defaultName = "average_pooling3d"
  /// The layer's name.
  public var name: String
  private let window: Pooling3DWindow

  /// Creates the layer; `strides` default to `poolSize`.
  public init(
    poolSize: (Int, Int, Int) = (2, 2, 2), strides: (Int, Int, Int)? = nil,
    padding: Padding = .valid, name: String? = nil
  ) {
    window = Pooling3DWindow(poolSize: poolSize, strides: strides, padding: padding, layer: "AveragePooling3D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: Pooling3DConfiguration) {
    window = Pooling3DWindow(c, layer: "AveragePooling3D")
    name = c.name
  }

  /// `(depth, height, width)` of the window.
  public var poolSize: (Int, Int, Int) { window.poolSize }
  /// `(depth, height, width)` steps.
  public var strides: (Int, Int, Int) { window.strides }
  /// `.valid` or `.same`.
  public var padding: Padding { window.padding }

  /// `[batch, outDepth, outHeight, outWidth, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    window.outputShape(inputShape, layer: "AveragePooling3D '\(name)'")
  }

  /// `[batch, depth, height, width, channels]` → `[batch, outDepth, outHeight, outWidth, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.averagePool3d(poolSize: poolSize, strides: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .averagePooling3D(window.configuration(name: name)) }
}
