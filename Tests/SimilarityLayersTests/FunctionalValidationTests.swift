import Testing

@testable import SimilarityLayers

/// Bad graphs — mismatched merges, cycles, dangling references, unknown inputs, duplicate
/// names, sizes beyond the limits — end in an ``ArchitectureError`` naming the layer and the
/// values, when the graph is described or its description is planned; nothing traps.
@Suite struct FunctionalValidationTests {
  private typealias Entry = Functional.LayerEntry
  private typealias Reference = Functional.TensorReference

  /// The error `body` throws, or `nil`.
  private func error(_ body: () throws -> Void) -> ArchitectureError? {
    do {
      try body()
      return nil
    } catch {
      return error as? ArchitectureError
    }
  }

  private func input(_ name: String, _ shape: [Int]) -> Entry {
    Entry(layer: .input(.init(name: name, shape: shape)), inboundNodes: [])
  }

  private func dense(_ name: String, _ units: Int, from sources: [String]) -> Entry {
    Entry(
      layer: .dense(
        .init(
          name: name, units: units, activation: .linear, useBias: true,
          kernelInitializer: .glorotUniform, biasInitializer: .zeros)),
      inboundNodes: sources.map { [Reference(layer: $0)] })
  }

  private func graph(_ layers: [Entry], inputs: [String] = ["input_1"], outputs: [String])
    -> Functional.Configuration
  {
    Functional.Configuration(
      name: "bad", seed: 0, layers: layers, inputLayers: inputs.map { Reference(layer: $0) },
      outputLayers: outputs.map { Reference(layer: $0) })
  }

  @Test func mismatchedMergesThrowWhenCalled() {
    let a = SymbolicTensor.input(shape: [4])
    let b = SymbolicTensor.input(shape: [3])
    let add = error { _ = try Add(name: "sum")([a, b]) }
    guard case .incompatibleShapes("sum", "Add", let shapes, _) = add else {
      Issue.record("expected incompatible shapes, got \(String(describing: add))")
      return
    }
    #expect(shapes == [[nil, 4], [nil, 3]])
    #expect(add?.description.contains("(None, 4), (None, 3)") == true)
    let c = SymbolicTensor.input(shape: [2, 3])
    let d = SymbolicTensor.input(shape: [4, 5])
    let concatenate = error { _ = try Concatenate()([c, d]) }
    #expect(concatenate?.description.contains("axis 1 has extents 2 and 4") == true)
    #expect(error { _ = try Concatenate(axis: 0)([c, c]) } != nil)
    #expect(error { _ = try Concatenate(axis: 3)([c, c]) } != nil)
    #expect(error { _ = try Concatenate(axis: -3)([c, c]) } != nil)
    #expect(error { _ = try Concatenate(axis: 1)([c, d]) } != nil)
    #expect(error { _ = try Subtract()([a, a, a]) } != nil)
    #expect(error { _ = try Multiply()([SymbolicTensor.input(shape: [4, 1]), a]) } != nil)
  }

  @Test func anOutputNeedingAnUnlistedInputIsDisconnected() {
    let a = SymbolicTensor.input(shape: [4])
    let b = SymbolicTensor.input(shape: [4])
    let sum = (try? Add()([Dense(units: 4)(a), b]))!
    let thrown = error { _ = try Functional(inputs: [a], outputs: [sum]) }
    guard case .disconnected("model", "add", "input_2") = thrown else {
      Issue.record("expected disconnected, got \(String(describing: thrown))")
      return
    }
  }

  @Test func duplicateNamesAndBadInputsThrow() {
    let a = SymbolicTensor.input(shape: [4])
    let twice = Dense(units: 2, name: "x")(Dense(units: 4, name: "x")(a))
    guard case .duplicateLayerName("model", "x") = error({ _ = try Functional(inputs: a, outputs: twice) })
    else {
      Issue.record("expected a duplicate name")
      return
    }
    let hidden = Dense(units: 4)(a)
    #expect(error { _ = try Functional(inputs: hidden, outputs: hidden) } != nil)
    #expect(error { _ = try Functional(inputs: [a, a], outputs: [hidden]) } != nil)
    #expect(error { _ = try Functional(inputs: [], outputs: [hidden]) } != nil)
  }

  @Test func aSharedLayerOnShapesItsWeightsCannotTakeThrows() {
    let a = SymbolicTensor.input(shape: [4])
    let b = SymbolicTensor.input(shape: [5])
    let shared = Dense(units: 3)
    let merged = (try? Concatenate()([shared(a), shared(b)]))!
    let thrown = error { _ = try Functional(inputs: [a, b], outputs: [merged]) }
    guard case .incompatibleShapes("dense", "Dense", _, let reason) = thrown else {
      Issue.record("expected incompatible shapes, got \(String(describing: thrown))")
      return
    }
    #expect(reason.contains("[[4, 3], [3]]") && reason.contains("[[5, 3], [3]]"))
  }

  @Test func aLayerBuiltForOtherShapesThrows() {
    let dense = Dense(units: 2)
    dense.build(inputShape: [nil, 3], seed: 0)
    let a = SymbolicTensor.input(shape: [4])
    let thrown = error { _ = try Functional(inputs: a, outputs: dense(a)) }
    #expect(thrown?.description.contains("dense.kernel is [3, 2]") == true)
  }

