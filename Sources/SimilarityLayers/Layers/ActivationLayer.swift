import SimilarityTensors

/// Keras' `Activation` layer: applies an ``Activation`` function on its own.
public final class ActivationLayer: Layer {
  /// `"Activation"`.
  public static let typeName = "Activation"
  /// `"activation"`.
  public static let defaultName = "activation"
  /// The layer's name.
  public var name: String
  /// The function applied.
  public let activation: Activation

  /// Creates the layer.
  public init(_ activation: Activation, name: String? = nil) {
    self.activation = activation
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// `activation(input)`.
  public func callAsFunction(_ input: Tensor) -> Tensor { activation(input) }

  /// The hyper-parameters of an `Activation` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The function.
    public var activation: Activation
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .activation(Configuration(name: name, activation: activation))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(c.activation, name: c.name)
  }
}
