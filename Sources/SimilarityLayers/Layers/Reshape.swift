import SimilarityIO
import SimilarityTensors

/// Keras' `Reshape`: each example rearranged (row-major, no copy of meaning) to `targetShape`;
/// one extent may be −1, inferred from the others.
public final class Reshape: Layer {
  /// `"Reshape"`.
  public static let typeName = "Reshape"
  /// `"reshape"`.
  public static let defaultName = "reshape"
  /// The layer's name.
  public var name: String
  /// The example shape, possibly with one −1.
  public let targetShape: [Int]

  /// Creates the layer.
  public init(targetShape: [Int], name: String? = nil) {
    precondition(
      !targetShape.isEmpty && targetShape.allSatisfy { $0 > 0 || $0 == -1 }
        && targetShape.filter({ $0 == -1 }).count <= 1,
      "Reshape: target shape \(targetShape) needs positive extents and at most one -1")
    self.targetShape = targetShape
    self.name = name ?? Self.defaultName
  }

  /// The hyper-parameters of a `Reshape` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// The example shape, possibly with one −1.
    public var targetShape: [Int]
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(targetShape: c.targetShape, name: c.name)
  }

  /// `targetShape` with its −1 resolved for `elements` scalars per example, or `nil` when
  /// they do not fit.
  static func resolve(_ targetShape: [Int], elements: Int) -> [Int]? {
    guard let known = targetShape.filter({ $0 != -1 }).checkedProduct(), known > 0 else { return nil }
    if targetShape.contains(-1) {
      guard elements % known == 0 else { return nil }
      return targetShape.map { $0 == -1 ? elements / known : $0 }
    }
    return known == elements ? targetShape : nil
  }

  /// `[batch] + targetShape` (−1 resolved).
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    let elements = featureCount(inputShape, layer: "Reshape '\(name)'")
    guard let shape = Self.resolve(targetShape, elements: elements) else {
      preconditionFailure("Reshape '\(name)': \(elements) elements per example do not fit \(targetShape)")
    }
    return [inputShape.first ?? nil] + shape
  }

  /// `[batch, …]` → `[batch] + targetShape`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let elements = input.shape.dropFirst().reduce(1, *)
    guard let shape = Self.resolve(targetShape, elements: elements) else {
      preconditionFailure("Reshape '\(name)': input \(input.shape) does not fit \(targetShape)")
    }
    return input.reshaped([input.shape[0]] + shape)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .reshape(Configuration(name: name, targetShape: targetShape))
  }
}
