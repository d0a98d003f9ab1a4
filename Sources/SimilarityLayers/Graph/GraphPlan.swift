import SimilarityIO
import SimilarityTensors

/// What a ``Functional/Configuration`` builds, worked out from the description alone, like
/// ``ArchitecturePlan`` for a ``Sequential``: the shapes of the inputs and outputs and the
/// name and shape of every parameter (a shared layer's once), with overflow-checked
/// arithmetic and within ``ArchitectureLimits``.
///
/// Creating a plan checks, before any layer exists: unique layer names, input entries that
/// are ``InputLayer``s without calls, every reference to an existing layer, call and output
/// (``ArchitectureError/unknownReference(model:layer:reference:)``), no cycle
/// (``ArchitectureError/cycle(model:layers:)``), every call reaching an output and needing
/// only listed inputs, each layer's hyper-parameters and the shapes it receives (merges:
/// ``ArchitectureError/incompatibleShapes(layer:type:shapes:reason:)``; a shared layer's
/// calls must fit the same weights), and the size limits.
public struct GraphPlan: Sendable {
  /// The example shape of each input (no batch axis).
  public private(set) var inputShapes: [[Int]] = []
  /// The example shape of each output (no batch axis).
  public private(set) var outputShapes: [[Int]] = []
  /// Every parameter in the order of ``Functional/namedParameters``.
  public private(set) var parameters: [ArchitecturePlan.Parameter] = []
  /// The number of scalars in ``parameters``.
  public private(set) var parameterCount = 0
  /// The number of layers, nested models counted with their layers (inputs not counted).
  public private(set) var layerCount = 0

  /// Plans `configuration`.
  ///
  /// - Parameters:
  ///   - lambdas: closures for ``Lambda`` layers.
  ///   - limits: the largest sizes accepted.
  /// - Throws: ``ArchitectureError`` naming the model, the layer and the values.
  public init(
    _ configuration: Functional.Configuration, lambdas: [String: Lambda.Function] = [:],
    limits: ArchitectureLimits = .standard
  ) throws(ArchitectureError) {
    let model = configuration.name
    var graph = try GraphNodes(configuration, limits: limits)
    let order = try graph.order()
    var shapes: [GraphNodes.Key: [[Int]]] = [:]
    var layerParameters: [String: [ArchitecturePlan.Parameter]] = [:]
    for key in order {
      let entry = graph.entries[key.layer]
      let name = entry.layer.layerName
      if case .input(let c) = entry.layer {
        shapes[key] = [c.shape]
        continue
      }
      let arguments = graph.inbound(key).map { shapes[$0.key]![$0.tensor] }
      let planned = try Self.plan(
        entry.layer, inputs: arguments, lambdas: lambdas, limits: limits, model: model)
      if let first = layerParameters[name] {
        guard first.map(\.shape) == planned.parameters.map(\.shape) else {
          throw .incompatibleShapes(
            layer: name, type: entry.layer.typeName, shapes: arguments.map { [nil] + $0 },
            reason: "a shared layer's calls need weights of one shape; call 0 has "
              + "\(first.map(\.shape)), call \(key.node) needs \(planned.parameters.map(\.shape))")
        }
      } else {
        layerParameters[name] = planned.parameters
        layerCount += 1 + planned.nestedLayers
        guard layerCount <= limits.maximumLayers else {
          throw .invalidGraph(model: model, reason: "more than \(limits.maximumLayers) layers")
        }
      }
      for output in planned.outputs {
        guard output.allSatisfy({ $0 > 0 }), let elements = output.checkedProduct(),
          elements <= limits.maximumActivationElements
        else {
          throw .invalidConfiguration(
            type: "\(entry.layer.typeName) '\(name)'",
            reason: "produces examples of \(output); at most "
              + "\(limits.maximumActivationElements) elements per example are accepted")
        }
      }
      shapes[key] = planned.outputs
    }
    for entry in configuration.layers {
      let name = entry.layer.layerName
      for parameter in layerParameters[name] ?? [] {
        guard let count = parameter.shape.checkedProduct(),
          let total = [parameterCount, count].checkedSum(), total <= limits.maximumParameters
        else {
          throw .invalidConfiguration(
            type: "\(entry.layer.typeName) '\(name)'",
            reason: "parameter \(name).\(parameter.name) of shape \(parameter.shape) brings the "
              + "model beyond \(limits.maximumParameters) parameters")
        }
        parameters.append(.init(name: name + "." + parameter.name, shape: parameter.shape))
        parameterCount = total
      }
    }
    inputShapes = configuration.inputLayers.map { shapes[graph.key(of: $0)!]![0] }
    outputShapes = configuration.outputLayers.map { shapes[graph.key(of: $0)!]![$0.tensor] }
  }

