extension Functional {
  /// One tensor of a graph: output `tensor` of call `node` of the layer named `layer` (Keras'
  /// `["dense", 1, 0]`, printed `dense[1][0]`).
  public struct TensorReference: Codable, Equatable, Hashable, Sendable {
    /// The name of the layer that produced the tensor.
    public var layer: String
    /// Which call of that layer (0 for the first; an ``Input`` has one call, 0).
    public var node: Int
    /// Which output of that call (0 unless the layer is a model with several outputs).
    public var tensor: Int

    /// The reference to output `tensor` of call `node` of `layer`.
    public init(layer: String, node: Int = 0, tensor: Int = 0) {
      self.layer = layer
      self.node = node
      self.tensor = tensor
    }

    /// `dense[1][0]`, as Keras prints it.
    public var text: String { "\(layer)[\(node)][\(tensor)]" }
  }

  /// One layer of a graph and its calls: Keras' `{"class_name", "config", "inbound_nodes"}`.
  public struct LayerEntry: Codable, Equatable, Sendable {
    /// The layer's type and hyper-parameters.
    public var layer: LayerConfiguration
    /// One list per call of the layer, in call order: the tensors it was called on (empty for
    /// an ``InputLayer``, which has one call with no inputs).
    public var inboundNodes: [[TensorReference]]
    /// Keras' `trainable`; `false` freezes the layer's parameters. Absent means `true`.
    public var trainable: Bool?

    /// An entry for `layer` called on each element of `inboundNodes`.
    public init(
      layer: LayerConfiguration, inboundNodes: [[TensorReference]], trainable: Bool? = nil
    ) {
      self.layer = layer
      self.inboundNodes = inboundNodes
      self.trainable = trainable
    }
  }

  /// The description of a graph model in `architecture.json`:
  /// `{"name", "seed", "layers": [LayerEntry], "inputLayers": [TensorReference],
  /// "outputLayers": [TensorReference]}`, layers in Keras' order.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The model name.
    public var name: String
    /// The initialisation seed.
    public var seed: UInt64
    /// Every layer with its calls.
    public var layers: [LayerEntry]
    /// The model inputs, in call order (each an ``InputLayer``'s call 0).
    public var inputLayers: [TensorReference]
    /// The model outputs, in call order.
    public var outputLayers: [TensorReference]
    /// The input scaling the weights expect (absent: unknown).
    public var preprocessing: InputPreprocessing?

    /// A graph description.
    public init(
      name: String, seed: UInt64, layers: [LayerEntry], inputLayers: [TensorReference],
      outputLayers: [TensorReference], preprocessing: InputPreprocessing? = nil
    ) {
      self.name = name
      self.seed = seed
      self.layers = layers
      self.inputLayers = inputLayers
      self.outputLayers = outputLayers
      self.preprocessing = preprocessing
    }
  }

  /// The description of the whole graph, or `nil` if a layer cannot be described.
  public var configuration: LayerConfiguration? {
    (try? functionalConfiguration()).map(LayerConfiguration.functional)
  }

  /// The reference to `tensor` in this graph.
  func reference(_ tensor: SymbolicTensor) -> TensorReference {
    TensorReference(
      layer: tensor.layer.name, node: topology.nodeIndex(tensor.node), tensor: tensor.index)
  }

  /// The description of the whole graph.
  ///
  /// - Throws: ``ArchitectureError/unserializableLayer(name:type:)`` for a user-defined layer.
  public func functionalConfiguration() throws(ArchitectureError) -> Configuration {
    var entries: [LayerEntry] = []
    for layer in layers {
      guard let configuration = layer.configuration else {
        throw .unserializableLayer(name: layer.name, type: layer.typeName)
      }
      let calls = topology.nodesOfLayer[ObjectIdentifier(layer)] ?? []
      let inbound = calls.filter { !$0.isInput }.map { $0.inputs.map(reference) }
      entries.append(
        LayerEntry(
          layer: configuration, inboundNodes: inbound, trainable: layer.trainable ? nil : false))
    }
    return Configuration(
      name: name, seed: seed, layers: entries, inputLayers: inputs.map(reference),
      outputLayers: outputs.map(reference), preprocessing: preprocessing)
  }

  /// Creates and builds the model `configuration` describes, after checking it completely
  /// with ``GraphPlan`` (references, cycles, names, shapes, sizes within
  /// ``ArchitectureLimits/standard``), so no invalid description reaches a layer. Layers
  /// whose entry says `"trainable": false` are frozen.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public convenience init(
    configuration: Configuration, lambdas: [String: Lambda.Function] = [:]
  ) throws(ArchitectureError) {
    _ = try GraphPlan(configuration, lambdas: lambdas)
    var layers: [String: any Layer] = [:]
    for entry in configuration.layers {
      layers[entry.layer.layerName] = try entry.layer.makeLayer(lambdas: lambdas)
    }
    // Create each layer's calls in order once their inputs exist (the plan ruled out cycles
    // and dangling references, so every round makes progress).
    var outputs: [String: [[SymbolicTensor]]] = [:]
    var remaining = configuration.layers
    while !remaining.isEmpty {
      var next: [LayerEntry] = []
      for var entry in remaining {
        let name = entry.layer.layerName
        let layer = layers[name]!
        if let input = layer as? Input {
          outputs[name] = [[SymbolicTensor(input)]]
          continue
        }
        while let first = entry.inboundNodes.first,
          let arguments = Self.resolve(first, in: outputs)
        {
          outputs[name, default: []].append(try Self.call(layer, on: arguments))
          entry.inboundNodes.removeFirst()
        }
        if !entry.inboundNodes.isEmpty { next.append(entry) }
      }
      guard next.count < remaining.count
        || zip(next, remaining).contains(where: { $0.inboundNodes.count != $1.inboundNodes.count })
      else {
        throw .cycle(model: configuration.name, layers: next.map(\.layer.layerName))
      }
      remaining = next
    }
    func tensors(_ references: [TensorReference]) throws(ArchitectureError) -> [SymbolicTensor] {
      guard let tensors = Self.resolve(references, in: outputs) else {
        throw .unknownReference(
          model: configuration.name, layer: configuration.name,
          reference: references.map(\.text).joined(separator: ", "))
      }
      return tensors
    }
    try self.init(
      inputs: tensors(configuration.inputLayers), outputs: tensors(configuration.outputLayers),
      name: configuration.name, seed: configuration.seed, renaming: false)
    preprocessing = configuration.preprocessing
    for entry in configuration.layers where entry.trainable == false {
      layers[entry.layer.layerName]!.trainable = false
    }
  }

  /// The symbolic tensors `references` name, or `nil` while one is not created yet.
  private static func resolve(
    _ references: [TensorReference], in outputs: [String: [[SymbolicTensor]]]
  ) -> [SymbolicTensor]? {
    var tensors: [SymbolicTensor] = []
    for reference in references {
      guard let calls = outputs[reference.layer], reference.node < calls.count,
        reference.tensor < calls[reference.node].count
      else { return nil }
      tensors.append(calls[reference.node][reference.tensor])
    }
    return tensors
  }

  /// Records a call of `layer` on `arguments`.
  private static func call(_ layer: any Layer, on arguments: [SymbolicTensor])
    throws(ArchitectureError) -> [SymbolicTensor]
  {
    if let model = layer as? Functional { return try model(arguments) }
    if let merge = layer as? any MergeLayer { return [try merge(arguments)] }
    return [layer(arguments[0])]
  }
}
