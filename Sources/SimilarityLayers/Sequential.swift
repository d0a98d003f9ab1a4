import SimilarityTensors

/// A stack of layers applied in order, Keras' `Sequential`.
///
/// The first layer must be an ``Input`` giving the example shape; the model builds every
/// other layer at creation (drawing initial values from one ``SplitMix64`` seeded by `seed`),
/// so it is ready to call. Layers left with their default names are renamed as in a fresh
/// Keras session: the first `Dense` is `dense`, the next `dense_1`, and so on (counted per
/// model rather than per process).
///
/// ```swift
/// let tower = Sequential(seed: 7) {
///   Input(shape: [28, 28])
///   Flatten()
///   Dense(units: 128, activation: .relu)
/// }
/// let embeddings = tower(images)  // [batch, 28, 28] → [batch, 128]
/// ```
///
/// A `Sequential` is itself a ``Layer``, so it can be nested or shared: calling one tower on
/// two inputs gives a siamese network whose branches share weights.
public final class Sequential: Layer {
  /// `"Sequential"`.
  public static let typeName = "Sequential"
  /// `"sequential"`.
  public static let defaultName = "sequential"
  /// The model's name (the title of its summary).
  public var name: String
  /// The declared input.
  public let input: Input
  /// The layers after the input, in order.
  public let layers: [any Layer]
  /// The seed the layers were initialised from.
  public let seed: UInt64

  /// Creates and builds a model from `layers`, whose first element is an ``Input``.
  public init(name: String? = nil, seed: UInt64 = 0, layers: [any Layer]) {
    guard let input = layers.first as? Input else {
      preconditionFailure(
        "Sequential: the first layer must be Input(shape:), got \(layers.first.map { type(of: $0).typeName } ?? "nothing")"
      )
    }
    self.name = name ?? Self.defaultName
    self.input = input
    self.layers = Array(layers.dropFirst())
    self.seed = seed
    Self.assignDefaultNames(self.layers)
    var generator = SplitMix64(seed: seed)
    var shape = input.batchShape
    for layer in self.layers {
      layer.build(inputShape: shape, using: &generator)
      shape = layer.outputShape(forInputShape: shape)
    }
  }

  /// Creates and builds a model from the layers listed in `content`.
  public convenience init(
    name: String? = nil, seed: UInt64 = 0, @LayerBuilder _ content: () -> [any Layer]
  ) {
    self.init(name: name, seed: seed, layers: content())
  }

  /// Gives repeated default names the suffixes `_1`, `_2`, … and stops on duplicate names.
  private static func assignDefaultNames(_ layers: [any Layer]) {
    var counts: [String: Int] = [:]
    var seen: Set<String> = []
    for layer in layers {
      let base = type(of: layer).defaultName
      if layer.name == base {
        let count = counts[base, default: 0]
        counts[base] = count + 1
        if count > 0 { layer.name = "\(base)_\(count)" }
      }
      precondition(
        seen.insert(layer.name).inserted, "Sequential: two layers are named '\(layer.name)'")
    }
  }

  /// Each layer's parameters prefixed with the layer's name, e.g. `dense_1.kernel`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.flatMap { layer in
      layer.namedParameters.map { ("\(layer.name).\($0.name)", $0.parameter) }
    }
  }

  /// Whether any layer is training; setting it sets every layer.
  public var isTraining: Bool {
    get { layers.contains { $0.isTraining } }
    set { for layer in layers { layer.isTraining = newValue } }
  }

  /// The shape after each layer, batch axis `nil` (one entry per element of ``layers``).
  public var layerOutputShapes: [LayerShape] {
    var shape = input.batchShape
    return layers.map { layer in
      shape = layer.outputShape(forInputShape: shape)
      return shape
    }
  }

  /// The output shape for the declared input, batch axis `nil`.
  public var outputShape: LayerShape { layerOutputShapes.last ?? input.batchShape }

  /// The output shape after all layers.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    layers.reduce(inputShape) { $1.outputShape(forInputShape: $0) }
  }

  /// Applies every layer in turn to `input` (`[batch] + input shape`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(self.input(input)) { $1($0) }
  }

  /// The hyper-parameters of a `Sequential` model: its name, seed and layers (the first is
  /// the ``Input``).
  public struct Configuration: Codable, Equatable, Sendable {
    /// The model name.
    public var name: String
    /// The initialisation seed.
    public var seed: UInt64
    /// The layers, starting with the input.
    public var layers: [LayerConfiguration]
    /// The names of the layers whose ``Model/trainable`` flag is `false` (Keras'
    /// `"trainable": false`); absent when every layer is trainable.
    public var nonTrainableLayers: [String]? = nil
  }

  /// The description of the whole stack, or `nil` if a layer cannot be described.
  public var configuration: LayerConfiguration? {
    (try? sequentialConfiguration()).map(LayerConfiguration.sequential)
  }

  /// The description of the whole stack.
  ///
  /// - Throws: ``ArchitectureError/unserializableLayer(name:type:)`` for a user-defined layer.
  public func sequentialConfiguration() throws(ArchitectureError) -> Configuration {
    var configurations = [input.configuration].compactMap { $0 }
    for layer in layers {
      guard let configuration = layer.configuration else {
        throw .unserializableLayer(name: layer.name, type: type(of: layer).typeName)
      }
      configurations.append(configuration)
    }
    let frozen = layers.filter { !$0.trainable }.map(\.name)
    return Configuration(
      name: name, seed: seed, layers: configurations,
      nonTrainableLayers: frozen.isEmpty ? nil : frozen)
  }

  /// Creates and builds the model `configuration` describes, after checking it completely
  /// with ``ArchitecturePlan`` (hyper-parameters, shapes, sizes within
  /// ``ArchitectureLimits/standard``), so no invalid configuration reaches a layer.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public convenience init(
    configuration: Configuration, lambdas: [String: Lambda.Function] = [:]
  ) throws(ArchitectureError) {
    _ = try ArchitecturePlan(configuration, lambdas: lambdas)
    let names = Set(configuration.layers.dropFirst().map(\.layerName))
    for name in configuration.nonTrainableLayers ?? [] where !names.contains(name) {
      throw .invalidConfiguration(
        type: Sequential.typeName, reason: "nonTrainableLayers names '\(name)', which is not a layer")
    }
    var layers: [any Layer] = []
    for layerConfiguration in configuration.layers {
      layers.append(try layerConfiguration.makeLayer(lambdas: lambdas))
    }
    self.init(name: configuration.name, seed: configuration.seed, layers: layers)
    let frozen = Set(configuration.nonTrainableLayers ?? [])
    for layer in self.layers where frozen.contains(layer.name) { layer.trainable = false }
  }
}

/// Collects the layers written one per line inside `Sequential { … }`.
@resultBuilder
public enum LayerBuilder {
  /// One layer.
  public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
  /// Several layers, e.g. from a helper returning an array.
  public static func buildExpression(_ layers: [any Layer]) -> [any Layer] { layers }
  /// Consecutive lines.
  public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
  /// An `if` without `else`.
  public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
  /// The first branch of an `if`/`else`.
  public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
  /// The second branch of an `if`/`else`.
  public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
  /// A `for` loop.
  public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}
