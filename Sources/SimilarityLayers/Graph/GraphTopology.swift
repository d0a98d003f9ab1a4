/// The nodes and layers of a graph from its inputs to its outputs, in Keras' order
/// (`tf_keras` `functional._map_graph_network`): nodes by a depth-first walk from the
/// outputs, layers by decreasing depth then first visit, so summaries and saved
/// architectures list them as Keras does.
struct GraphTopology {
  /// Every node, inputs before the nodes that use them (the order calls run in).
  var nodes: [GraphNode] = []
  /// The layers, each once (shared layers have several nodes), Keras' `model.layers` order.
  var layers: [any Layer] = []
  /// Each node's depth (0 at the outputs).
  var depths: [ObjectIdentifier: Int] = [:]
  /// Each layer's nodes in this graph, in creation order; a node's position is its index.
  var nodesOfLayer: [ObjectIdentifier: [GraphNode]] = [:]

  /// Maps the graph from `inputs` to `outputs` (``checkInputs(_:model:)`` checks it).
  init(inputs: [SymbolicTensor], outputs: [SymbolicTensor]) {
    var finished: Set<ObjectIdentifier> = []
    var traversal: [ObjectIdentifier: Int] = [:]
    var layerOf: [ObjectIdentifier: any Layer] = [:]
    // Depth-first, iteratively: (node, whether its inputs were pushed).
    for output in outputs {
      var stack: [(GraphNode, Bool)] = [(output.node, false)]
      while let (node, expanded) = stack.popLast() {
        let id = ObjectIdentifier(node)
        if finished.contains(id) { continue }
        if expanded {
          finished.insert(id)
          nodes.append(node)
          continue
        }
        if traversal[node.layerID] == nil {
          traversal[node.layerID] = traversal.count
          layerOf[node.layerID] = node.layer
        }
        stack.append((node, true))
        for input in node.inputs.reversed() { stack.append((input.node, false)) }
      }
    }
    for node in nodes.reversed() {
      let depth = max(depths[ObjectIdentifier(node), default: 0], layerDepth(node.layerID))
      layerDepths[node.layerID] = depth
      depths[ObjectIdentifier(node)] = depth
      for input in node.inputs {
        let parent = ObjectIdentifier(input.node)
        depths[parent] = max(depth + 1, depths[parent, default: 0])
      }
    }
    // Inputs that no output needs still belong to the model.
    for input in inputs where layerDepths[input.node.layerID] == nil {
      layerDepths[input.node.layerID] = 0
      traversal[input.node.layerID] = -1
      layerOf[input.node.layerID] = input.node.layer
      depths[ObjectIdentifier(input.node)] = 0
      nodes.insert(input.node, at: 0)
    }
    let ordered = layerDepths.keys.sorted {
      let (a, b) = (layerDepths[$0]!, layerDepths[$1]!)
      return a != b ? a > b : traversal[$0]! < traversal[$1]!
    }
    layers = ordered.map { layerOf[$0]! }
    for node in nodes.sorted(by: { $0.serial < $1.serial }) {
      nodesOfLayer[node.layerID, default: []].append(node)
    }
    // Execution order: decreasing depth (inputs first), ties in walk order.
    nodes = nodes.enumerated().sorted {
      let (a, b) = (depths[ObjectIdentifier($0.element)]!, depths[ObjectIdentifier($1.element)]!)
      return a != b ? a > b : $0.offset < $1.offset
    }.map(\.element)
  }

  private var layerDepths: [ObjectIdentifier: Int] = [:]

  private func layerDepth(_ id: ObjectIdentifier) -> Int { layerDepths[id, default: 0] }

  /// Throws unless every input is a distinct ``Input`` output and every node's inputs are
  /// model inputs or outputs of earlier nodes: ``ArchitectureError/invalidGraph(model:reason:)``
  /// when an input is not an ``Input``'s output or appears twice,
  /// ``ArchitectureError/disconnected(model:layer:input:)`` when a node needs a model input
  /// not among `inputs`.
  func checkInputs(_ inputs: [SymbolicTensor], model: String) throws(ArchitectureError) {
    var given: Set<ObjectIdentifier> = []
    for input in inputs {
      guard input.node.isInput, input.layer is Input else {
        throw .invalidGraph(
          model: model,
          reason: "input '\(input.layer.name)' is the output of a \(input.layer.typeName), "
            + "not a symbolic Input")
      }
      guard given.insert(ObjectIdentifier(input.node)).inserted else {
        throw .invalidGraph(model: model, reason: "input '\(input.layer.name)' is listed twice")
      }
    }
    for node in nodes where node.isInput {
      guard given.contains(ObjectIdentifier(node)) else {
        let user = nodes.first { $0.inputs.contains { $0.node === node } }
        throw .disconnected(
          model: model, layer: user?.layer.name ?? node.layer.name, input: node.layer.name)
      }
    }
  }

  /// The index of `node` among its layer's nodes in this graph.
  func nodeIndex(_ node: GraphNode) -> Int {
    nodesOfLayer[node.layerID]?.firstIndex { $0 === node } ?? 0
  }

  /// Keras' test for printing a model in the sequential layout: one node per depth, each
  /// with at most one input, and no layer called twice.
  var isSequentialLike: Bool {
    var perDepth: [Int: Int] = [:]
    for node in nodes {
      perDepth[depths[ObjectIdentifier(node)]!, default: 0] += 1
      if node.inputs.count > 1 { return false }
    }
    return perDepth.values.allSatisfy { $0 == 1 } && nodesOfLayer.values.allSatisfy { $0.count == 1 }
  }
}
