import SimilarityTensors

/// A model that is a graph of layers, Keras' functional API (`keras.Model(inputs, outputs)`,
/// class name `Functional`): several inputs and outputs, layers called on the outputs of any
/// earlier layers (residual connections, merges), shared layers (one layer called several
/// times: several nodes, one set of weights) and nested models (a `Functional` or
/// ``Sequential`` used as a layer).
///
/// Describe the graph with ``SymbolicTensor``s, then create the model from its inputs and
/// outputs; it builds every layer (drawing initial values from one ``SplitMix64`` seeded by
/// `seed`, in the order the calls run) and is ready to call:
///
/// ```swift
/// let inputs = SymbolicTensor.input(shape: [8, 8, 16])
/// var x = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(inputs)
/// x = BatchNormalization()(x)
/// x = try Add()([x, inputs])
/// let block = try Functional(inputs: inputs, outputs: ActivationLayer(.relu)(x))
/// let y = block(images)        // [batch, 8, 8, 16] → [batch, 8, 8, 16]
/// ```
///
/// Layers left with their default names are renamed as in a fresh Keras session (`dense`,
/// `dense_1`, …; inputs `input_1`, `input_2`, …), counted per model. A `Functional` is a
/// ``Layer``, so it nests; models with several inputs or outputs are called on arrays.
public final class Functional: NetworkModel {
  /// `"Functional"`.
  public static let typeName = "Functional"
  /// `"model"`.
  public static let defaultName = "model"
  /// The model's name (the title of its summary).
  public var name: String
  /// The seed the layers were initialised from.
  public let seed: UInt64
  /// The symbolic inputs, in the order calls take their tensors.
  public let inputs: [SymbolicTensor]
  /// The symbolic outputs, in the order calls return their tensors.
  public let outputs: [SymbolicTensor]
  /// The input scaling the model's weights expect, when known (the ready-made backbones set
  /// it); saved in the architecture description.
  public var preprocessing: InputPreprocessing?
  /// The graph: nodes in the order they run, layers in Keras' order.
  let topology: GraphTopology

  /// Creates and builds the model computing `outputs` from `inputs`.
  ///
  /// - Throws: ``ArchitectureError`` when an output needs an input not listed
  ///   (``ArchitectureError/disconnected(model:layer:input:)``), an input is not a symbolic
  ///   ``Input``, or two layers have one name (``ArchitectureError/duplicateLayerName(model:name:)``).
  public convenience init(
    inputs: [SymbolicTensor], outputs: [SymbolicTensor], name: String? = nil, seed: UInt64 = 0
  ) throws(ArchitectureError) {
    try self.init(inputs: inputs, outputs: outputs, name: name, seed: seed, renaming: true)
  }

  /// Creates and builds the model; `renaming` gives default names their suffixes (not when
  /// loading a description, whose names are final).
  init(
    inputs: [SymbolicTensor], outputs: [SymbolicTensor], name: String?, seed: UInt64,
    renaming: Bool
  ) throws(ArchitectureError) {
    let name = name ?? Self.defaultName
    guard !inputs.isEmpty, !outputs.isEmpty else {
      throw .invalidGraph(model: name, reason: "a model needs at least one input and one output")
    }
    self.name = name
    self.seed = seed
    self.inputs = inputs
    self.outputs = outputs
    topology = GraphTopology(inputs: inputs, outputs: outputs)
    try Self.assignDefaultNames(topology.layers, model: name, renaming: renaming)
    try topology.checkInputs(inputs, model: name)
    let plan = try checkPlan()
    var generator = SplitMix64(seed: seed)
    for node in topology.nodes where !node.isInput {
      node.layer.build(inputShape: node.inputs[0].shape, using: &generator)
    }
    // A layer built before (in another model) must have the weights this graph needs.
    for (planned, (path, parameter)) in zip(plan?.parameters ?? [], namedParameters)
    where planned.shape != parameter.shape {
      let layer = String(path.prefix { $0 != "." })
      throw .incompatibleShapes(
        layer: layer, type: self.layer(named: layer)?.typeName ?? "Layer", shapes: [],
        reason: "its weight \(path) is \(parameter.shape), but this graph needs \(planned.shape)")
    }
  }

