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

/// Max pooling over the steps of `[batch, steps, channels]`, Keras' `MaxPooling1D`: the maximum
/// of each `poolSize` window (padded positions never win; ties go to the first step).
///
/// `poolSize` defaults to 2, `strides` to `poolSize` and `padding` to `.valid`, as in Keras;
/// `.same` pads at the end first when the padding is odd, as TensorFlow does.
public final class MaxPooling1D: Layer {
  /// `"MaxPooling1D"`.
  public static let typeName = "MaxPooling1D"
  /// `"max_pooling1d"`.
  public static let defaultName = "max_pooling1d"
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
    precondition(poolSize > 0 && strides > 0, "MaxPooling1D: poolSize \(poolSize) and strides \(strides) must be positive")
    (self.poolSize, self.strides, self.padding) = (poolSize, strides, padding)
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Pooling1DConfiguration) {
    self.init(poolSize: c.poolSize, strides: c.strides, padding: c.padding, name: c.name)
  }

  /// `[batch, outSteps, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    pooled1DShape(inputShape, poolSize: poolSize, strides: strides, padding: padding, layer: "MaxPooling1D '\(name)'")
  }

  /// `[batch, steps, channels]` → `[batch, outSteps, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.maxPool1d(poolSize: poolSize, stride: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .maxPooling1D(Pooling1DConfiguration(name: name, poolSize: poolSize, strides: strides, padding: padding))
  }
}

/// Average pooling over the steps of `[batch, steps, channels]`, Keras' `AveragePooling1D`: the
/// mean of each window; with `.same` padding border windows average only the steps inside the
/// input, as TensorFlow does.
public final class AveragePooling1D: Layer {
  /// `"AveragePooling1D"`.
  public static let typeName = "AveragePooling1D"
  /// `"average_pooling1d"`.
  public static let defaultName = "average_pooling1d"
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
    precondition(poolSize > 0 && strides > 0, "AveragePooling1D: poolSize \(poolSize) and strides \(strides) must be positive")
    (self.poolSize, self.strides, self.padding) = (poolSize, strides, padding)
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Pooling1DConfiguration) {
    self.init(poolSize: c.poolSize, strides: c.strides, padding: c.padding, name: c.name)
  }

  /// `[batch, outSteps, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    pooled1DShape(inputShape, poolSize: poolSize, strides: strides, padding: padding, layer: "AveragePooling1D '\(name)'")
  }

  /// `[batch, steps, channels]` → `[batch, outSteps, channels]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.averagePool1d(poolSize: poolSize, stride: strides, padding: padding)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .averagePooling1D(Pooling1DConfiguration(name: name, poolSize: poolSize, strides: strides, padding: padding))
  }
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
