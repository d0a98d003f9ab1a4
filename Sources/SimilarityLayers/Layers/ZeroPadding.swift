import SimilarityTensors

/// The hyper-parameters of ``ZeroPadding1D``, ``ZeroPadding2D`` and ``ZeroPadding3D``: per
/// spatial axis `[before, after]` (JSON `"padding": [[1, 1], [2, 2]]`).
public struct ZeroPaddingConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public var padding: [[Int]]

  /// Creates a configuration.
  public init(name: String, padding: [[Int]]) {
    self.name = name
    self.padding = padding
  }
}

/// `padding` (validated pairs of non-negative extents) applied to the spatial axes 1… of
/// `input`, one `zeroPadded` per axis.
func zeroPad(_ input: Tensor, _ padding: [[Int]], layer: String) -> Tensor {
  precondition(input.rank == padding.count + 2, "\(layer): input \(input.shape) is not [batch, \(padding.count) spatial axes, channels]")
  var x = input
  for (axis, pair) in padding.enumerated() {
    x = x.zeroPadded(before: pair[0], after: pair[1], alongAxis: axis + 1)
  }
  return x
}

/// The shape `input` takes after adding (`sign` 1) or removing (`sign` −1) `pairs`.
func spatiallyResized(_ inputShape: LayerShape, _ pairs: [[Int]], sign: Int, layer: String) -> LayerShape {
  precondition(inputShape.count == pairs.count + 2, "\(layer): input shape \(pythonTuple(inputShape)) is not [batch, \(pairs.count) spatial axes, channels]")
  var shape = inputShape
  for (axis, pair) in pairs.enumerated() {
    shape[axis + 1] = inputShape[axis + 1].map { $0 + sign * (pair[0] + pair[1]) }
  }
  return shape
}

func checkPairs(_ pairs: [[Int]], rank: Int, layer: String) {
  precondition(
    pairs.count == rank && pairs.allSatisfy { $0.count == 2 && $0[0] >= 0 && $0[1] >= 0 },
    "\(layer): \(pairs) must be \(rank) pairs of non-negative integers")
}

/// Keras' `ZeroPadding1D`: zeros added before and after each spatial axis of `[batch, steps, channels]`
/// (default one on each side).
public final class ZeroPadding1D: Layer {
  /// `"ZeroPadding1D"`.
  public static let typeName = "ZeroPadding1D"
  /// `"zero_padding1d"`.
  public static let defaultName = "zero_padding1d"
  /// The layer's name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public let padding: [[Int]]

  /// Creates the layer; `padding` is `(before, after)` per spatial axis.
  public init(padding p: (Int, Int) = (1, 1), name: String? = nil) {
    self.padding = [[p.0, p.1]]
    checkPairs(padding, rank: 1, layer: "ZeroPadding1D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: ZeroPaddingConfiguration) {
    checkPairs(c.padding, rank: 1, layer: "ZeroPadding1D")
    padding = c.padding
    name = c.name
  }

  /// Each spatial extent plus its padding.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    spatiallyResized(inputShape, padding, sign: 1, layer: "ZeroPadding1D '\(name)'")
  }

  /// `[batch, steps, channels]` with zeros around the spatial axes.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    zeroPad(input, padding, layer: "ZeroPadding1D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .zeroPadding1D(ZeroPaddingConfiguration(name: name, padding: padding))
  }
}

/// Keras' `ZeroPadding2D`: zeros added before and after each spatial axis of `[batch, height, width, channels]`
/// (default one on each side).
public final class ZeroPadding2D: Layer {
  /// `"ZeroPadding2D"`.
  public static let typeName = "ZeroPadding2D"
  /// `"zero_padding2d"`.
  public static let defaultName = "zero_padding2d"
  /// The layer's name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public let padding: [[Int]]

  /// Creates the layer; `padding` is `(before, after)` per spatial axis.
  public init(padding p: ((Int, Int), (Int, Int)) = ((1, 1), (1, 1)), name: String? = nil) {
    self.padding = [[p.0.0, p.0.1], [p.1.0, p.1.1]]
    checkPairs(padding, rank: 2, layer: "ZeroPadding2D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: ZeroPaddingConfiguration) {
    checkPairs(c.padding, rank: 2, layer: "ZeroPadding2D")
    padding = c.padding
    name = c.name
  }

  /// Each spatial extent plus its padding.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    spatiallyResized(inputShape, padding, sign: 1, layer: "ZeroPadding2D '\(name)'")
  }

  /// `[batch, height, width, channels]` with zeros around the spatial axes.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    zeroPad(input, padding, layer: "ZeroPadding2D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .zeroPadding2D(ZeroPaddingConfiguration(name: name, padding: padding))
  }
}

/// Keras' `ZeroPadding3D`: zeros added before and after each spatial axis of `[batch, depth, height, width, channels]`
/// (default one on each side).
public final class ZeroPadding3D: Layer {
  /// `"ZeroPadding3D"`.
  public static let typeName = "ZeroPadding3D"
  /// `"zero_padding3d"`.
  public static let defaultName = "zero_padding3d"
  /// The layer's name.
  public var name: String
  /// `[before, after]` per spatial axis.
  public let padding: [[Int]]

  /// Creates the layer; `padding` is `(before, after)` per spatial axis.
  public init(padding p: ((Int, Int), (Int, Int), (Int, Int)) = ((1, 1), (1, 1), (1, 1)), name: String? = nil) {
    self.padding = [[p.0.0, p.0.1], [p.1.0, p.1.1], [p.2.0, p.2.1]]
    checkPairs(padding, rank: 3, layer: "ZeroPadding3D")
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by a validated `configuration`.
  public init(configuration c: ZeroPaddingConfiguration) {
    checkPairs(c.padding, rank: 3, layer: "ZeroPadding3D")
    padding = c.padding
    name = c.name
  }

  /// Each spatial extent plus its padding.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    spatiallyResized(inputShape, padding, sign: 1, layer: "ZeroPadding3D '\(name)'")
  }

  /// `[batch, depth, height, width, channels]` with zeros around the spatial axes.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    zeroPad(input, padding, layer: "ZeroPadding3D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .zeroPadding3D(ZeroPaddingConfiguration(name: name, padding: padding))
  }
}