  /// Creates and builds a model with one input and one output.
  public convenience init(
    inputs: SymbolicTensor, outputs: SymbolicTensor, name: String? = nil, seed: UInt64 = 0
  ) throws(ArchitectureError) {
    try self.init(inputs: [inputs], outputs: [outputs], name: name, seed: seed)
  }

  /// Gives default names Keras' per-session suffixes (`dense`, `dense_1`; `input_1`,
  /// `input_2`) and throws on duplicate names.
  private static func assignDefaultNames(_ layers: [any Layer], model: String, renaming: Bool)
    throws(ArchitectureError)
  {
    var counts: [String: Int] = [:]
    var seen: Set<String> = []
    for layer in layers {
      let base = type(of: layer).defaultName
      if renaming && layer.name == base {
        let count = counts[base, default: 0]
        counts[base] = count + 1
        if layer is Input {
          layer.name = "\(base)_\(count + 1)"
        } else if count > 0 {
          layer.name = "\(base)_\(count)"
        }
      }
      guard seen.insert(layer.name).inserted else {
        throw .duplicateLayerName(model: model, name: layer.name)
      }
    }
  }

  /// The layers, each once, in Keras' `model.layers` order (inputs first, by depth).
  public var layers: [any Layer] { topology.layers }

  /// Runs ``GraphPlan`` on the description of the graph (when every layer has one), so a
  /// shared layer called on shapes its one set of weights cannot take, or sizes beyond
  /// ``ArchitectureLimits/standard``, are refused before any layer is built.
  private func checkPlan() throws(ArchitectureError) -> GraphPlan? {
    guard let configuration = try? functionalConfiguration() else { return nil }
    var lambdas: [String: Lambda.Function] = [:]
    for case let lambda as Lambda in layers { lambdas[lambda.function] = lambda.body }
    do {
      return try GraphPlan(configuration, lambdas: lambdas)
    } catch .unregisteredLambda {
      // A Lambda inside a nested model: its shapes were checked when it was called.
      return nil
    }
  }

  /// The layer named `name` (Keras' `get_layer`), or `nil`.
  public func layer(named name: String) -> (any Layer)? {
    layers.first { $0.name == name }
  }

  /// The example shape of each input (no batch axis).
  public var inputShapes: [[Int]] { inputs.map { $0.shape.dropFirst().map { $0 ?? 0 } } }

  /// The shape of each output, batch axis `nil`.
  public var outputShapes: [LayerShape] { outputs.map(\.shape) }

  /// Each layer's parameters prefixed with the layer's name (`dense.kernel`,
  /// `inner_model.dense.kernel`); a shared layer's once.
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

  /// The model was built when it was created.
  public var isBuilt: Bool { true }

  /// The output shape of a model with one input and one output (its declared output).
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      outputs.count == 1, "Functional '\(name)': \(outputs.count) outputs; use outputShapes")
    return outputs[0].shape
  }

  /// Runs a model with one input and one output on `input` (`[batch] + input shape`).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      inputs.count == 1 && outputs.count == 1,
      "Functional '\(name)': \(inputs.count) inputs and \(outputs.count) outputs; call it on an array")
    return self([input])[0]
  }

  /// Runs the model: one tensor per input (`[batch] + that input's shape`, one batch size),
  /// one tensor per output.
  public func callAsFunction(_ inputs: [Tensor]) -> [Tensor] {
    precondition(
      inputs.count == self.inputs.count,
      "Functional '\(name)': \(inputs.count) tensors for \(self.inputs.count) inputs")
    var values: [ObjectIdentifier: [Tensor]] = [:]
    for (symbol, tensor) in zip(self.inputs, inputs) {
      guard let input = symbol.layer as? Input else { continue }
      values[ObjectIdentifier(symbol.node)] = [input(tensor)]
    }
    for node in topology.nodes where !node.isInput {
      let arguments = node.inputs.map { values[ObjectIdentifier($0.node)]![$0.index] }
      values[ObjectIdentifier(node)] = Self.call(node.layer, arguments)
    }
    return outputs.map { values[ObjectIdentifier($0.node)]![$0.index] }
  }

  /// Calls `layer` on `arguments`, with one or several inputs and outputs.
  static func call(_ layer: any Layer, _ arguments: [Tensor]) -> [Tensor] {
    if let model = layer as? Functional { return model(arguments) }
    if let merge = layer as? any MergeLayer { return [merge(arguments)] }
    return [layer(arguments[0])]
  }
}
