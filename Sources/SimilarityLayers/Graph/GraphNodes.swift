/// The calls of a ``Functional/Configuration`` as a checked graph: every reference resolved
/// to an existing layer, call and output, then a topological order with cycles, unused calls
/// and unlisted inputs rejected. Used by ``GraphPlan``.
struct GraphNodes {
  /// One call: the layer's position in the configuration and the call's index.
  struct Key: Hashable {
    var layer: Int
    var node: Int
  }

  let entries: [Functional.LayerEntry]
  private let model: String
  private let inputLayers: [Functional.TensorReference]
  private let outputLayers: [Functional.TensorReference]
  private var position: [String: Int] = [:]

  /// Resolves every reference of `configuration`.
  init(_ configuration: Functional.Configuration, limits: ArchitectureLimits)
    throws(ArchitectureError)
  {
    entries = configuration.layers
    model = configuration.name
    inputLayers = configuration.inputLayers
    outputLayers = configuration.outputLayers
    guard entries.count <= limits.maximumLayers else {
      throw .invalidGraph(model: model, reason: "more than \(limits.maximumLayers) layers")
    }
    for (index, entry) in entries.enumerated() {
      guard position.updateValue(index, forKey: entry.layer.layerName) == nil else {
        throw .duplicateLayerName(model: model, name: entry.layer.layerName)
      }
    }
    for entry in entries {
      let name = entry.layer.layerName
      try entry.layer.validate(limits: limits)
      if case .input = entry.layer {
        guard entry.inboundNodes.isEmpty else {
          throw .invalidGraph(model: model, reason: "InputLayer '\(name)' cannot have inbound nodes")
        }
        continue
      }
      guard !entry.inboundNodes.isEmpty else {
        throw .invalidGraph(model: model, reason: "layer '\(name)' is never called")
      }
      for call in entry.inboundNodes {
        guard !call.isEmpty else {
          throw .invalidGraph(model: model, reason: "a call of layer '\(name)' has no inputs")
        }
        for reference in call { try check(reference, from: name) }
      }
    }
    guard !inputLayers.isEmpty, !outputLayers.isEmpty else {
      throw .invalidGraph(model: model, reason: "a model needs at least one input and one output")
    }
    for reference in outputLayers { try check(reference, from: model) }
    var listed: Set<String> = []
    for reference in inputLayers {
      try check(reference, from: model)
      guard case .input = entries[position[reference.layer]!].layer else {
        throw .invalidGraph(
          model: model, reason: "model input \(reference.text) is not an InputLayer")
      }
      guard listed.insert(reference.layer).inserted else {
        throw .invalidGraph(model: model, reason: "model input '\(reference.layer)' is listed twice")
      }
    }
  }

  /// Throws unless `reference` names an existing layer, call and output.
  private func check(_ reference: Functional.TensorReference, from user: String)
    throws(ArchitectureError)
  {
    guard let index = position[reference.layer] else {
      throw .unknownReference(model: model, layer: user, reference: "layer '\(reference.layer)'")
    }
    let entry = entries[index]
    let calls: Int
    if case .input = entry.layer { calls = 1 } else { calls = entry.inboundNodes.count }
    guard reference.node >= 0, reference.node < calls else {
      throw .unknownReference(
        model: model, layer: user,
        reference: "\(reference.text): '\(reference.layer)' has \(calls) call(s)")
    }
    let outputs: Int
    if case .functional(let c) = entry.layer { outputs = c.outputLayers.count } else { outputs = 1 }
    guard reference.tensor >= 0, reference.tensor < outputs else {
      throw .unknownReference(
        model: model, layer: user,
        reference: "\(reference.text): '\(reference.layer)' has \(outputs) output(s)")
    }
  }

  /// The call `reference` points into (checked by `init`).
  func key(of reference: Functional.TensorReference) -> Key? {
    position[reference.layer].map { Key(layer: $0, node: reference.node) }
  }

  /// The calls and output indices `key` takes its inputs from.
  func inbound(_ call: Key) -> [(key: Key, tensor: Int)] {
    let entry = entries[call.layer]
    if case .input = entry.layer { return [] }
    return entry.inboundNodes[call.node].map { (key(of: $0)!, $0.tensor) }
  }

  /// Every call, each after the calls it needs.
  ///
  /// - Throws: ``ArchitectureError/cycle(model:layers:)``,
  ///   ``ArchitectureError/disconnected(model:layer:input:)``
  ///   for a call needing an input that is not a model input, and
  ///   ``ArchitectureError/invalidGraph(model:reason:)`` for a call no output needs.
  func order() throws(ArchitectureError) -> [Key] {
    var order: [Key] = []
    var finished: Set<Key> = []
    var path: [Key] = []
    var onPath: Set<Key> = []
    // Iterative depth-first walk; a frame is a call and the next input to visit.
    for output in outputLayers {
      var stack: [(Key, Int)] = [(key(of: output)!, 0)]
      while let (current, next) = stack.popLast() {
        if next == 0 {
          if finished.contains(current) { continue }
          path.append(current)
          onPath.insert(current)
        }
        let inputs = inbound(current)
        if next < inputs.count {
          stack.append((current, next + 1))
          let child = inputs[next].key
          if onPath.contains(child) {
            let start = path.firstIndex(of: child)!
            let names = (path[start...] + [child]).map { entries[$0.layer].layer.layerName }
            throw .cycle(model: model, layers: names)
          }
          if !finished.contains(child) { stack.append((child, 0)) }
        } else {
          path.removeLast()
          onPath.remove(current)
          finished.insert(current)
          order.append(current)
        }
      }
    }
    let listed = Set(inputLayers.compactMap(key(of:)))
    for (index, entry) in entries.enumerated() {
      if case .input = entry.layer {
        let key = Key(layer: index, node: 0)
        if finished.contains(key) && !listed.contains(key) {
          let user = order.first { inbound($0).contains { $0.key == key } }
          throw .disconnected(
            model: model, layer: user.map { entries[$0.layer].layer.layerName } ?? model,
            input: entry.layer.layerName)
        }
        if !finished.contains(key) && listed.contains(key) { order.insert(key, at: 0) }
        continue
      }
      for node in entry.inboundNodes.indices where !finished.contains(Key(layer: index, node: node)) {
        throw .invalidGraph(
          model: model,
          reason: "call \(node) of layer '\(entry.layer.layerName)' does not lead to any output")
      }
    }
    return order
  }
}
