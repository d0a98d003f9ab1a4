import SimilarityTensors

/// Keras' `Rescaling`: `input · scale + offset` (e.g. `scale: 1/255` maps pixels to [0, 1]).
public final class Rescaling: Layer {
  /// `"Rescaling"`.
  public static let typeName = "Rescaling"
  /// `"rescaling"`.
  public static let defaultName = "rescaling"
  /// The layer's name.
  public var name: String
  /// The factor.
  public let scale: Float
  /// Added after scaling.
  public let offset: Float

  /// Creates the layer.
  public init(scale: Float, offset: Float = 0, name: String? = nil) {
    self.scale = scale
    self.offset = offset
    self.name = name ?? Self.defaultName
  }

  /// The input shape.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape { inputShape }

  /// `input · scale + offset`, any shape.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    offset == 0 ? input * scale : input * scale + offset
  }

  /// The hyper-parameters of a `Rescaling` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The factor.
    public var scale: Float
    /// The offset.
    public var offset: Float
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .rescaling(Configuration(name: name, scale: scale, offset: offset))
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(scale: c.scale, offset: c.offset, name: c.name)
  }
}
