import SimilarityTensors

/// The hyper-parameters of the global pooling layers (``GlobalAveragePooling1D`` …
/// ``GlobalMaxPooling3D``).
public struct GlobalPoolingConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1 (Keras `keepdims`).
  public var keepdims: Bool

  /// Creates a configuration.
  public init(name: String, keepdims: Bool = false) {
    self.name = name
    self.keepdims = keepdims
  }
}

/// The mean or maximum over the `spatialRank` axes after the batch axis of
/// `[batch, spatial…, channels]`: `[batch, channels]`, or `[batch, 1…, channels]` with
/// `keepdims`. A composite of `reshaped`, `mean` / `max` along one axis.
func globalPool(_ input: Tensor, spatialRank: Int, keepdims: Bool, max: Bool, layer: String) -> Tensor {
  precondition(
    input.rank == spatialRank + 2,
    "\(layer): input \(input.shape) is not [batch, \(spatialRank) spatial axes, channels]")
  let (batch, channels) = (input.shape[0], input.shape[input.rank - 1])
  let steps = input.shape.dropFirst().dropLast().reduce(1, *)
  let rows = input.reshaped([batch, steps, channels])
  let pooled = max ? rows.max(alongAxis: 1) : rows.mean(alongAxis: 1)
  return keepdims ? pooled.reshaped([batch] + Array(repeating: 1, count: spatialRank) + [channels]) : pooled
}

func globalPoolShape(_ inputShape: LayerShape, spatialRank: Int, keepdims: Bool, layer: String) -> LayerShape {
  precondition(
    inputShape.count == spatialRank + 2,
    "\(layer): input shape \(pythonTuple(inputShape)) is not [batch, \(spatialRank) spatial axes, channels]")
  let channels = inputShape[inputShape.count - 1]
  return keepdims ? [inputShape[0]] + Array(repeating: 1, count: spatialRank) + [channels] : [inputShape[0], channels]
}

/// Keras' `GlobalAveragePooling1D`: the mean over the steps of `[batch, steps, channels]` → `[batch, channels]` (or
/// `[batch, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling1D: Layer {
  /// `"GlobalAveragePooling1D"`.
  public static let typeName = "GlobalAveragePooling1D"
  /// `"global_average_pooling1d"`.
  public static let defaultName = "global_average_pooling1d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 1, keepdims: keepdims, layer: "GlobalAveragePooling1D '\(name)'")
  }

  /// `[batch, steps, channels]` → `[batch, channels]` (or `[batch, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 1, keepdims: keepdims, max: false, layer: "GlobalAveragePooling1D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalAveragePooling1D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}

/// Keras' `GlobalAveragePooling2D`: the mean over the height and width of `[batch, height, width, channels]` → `[batch, channels]` (or
/// `[batch, 1, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling2D: Layer {
  /// `"GlobalAveragePooling2D"`.
  public static let typeName = "GlobalAveragePooling2D"
  /// `"global_average_pooling2d"`.
  public static let defaultName = "global_average_pooling2d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 2, keepdims: keepdims, layer: "GlobalAveragePooling2D '\(name)'")
  }

  /// `[batch, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 2, keepdims: keepdims, max: false, layer: "GlobalAveragePooling2D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalAveragePooling2D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}

/// Keras' `GlobalAveragePooling3D`: the mean over the depth, height and width of `[batch, depth, height, width, channels]` → `[batch, channels]` (or
/// `[batch, 1, 1, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling3D: Layer {
  /// `"GlobalAveragePooling3D"`.
  public static let typeName = "GlobalAveragePooling3D"
  /// `"global_average_pooling3d"`.
  public static let defaultName = "global_average_pooling3d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, 1, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 3, keepdims: keepdims, layer: "GlobalAveragePooling3D '\(name)'")
  }

  /// `[batch, depth, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 3, keepdims: keepdims, max: false, layer: "GlobalAveragePooling3D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalAveragePooling3D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}

/// Keras' `GlobalMaxPooling1D`: the maximum over the steps of `[batch, steps, channels]` → `[batch, channels]` (or
/// `[batch, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling1D: Layer {
  /// `"GlobalMaxPooling1D"`.
  public static let typeName = "GlobalMaxPooling1D"
  /// `"global_max_pooling1d"`.
  public static let defaultName = "global_max_pooling1d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 1, keepdims: keepdims, layer: "GlobalMaxPooling1D '\(name)'")
  }

  /// `[batch, steps, channels]` → `[batch, channels]` (or `[batch, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 1, keepdims: keepdims, max: true, layer: "GlobalMaxPooling1D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalMaxPooling1D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}

/// Keras' `GlobalMaxPooling2D`: the maximum over the height and width of `[batch, height, width, channels]` → `[batch, channels]` (or
/// `[batch, 1, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling2D: Layer {
  /// `"GlobalMaxPooling2D"`.
  public static let typeName = "GlobalMaxPooling2D"
  /// `"global_max_pooling2d"`.
  public static let defaultName = "global_max_pooling2d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 2, keepdims: keepdims, layer: "GlobalMaxPooling2D '\(name)'")
  }

  /// `[batch, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 2, keepdims: keepdims, max: true, layer: "GlobalMaxPooling2D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalMaxPooling2D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}

/// Keras' `GlobalMaxPooling3D`: the maximum over the depth, height and width of `[batch, depth, height, width, channels]` → `[batch, channels]` (or
/// `[batch, 1, 1, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling3D: Layer {
  /// `"GlobalMaxPooling3D"`.
  public static let typeName = "GlobalMaxPooling3D"
  /// `"global_max_pooling3d"`.
  public static let defaultName = "global_max_pooling3d"
  /// The layer's name.
  public var name: String
  /// Whether the pooled axes are kept with extent 1.
  public let keepdims: Bool

  /// Creates the layer.
  public init(keepdims: Bool = false, name: String? = nil) {
    self.keepdims = keepdims
    self.name = name ?? Self.defaultName
  }

  /// Creates the layer described by `configuration`.
  public convenience init(configuration c: GlobalPoolingConfiguration) {
    self.init(keepdims: c.keepdims, name: c.name)
  }

  /// `[batch, channels]` or `[batch, 1, 1, 1, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(inputShape, spatialRank: 3, keepdims: keepdims, layer: "GlobalMaxPooling3D '\(name)'")
  }

  /// `[batch, depth, height, width, channels]` → `[batch, channels]` (or `[batch, 1, 1, 1, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(input, spatialRank: 3, keepdims: keepdims, max: true, layer: "GlobalMaxPooling3D '\(name)'")
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .globalMaxPooling3D(GlobalPoolingConfiguration(name: name, keepdims: keepdims))
  }
}
