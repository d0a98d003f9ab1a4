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

/// What the six global pooling layers share: the mean or maximum over every spatial axis of
/// `[batch, spatial…, channels]`, giving `[batch, channels]` (or `[batch, 1…, channels]` with
/// `keepdims`). Each subclass names its Keras type, its rank and whether it takes the maximum.
public class GlobalPoolingLayer: Layer {
  /// The Keras class name (each subclass gives its own).
  public class var typeName: String { "GlobalPooling" }
  /// The Keras default name (each subclass gives its own).
  public class var defaultName: String { "global_pooling" }
  /// The number of spatial axes pooled: 1, 2 or 3.
  class var spatialRank: Int { 1 }
  /// Whether the layer takes the maximum rather than the mean.
  class var takesMaximum: Bool { false }

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

  /// `[batch, channels]` or `[batch, 1…, channels]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    globalPoolShape(
      inputShape, spatialRank: Self.spatialRank, keepdims: keepdims, layer: description)
  }

  /// `[batch, spatial…, channels]` → `[batch, channels]` (or `[batch, 1…, channels]`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    globalPool(
      input, spatialRank: Self.spatialRank, keepdims: keepdims, max: Self.takesMaximum,
      layer: description)
  }

  /// This layer's hyper-parameters (each subclass wraps them in its own case).
  public var configuration: LayerConfiguration? { nil }

  /// The hyper-parameters a subclass's ``configuration`` carries.
  var poolingConfiguration: GlobalPoolingConfiguration {
    GlobalPoolingConfiguration(name: name, keepdims: keepdims)
  }

  private var description: String { "\(Self.typeName) '\(name)'" }
}

/// Keras' `GlobalAveragePooling1D`: the mean over the steps of `[batch, steps, channels]` → `[batch, channels]`
/// (or `[batch, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling1D: GlobalPoolingLayer {
  /// `"GlobalAveragePooling1D"`.
  override public class var typeName: String { "GlobalAveragePooling1D" }
  /// `"global_average_pooling1d"`.
  override public class var defaultName: String { "global_average_pooling1d" }
  override class var spatialRank: Int { 1 }
  override class var takesMaximum: Bool { false }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalAveragePooling1D(poolingConfiguration) }
}

/// Keras' `GlobalAveragePooling2D`: the mean over the height and width of `[batch, height, width, channels]` → `[batch, channels]`
/// (or `[batch, 1, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling2D: GlobalPoolingLayer {
  /// `"GlobalAveragePooling2D"`.
  override public class var typeName: String { "GlobalAveragePooling2D" }
  /// `"global_average_pooling2d"`.
  override public class var defaultName: String { "global_average_pooling2d" }
  override class var spatialRank: Int { 2 }
  override class var takesMaximum: Bool { false }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalAveragePooling2D(poolingConfiguration) }
}

/// Keras' `GlobalAveragePooling3D`: the mean over the depth, height and width of `[batch, depth, height, width, channels]` → `[batch, channels]`
/// (or `[batch, 1, 1, 1, channels]` with `keepdims`).
public final class GlobalAveragePooling3D: GlobalPoolingLayer {
  /// `"GlobalAveragePooling3D"`.
  override public class var typeName: String { "GlobalAveragePooling3D" }
  /// `"global_average_pooling3d"`.
  override public class var defaultName: String { "global_average_pooling3d" }
  override class var spatialRank: Int { 3 }
  override class var takesMaximum: Bool { false }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalAveragePooling3D(poolingConfiguration) }
}

/// Keras' `GlobalMaxPooling1D`: the maximum over the steps of `[batch, steps, channels]` → `[batch, channels]`
/// (or `[batch, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling1D: GlobalPoolingLayer {
  /// `"GlobalMaxPooling1D"`.
  override public class var typeName: String { "GlobalMaxPooling1D" }
  /// `"global_max_pooling1d"`.
  override public class var defaultName: String { "global_max_pooling1d" }
  override class var spatialRank: Int { 1 }
  override class var takesMaximum: Bool { true }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalMaxPooling1D(poolingConfiguration) }
}

/// Keras' `GlobalMaxPooling2D`: the maximum over the height and width of `[batch, height, width, channels]` → `[batch, channels]`
/// (or `[batch, 1, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling2D: GlobalPoolingLayer {
  /// `"GlobalMaxPooling2D"`.
  override public class var typeName: String { "GlobalMaxPooling2D" }
  /// `"global_max_pooling2d"`.
  override public class var defaultName: String { "global_max_pooling2d" }
  override class var spatialRank: Int { 2 }
  override class var takesMaximum: Bool { true }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalMaxPooling2D(poolingConfiguration) }
}

/// Keras' `GlobalMaxPooling3D`: the maximum over the depth, height and width of `[batch, depth, height, width, channels]` → `[batch, channels]`
/// (or `[batch, 1, 1, 1, channels]` with `keepdims`).
public final class GlobalMaxPooling3D: GlobalPoolingLayer {
  /// `"GlobalMaxPooling3D"`.
  override public class var typeName: String { "GlobalMaxPooling3D" }
  /// `"global_max_pooling3d"`.
  override public class var defaultName: String { "global_max_pooling3d" }
  override class var spatialRank: Int { 3 }
  override class var takesMaximum: Bool { true }
  /// This layer's hyper-parameters.
  override public var configuration: LayerConfiguration? { .globalMaxPooling3D(poolingConfiguration) }
}
