import SimilarityTensors

/// The hyper-parameters shared by ``MaxPooling1D`` and ``AveragePooling1D``.
public struct Pooling1DConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// Steps in a window.
  public var poolSize: Int
  /// Steps between windows.
  public var strides: Int
  /// Padding mode.
  public var padding: Padding

  /// Creates a configuration.
  public init(name: String, poolSize: Int, strides: Int, padding: Padding) {
    self.name = name
    self.poolSize = poolSize
    self.strides = strides
    self.padding = padding
  }
}

/// What ``MaxPooling1D`` and ``AveragePooling1D`` share: a window of `poolSize` steps moved
/// by `strides` over `[batch, steps, channels]`. `poolSize` defaults to 2, `strides` to
/// `poolSize` and `padding` to `.valid`, as in Keras; `.same` pads at the end first when the
/// padding is odd, as TensorFlow does. Each subclass names its Keras type and its reduction.
public class Pooling1DLayer: Layer {
  /// The Keras class name (each subclass gives its own).
  public class var typeName: String { "Pooling1D" }
  /// The Keras default name (each subclass gives its own).
  public class var defaultName: String { "pooling1d" }
  /// Whether the layer takes the maximum rather than the mean.
  class var takesMaximum: Bool { false }

  /// The layer's name.
  public var name: String
  /// Steps in a window.
  public let poolSize: Int
  /// Steps between windows.
  public let strides: Int
  /// `.valid` or `.same`.
  public let padding: Padding

  /// Creates the layer; `strides` default to `poolSize`.
  public init(poolSize: Int = 2, strides: Int? = nil, padding: Padding = .valid, name: String? = nil) {
    let strides = strides ?? poolSize
    precondition(poolSize > 0 && strides > 0, "\(Self.typeName): poolSize \(poolSize) and strides \(strides) must be positive")
    (self.poolSize, self.strides, self.padding) = (poolSize, strides, padding)
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Pooling1DConfiguration) {
    self.init(poolSize: c.poolSize, strides: c.strides, padding: c.padding, name: c.name)
  }

  /// `[batch, outSteps, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    pooled1DShape(inputShape, poolSize: poolSize, strides: strides, padding: padding, layer: "\(Self.typeName) '\(name)'")
  }

  /// `[batch, steps, channels]` → `[batch, outSteps, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    Self.takesMaximum
      ? input.maxPool1d(poolSize: poolSize, stride: strides, padding: padding)
      : input.averagePool1d(poolSize: poolSize, stride: strides, padding: padding)
  }

  /// This layer's hyper-parameters (each subclass wraps them in its own case).
  public var configuration: LayerConfiguration? { nil }

  /// The hyper-parameters a subclass's ``configuration`` carries.
  var poolingConfiguration: Pooling1DConfiguration {
    Pooling1DConfiguration(name: name, poolSize: poolSize, strides: strides, padding: padding)
  }
}

/// Max pooling over the steps of `[batch, steps, channels]`, Keras' `MaxPooling1D`: the maximum
/// of each `poolSize` window (padded positions never win; ties go to the first step).
public final class MaxPooling1D: Pooling1DLayer {
  /// `"MaxPooling1D"`.
  override public class var typeName: String { "MaxPooling1D" }
  /// `"max_pooling1d"`.
  override public class var defaultName: String { "max_pooling1d" }
  override class var takesMaximum: Bool { true }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .maxPooling1D(poolingConfiguration) }
}

/// Average pooling over the steps of `[batch, steps, channels]`, Keras' `AveragePooling1D`: the
/// mean of each window; with `.same` padding border windows average only the steps inside the
/// input, as TensorFlow does.
public final class AveragePooling1D: Pooling1DLayer {
  /// `"AveragePooling1D"`.
  override public class var typeName: String { "AveragePooling1D" }
  /// `"average_pooling1d"`.
  override public class var defaultName: String { "average_pooling1d" }
  override class var takesMaximum: Bool { false }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .averagePooling1D(poolingConfiguration) }
}

func pooled1DShape(
  _ inputShape: LayerShape, poolSize: Int, strides: Int, padding: Padding, layer: String
) -> LayerShape {
  precondition(inputShape.count == 3, "\(layer): input shape \(pythonTuple(inputShape)) is not [batch, steps, channels]")
  let steps = inputShape[1].map {
    convolutionOutputExtent($0, window: poolSize, stride: strides, padding: padding)
  }
  return [inputShape[0], steps, inputShape[2]]
}
