import SimilarityTensors

/// The hyper-parameters of ``Cropping1D`` and ``Cropping2D``: per spatial axis
/// `[before, after]` positions removed (JSON `"cropping": [[1, 1], [0, 2]]`).
public struct CroppingConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public var cropping: [[Int]]

  /// Creates a configuration.
  public init(name: String, cropping: [[Int]]) {
    self.name = name
    self.cropping = cropping
  }
}

/// `cropping` removed from the spatial axes 1… of `input`, one `slicing` per axis.
func crop(_ input: Tensor, _ cropping: [[Int]], layer: String) -> Tensor {
  precondition(input.rank == cropping.count + 2, "\(layer): input \(input.shape) is not [batch, \(cropping.count) spatial axes, channels]")
  var x = input
  for (axis, pair) in cropping.enumerated() {
    let extent = x.shape[axis + 1]
    precondition(pair[0] + pair[1] < extent, "\(layer): cropping \(pair) leaves nothing of extent \(extent)")
    x = x.slicing(pair[0]..<(extent - pair[1]), alongAxis: axis + 1)
  }
  return x
}

/// Keras' `Cropping1D`: positions removed from the start and end of each spatial axis of
/// `[batch, steps, channels]` (default one on each side).
public final class Cropping1D: Layer {
  /// `"Cropping1D"`.
  public static let typeName = "Cropping1D"
  /// `"cropping1d"`.
  public static let defaultName = "cropping1d"
  /// The layer's name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public let cropping: [[Int]]

  /// Creates the layer; `cropping` is `(before, after)` per spatial axis.
  public init(cropping p: (Int, Int) = (1, 1), name: String? = nil) {
    self.cropping = [[p.0, p.1]]
    checkPairs(cropping, rank: 1, layer: "Cropping1D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: CroppingConfiguration) {
    checkPairs(c.cropping, rank: 1, layer: "Cropping1D")
    cropping = c.cropping
    name = c.name
  }

  /// Each spatial extent minus its cropping.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    spatiallyResized(inputShape, cropping, sign: -1, layer: "Cropping1D '\(name)'")
  }

  /// `[batch, steps, channels]` without the cropped borders.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    crop(input, cropping, layer: "Cropping1D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .cropping1D(CroppingConfiguration(name: name, cropping: cropping))
  }
}

/// Keras' `Cropping2D`: positions removed from the start and end of each spatial axis of
/// `[batch, height, width, channels]` (default nothing).
public final class Cropping2D: Layer {
  /// `"Cropping2D"`.
  public static let typeName = "Cropping2D"
  /// `"cropping2d"`.
  public static let defaultName = "cropping2d"
  /// The layer's name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public let cropping: [[Int]]

  /// Creates the layer; `cropping` is `(before, after)` per spatial axis.
  public init(cropping p: ((Int, Int), (Int, Int)) = ((0, 0), (0, 0)), name: String? = nil) {
    self.cropping = [[p.0.0, p.0.1], [p.1.0, p.1.1]]
    checkPairs(cropping, rank: 2, layer: "Cropping2D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: CroppingConfiguration) {
    checkPairs(c.cropping, rank: 2, layer: "Cropping2D")
    cropping = c.cropping
    name = c.name
  }

  /// Each spatial extent minus its cropping.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    spatiallyResized(inputShape, cropping, sign: -1, layer: "Cropping2D '\(name)'")
  }

  /// `[batch, height, width, channels]` without the cropped borders.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    crop(input, cropping, layer: "Cropping2D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .cropping2D(CroppingConfiguration(name: name, cropping: cropping))
  }
}