  /// What one call of a layer gives: output example shapes, the layer's parameters (names
  /// relative to the layer) and how many layers nest inside it.
  struct PlannedCall {
    var outputs: [[Int]]
    var parameters: [ArchitecturePlan.Parameter]
    var nestedLayers: Int
  }

  /// Plans one call of `layer` on examples of `inputs`.
  static func plan(
    _ layer: LayerConfiguration, inputs: [[Int]], lambdas: [String: Lambda.Function],
    limits: ArchitectureLimits, model: String
  ) throws(ArchitectureError) -> PlannedCall {
    let name = layer.layerName
    switch layer {
    case .functional(let c):
      let nested = try GraphPlan(c, lambdas: lambdas, limits: limits)
      guard nested.inputShapes == inputs else {
        throw .incompatibleShapes(
          layer: name, type: layer.typeName, shapes: inputs.map { [nil] + $0 },
          reason: "the model takes \(pythonTuples(nested.inputShapes.map { [nil] + $0 }))")
      }
      return PlannedCall(
        outputs: nested.outputShapes, parameters: nested.parameters,
        nestedLayers: nested.layerCount)
    case .add, .subtract, .multiply, .average, .maximum, .concatenate:
      try layer.validate(limits: limits)
      guard let merge = try layer.makeLayer() as? any MergeLayer else {
        preconditionFailure("\(layer.typeName) is not a MergeLayer")
      }
      let output = try merge.outputShape(forInputShapes: inputs.map { [nil] + $0 })
      return PlannedCall(
        outputs: [output.dropFirst().map { $0 ?? 0 }], parameters: [], nestedLayers: 0)
    default:
      guard inputs.count == 1 else {
        throw .incompatibleShapes(
          layer: name, type: layer.typeName, shapes: inputs.map { [nil] + $0 },
          reason: "the layer takes one input, found \(inputs.count)")
      }
      let wrapper = Sequential.Configuration(
        name: model, seed: 0,
        layers: [.input(Input.Configuration(name: "", shape: inputs[0])), layer])
      let plan = try ArchitecturePlan(wrapper, lambdas: lambdas, limits: limits)
      let prefix = name + "."
      return PlannedCall(
        outputs: [plan.outputShape],
        parameters: plan.parameters.map {
          .init(name: String($0.name.dropFirst(prefix.count)), shape: $0.shape)
        },
        nestedLayers: plan.layerCount - 1)
    }
  }

  /// The output shape of a call of `layer` on `inputShape` (batch axis `nil`), checked with
  /// the plan when the layer can be described, else the layer's own answer.
  static func outputShape(of layer: any Layer, forInputShape inputShape: LayerShape)
    throws(ArchitectureError) -> LayerShape
  {
    guard let configuration = layer.configuration else {
      return layer.outputShape(forInputShape: inputShape)
    }
    if case .lambda = configuration { return layer.outputShape(forInputShape: inputShape) }
    let example = inputShape.dropFirst().map { $0 ?? 0 }
    do {
      let planned = try plan(
        configuration, inputs: [example], lambdas: [:], limits: .standard, model: layer.name)
      return [nil] + planned.outputs[0].map { $0 }
    } catch .unregisteredLambda {
      // A nested model holding a Lambda: the plan needs its closure; the model knows it.
      return layer.outputShape(forInputShape: inputShape)
    }
  }
}
