import Testing

@testable import SimilarityLayers

/// Damaged graph descriptions never trap: a few thousand random edits of valid descriptions
/// (references, call and tensor indices, shapes, sizes, axes, removed or repeated layers) either
/// plan and build a working model or throw an ``ArchitectureError``.
@Suite struct FunctionalRobustnessTests {
  private typealias Reference = Functional.TensorReference

  private static func pick(_ values: [Int], _ generator: inout SplitMix64) -> Int {
    values[Int(generator.next() % UInt64(values.count))]
  }

  private static let awkward = [-1, 0, 1, 2, 3, 4, 7, 1 << 20, (1 << 20) + 1, Int.max]

  /// One random edit of `configuration`.
  private static func mutate(
    _ configuration: Functional.Configuration, _ generator: inout SplitMix64
  ) -> Functional.Configuration {
    var c = configuration
    let names = c.layers.map(\.layer.layerName) + ["nope", ""]
    let index = Int(generator.next() % UInt64(c.layers.count))
    switch generator.next() % 9 {
    case 0, 1:
      guard !c.layers[index].inboundNodes.isEmpty else { break }
      let call = Int(generator.next() % UInt64(c.layers[index].inboundNodes.count))
      let count = c.layers[index].inboundNodes[call].count
      guard count > 0 else { break }
      let position = Int(generator.next() % UInt64(count))
      var reference = c.layers[index].inboundNodes[call][position]
      switch generator.next() % 3 {
      case 0: reference.layer = names[Int(generator.next() % UInt64(names.count))]
      case 1: reference.node = pick([-1, 0, 1, 2, Int.max], &generator)
      default: reference.tensor = pick([-1, 0, 1, 2, Int.max], &generator)
      }
      c.layers[index].inboundNodes[call][position] = reference
    case 2:
      if case .input(var input) = c.layers[index].layer {
        input.shape = (0..<pick([0, 1, 2, 3, 9], &generator)).map { _ in pick(awkward, &generator) }
        c.layers[index].layer = .input(input)
      }
    case 3:
      switch c.layers[index].layer {
      case .dense(var dense):
        dense.units = pick(awkward, &generator)
        c.layers[index].layer = .dense(dense)
      case .concatenate(var concatenate):
        concatenate.axis = pick([-4, -3, -2, -1, 0, 1, 2, 3, Int.min, Int.max], &generator)
        c.layers[index].layer = .concatenate(concatenate)
      case .conv2D(var conv):
        conv.kernelSize = [pick(awkward, &generator), pick(awkward, &generator)]
        c.layers[index].layer = .conv2D(conv)
      default: break
      }
    case 4: c.layers.remove(at: index)
    case 5: c.layers.append(c.layers[index])
    case 6:
      guard !c.layers[index].inboundNodes.isEmpty else { break }
      c.layers[index].inboundNodes.append(c.layers[index].inboundNodes[0])
    case 7:
      c.outputLayers.append(Reference(layer: names[Int(generator.next() % UInt64(names.count))]))
    default:
      c.inputLayers = c.inputLayers.shuffled(using: &generator) + (generator.next() % 2 == 0 ? [] : [c.inputLayers[0]])
    }
    return c
  }

  @Test func randomEditsThrowOrBuildWorkingModels() throws {
    let originals = try [
      GraphModels.residualBlock().functionalConfiguration(),
      GraphModels.sharedLayer().functionalConfiguration(),
      GraphModels.nestedModel().functionalConfiguration(),
      GraphModels.multipleOutputs().functionalConfiguration(),
      GraphModels.twoInputsTwoOutputs().functionalConfiguration(),
    ]
    var generator = SplitMix64(seed: 15)
    var built = 0
    var refused = 0
    for round in 0..<2000 {
      var configuration = originals[round % originals.count]
      for _ in 0..<(1 + Int(generator.next() % 3)) {
        configuration = Self.mutate(configuration, &generator)
      }
      guard let plan = try? GraphPlan(configuration), plan.parameterCount < 1 << 20,
        plan.inputShapes.allSatisfy({ $0.reduce(1, *) <= 1 << 12 })
      else {
        refused += 1
        continue
      }
      let model = try Functional(configuration: configuration)
      #expect(model.parameterCount == plan.parameterCount)
      let outputs = model(plan.inputShapes.enumerated().map { randomTensor([2] + $1, seed: UInt64($0)) })
      #expect(outputs.map { Array($0.shape.dropFirst()) } == plan.outputShapes)
      built += 1
    }
    #expect(built > 100 && refused > 500)
  }
}

extension Array {
  /// A deterministic shuffle drawing from `generator`.
  fileprivate func shuffled(using generator: inout SplitMix64) -> [Element] {
    var copy = self
    for index in copy.indices.dropLast() {
      let other = index + Int(generator.next() % UInt64(copy.count - index))
      copy.swapAt(index, other)
    }
    return copy
  }
}
