import SimilarityTensors

/// Keras' `Flatten`: `[batch, d1, d2, …]` → `[batch, d1·d2·…]` in row-major (NHWC) order.
public final class Flatten: Layer {
  /// `"Flatten"`.
  public static let typeName = "Flatten"
  /// `"flatten"`.
  public static let defaultName = "flatten"
  /// The layer's name.
  public var name: String

  /// Creates the layer.
  public init(name: String? = nil) {
    self.name = name ?? Self.defaultName
  }

  /// `[batch, product of the other extents]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    [inputShape.first ?? nil, featureCount(inputShape, layer: "Flatten '\(name)'")]
  }

  /// `[batch, …]` → `[batch, features]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank >= 1, "Flatten '\(name)': input \(input.shape) has no batch axis")
    let batch = input.shape[0]
    return input.reshaped([batch, input.shape.dropFirst().reduce(1, *)])
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .flatten(NameConfiguration(name: name)) }
}

/// The configuration of a layer with no hyper-parameters besides its name.
public struct NameConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
}
