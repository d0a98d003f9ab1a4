import SimilarityTensors

/// A shape with an unknown batch axis first, as Keras prints it: `[nil, 28, 28, 1]` is
/// `(None, 28, 28, 1)`. Only the batch axis may be `nil`.
public typealias LayerShape = [Int?]

/// One step of a network: maps a tensor to a tensor and may own parameters.
///
/// Layers follow Keras: they are created with their hyper-parameters only (`Dense(units: 128)`)
/// and create their parameters in ``build(inputShape:using:)`` once the input shape is known.
/// ``Sequential`` builds its layers when it is created; a layer used on its own is built with
/// ``build(inputShape:seed:)``. Calling a layer that needs building before it is built is a
/// programming error.
///
/// Layers work on NHWC images (`[batch, height, width, channels]`) like Keras'
/// `channels_last`.
public protocol Layer: Model {
  /// The Keras class name shown in summaries and stored in `architecture.json`, e.g. `"Dense"`.
  static var typeName: String { get }

  /// The Keras default name before de-duplication, e.g. `"dense"` (Keras' snake case of
  /// the class name). ``Sequential`` appends `_1`, `_2`, … to repeats.
  static var defaultName: String { get }

  /// The layer's name; the prefix of its parameters' paths in a checkpoint.
  var name: String { get set }

  /// Whether the parameters exist. Layers without parameters are always built.
  var isBuilt: Bool { get }

  /// Creates the parameters for inputs of `inputShape` (batch axis first, `nil`), drawing
  /// random initial values from `generator`. Calling it again on a built layer does nothing.
  func build(inputShape: LayerShape, using generator: inout SplitMix64)

  /// The output shape for an input of `inputShape`, without computing anything.
  func outputShape(forInputShape inputShape: LayerShape) -> LayerShape

  /// Applies the layer to `input` (`[batch, …]`).
  func callAsFunction(_ input: Tensor) -> Tensor

  /// The hyper-parameters needed to rebuild this layer from `architecture.json`, or `nil` for
  /// a layer type that cannot be described (a user-defined class).
  var configuration: LayerConfiguration? { get }
}

extension Layer {
  /// Layers without parameters are always built.
  public var isBuilt: Bool { true }

  /// Layers without parameters have nothing to build.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {}

  /// User-defined layers cannot be described in `architecture.json` by default.
  public var configuration: LayerConfiguration? { nil }

  /// Builds the layer for `inputShape` with a generator seeded by `seed`.
  public func build(inputShape: LayerShape, seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    build(inputShape: inputShape, using: &generator)
  }

  /// The Keras class name of this layer's type.
  public var typeName: String { type(of: self).typeName }
}

/// Formats a shape the way Python prints a tuple: `(None, 28, 28)`, `(None,)`.
func pythonTuple(_ shape: LayerShape) -> String {
  let items = shape.map { $0.map(String.init) ?? "None" }
  return items.count == 1 ? "(\(items[0]),)" : "(\(items.joined(separator: ", ")))"
}

/// The number of elements of one example of `shape` (all axes but the batch axis).
func featureCount(_ shape: LayerShape, layer: String) -> Int {
  shape.dropFirst().reduce(1) { product, extent in
    guard let extent else {
      preconditionFailure("\(layer): unknown extent in non-batch axis of \(pythonTuple(shape))")
    }
    return product * extent
  }
}