  @Test func plansRejectCyclesDanglingReferencesAndDuplicates() {
    let cyclic = graph(
      [input("input_1", [4]), dense("a", 4, from: ["b"]), dense("b", 4, from: ["a"]),
       dense("out", 2, from: ["b"])], outputs: ["out"])
    guard case .cycle("bad", let layers) = error({ _ = try GraphPlan(cyclic) }) else {
      Issue.record("expected a cycle")
      return
    }
    #expect(Set(layers) == ["a", "b"])
    let dangling = graph([input("input_1", [4]), dense("a", 4, from: ["nope"])], outputs: ["a"])
    guard case .unknownReference("bad", "a", let what) = error({ _ = try GraphPlan(dangling) }) else {
      Issue.record("expected an unknown reference")
      return
    }
    #expect(what.contains("nope"))
    var badNode = graph([input("input_1", [4]), dense("a", 4, from: ["input_1"])], outputs: ["a"])
    badNode.outputLayers = [Reference(layer: "a", node: 1)]
    #expect(error { _ = try GraphPlan(badNode) } != nil)
    badNode.outputLayers = [Reference(layer: "a", node: 0, tensor: 2)]
    #expect(error { _ = try GraphPlan(badNode) } != nil)
    let duplicate = graph(
      [input("input_1", [4]), dense("a", 4, from: ["input_1"]), dense("a", 2, from: ["a"])],
      outputs: ["a"])
    guard case .duplicateLayerName("bad", "a") = error({ _ = try GraphPlan(duplicate) }) else {
      Issue.record("expected a duplicate name")
      return
    }
  }

  @Test func plansRejectMismatchedMergesUnknownInputsAndUnusedCalls() {
    let mismatched = graph(
      [input("input_1", [4]), dense("a", 3, from: ["input_1"]),
       Entry(layer: .add(.init(name: "add")), inboundNodes: [[Reference(layer: "a"), Reference(layer: "input_1")]])],
      outputs: ["add"])
    guard case .incompatibleShapes("add", "Add", let shapes, _) = error({ _ = try GraphPlan(mismatched) }) else {
      Issue.record("expected incompatible shapes")
      return
    }
    #expect(shapes == [[nil, 3], [nil, 4]])
    let concatenate = graph(
      [input("input_1", [2, 4]), input("input_2", [3, 4]),
       Entry(layer: .concatenate(.init(name: "joined", axis: -1)),
             inboundNodes: [[Reference(layer: "input_1"), Reference(layer: "input_2")]])],
      inputs: ["input_1", "input_2"], outputs: ["joined"])
    #expect(error { _ = try GraphPlan(concatenate) } != nil)
    let unlisted = graph(
      [input("input_1", [4]), input("input_2", [4]),
       Entry(layer: .add(.init(name: "add")), inboundNodes: [[Reference(layer: "input_1"), Reference(layer: "input_2")]])],
      outputs: ["add"])
    guard case .disconnected("bad", "add", "input_2") = error({ _ = try GraphPlan(unlisted) }) else {
      Issue.record("expected disconnected")
      return
    }
    let unused = graph(
      [input("input_1", [4]), dense("a", 4, from: ["input_1", "input_1"])], outputs: ["a"])
    #expect(error { _ = try GraphPlan(unused) } != nil)
    let uncalled = graph([input("input_1", [4]), dense("a", 4, from: [])], outputs: ["input_1"])
    #expect(error { _ = try GraphPlan(uncalled) } != nil)
  }

  @Test func sizesBeyondTheLimitsThrowInsteadOfOverflowing() {
    let huge = graph(
      [input("input_1", [1 << 20]), dense("a", 1 << 20, from: ["input_1"])], outputs: ["a"])
    #expect(error { _ = try GraphPlan(huge) }?.description.contains("'a'") == true)
    let wide = graph(
      [input("input_1", [1 << 20, 16]),
       Entry(layer: .concatenate(.init(name: "c", axis: 1)),
             inboundNodes: [[Reference(layer: "input_1"), Reference(layer: "input_1")]])],
      outputs: ["c"])
    #expect(error { _ = try GraphPlan(wide) }?.description.contains("elements per example") == true)
  }

  @Test func mergeLayersCannotBeSequentialLayers() {
    let configuration = Sequential.Configuration(
      name: "s", seed: 0, layers: [.input(.init(name: "input", shape: [4])), .add(.init(name: "add"))])
    #expect(error { _ = try ArchitecturePlan(configuration) }?.description.contains("Functional") == true)
  }

  @Test func aGoodPlanCountsParametersAsTheModel() throws {
    let model = try GraphModels.nestedModel()
    let plan = try GraphPlan(model.functionalConfiguration())
    #expect(plan.parameterCount == model.parameterCount)
    #expect(plan.parameters.map(\.name) == model.namedParameters.map(\.name))
    #expect(plan.parameters.map(\.shape) == model.namedParameters.map(\.parameter.shape))
    #expect(plan.inputShapes == [[6]] && plan.outputShapes == [[2]])
  }
}
