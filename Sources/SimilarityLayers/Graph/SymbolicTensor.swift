import Synchronization
import SimilarityTensors

/// A placeholder for a tensor in a graph being described (Keras' `KerasTensor`): the output
/// of a symbolic ``Input`` or of a layer called on symbolic tensors. It holds no values, only
/// its shape (batch axis `nil`) and where it comes from, so a ``Functional`` model can be
/// created from its inputs and outputs.
///
/// ```swift
/// let inputs = SymbolicTensor.input(shape: [8, 8, 16])          // keras.Input(shape=…)
/// var x = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(inputs)
/// x = try Add()([x, inputs])                                     // shapes checked here
/// let model = try Functional(inputs: [inputs], outputs: [x])
/// ```
///
/// Calling a layer on a symbolic tensor records a node (one call of the layer); calling the
/// same layer again records another node that shares its weights.
public struct SymbolicTensor {
  /// The call of a layer that produces this tensor.
  let node: GraphNode
  /// Which output of that call this is (0 unless the layer is a model with several outputs).
  public let index: Int

  /// The shape, batch axis `nil` first: `[nil, 8, 8, 16]`.
  public var shape: LayerShape { node.outputShapes[index] }

  /// The layer whose call produced this tensor (an ``Input`` for a model input).
  public var layer: any Layer { node.layer }

  /// A new model input of examples of `shape` (Keras' `keras.Input(shape=…)`), backed by a
  /// new ``Input`` layer named `name` (by default `input_1`, `input_2`, … in the model).
  public static func input(shape: [Int], name: String? = nil) -> SymbolicTensor {
    SymbolicTensor(Input(shape: shape, name: name))
  }

  /// The symbolic output of `input`, a model input. Each call creates a new graph input.
  public init(_ input: Input) {
    self.init(node: GraphNode(layer: input, inputs: [], outputShapes: [input.batchShape]), index: 0)
  }

  init(node: GraphNode, index: Int) {
    self.node = node
    self.index = index
  }
}

/// One call of a layer in a graph (Keras' `Node`): the layer, the symbolic tensors it was
/// called on and the shapes it produced. Nodes are numbered in creation order, which gives
/// each layer's calls their node indices (`dense[1][0]` is the second call of `dense`).
final class GraphNode {
  /// The layer called.
  let layer: any Layer
  /// What it was called on (empty for an ``Input``).
  let inputs: [SymbolicTensor]
  /// The shape of each output, batch axis `nil`.
  let outputShapes: [LayerShape]
  /// Creation order across the process.
  let serial: Int

  init(layer: any Layer, inputs: [SymbolicTensor], outputShapes: [LayerShape]) {
    self.layer = layer
    self.inputs = inputs
    self.outputShapes = outputShapes
    serial = graphNodeSerials.add(1, ordering: .relaxed).oldValue
  }

  /// Whether this is a model input.
  var isInput: Bool { inputs.isEmpty }

  /// The node's outputs as symbolic tensors.
  var outputs: [SymbolicTensor] {
    outputShapes.indices.map { SymbolicTensor(node: self, index: $0) }
  }

  /// The layer's object identity.
  var layerID: ObjectIdentifier { ObjectIdentifier(layer) }
}

/// The next node serial number.
private let graphNodeSerials = Atomic<Int>(0)

extension Layer {
  /// Records a call of this layer on `input` in the graph being described and returns its
  /// symbolic output (Keras' `layer(x)` on a `KerasTensor`). The layer is built later, by the
  /// ``Functional`` model created from the graph.
  ///
  /// A layer that takes several inputs (a ``MergeLayer``, a model with several inputs) must be
  /// called on an array instead. A shape the layer cannot take is a programming error (the
  /// plan's ``ArchitectureError`` is the message); merge layers throw instead.
  public func callAsFunction(_ input: SymbolicTensor) -> SymbolicTensor {
    if let model = self as? Functional {
      precondition(
        model.inputs.count == 1 && model.outputs.count == 1,
        "Functional '\(name)': \(model.inputs.count) inputs and \(model.outputs.count) outputs; "
          + "call it on an array")
      return GraphNode(layer: self, inputs: [input], outputShapes: model.outputShapes).outputs[0]
    }
    let shape: LayerShape
    do {
      shape = try GraphPlan.outputShape(of: self, forInputShape: input.shape)
    } catch {
      preconditionFailure(error.description)
    }
    return GraphNode(layer: self, inputs: [input], outputShapes: [shape]).outputs[0]
  }
}

extension MergeLayer {
  /// Records a call of this merge layer on `inputs` and returns its symbolic output.
  ///
  /// - Throws: ``ArchitectureError/incompatibleShapes(layer:type:shapes:reason:)`` when the
  ///   shapes cannot be merged (`Add` of `(None, 4)` and `(None, 3)`).
  public func callAsFunction(_ inputs: [SymbolicTensor]) throws(ArchitectureError)
    -> SymbolicTensor
  {
    let shape = try outputShape(forInputShapes: inputs.map(\.shape))
    return GraphNode(layer: self, inputs: inputs, outputShapes: [shape]).outputs[0]
  }
}

extension Functional {
  /// Records a call of this model on `inputs` (one per model input) and returns its symbolic
  /// outputs, one per model output: a nested model.
  ///
  /// - Throws: ``ArchitectureError/incompatibleShapes(layer:type:shapes:reason:)`` when the
  ///   number or shapes of `inputs` differ from the model's inputs.
  public func callAsFunction(_ inputs: [SymbolicTensor]) throws(ArchitectureError)
    -> [SymbolicTensor]
  {
    let shapes = inputs.map(\.shape)
    guard shapes.count == self.inputs.count,
      zip(shapes, self.inputs).allSatisfy({ $0.dropFirst() == $1.shape.dropFirst() })
    else {
      throw .incompatibleShapes(
        layer: name, type: typeName, shapes: shapes,
        reason: "the model takes \(pythonTuples(self.inputs.map(\.shape)))")
    }
    return GraphNode(layer: self, inputs: inputs, outputShapes: outputShapes).outputs
  }
}
