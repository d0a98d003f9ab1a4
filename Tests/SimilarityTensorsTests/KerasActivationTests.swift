import Foundation
import Testing

@testable import SimilarityTensors

/// The Keras activations added for the layer tour against their definitions in Double, and
/// their derivatives against finite differences (inputs kept away from the kinks).
@Suite struct KerasActivationTests {
  static var cases: [(name: String, op: (Tensor) -> Tensor, reference: (Double) -> Double, kinks: [Float])] { [
    ("relu6", { $0.relu6() }, { min(max($0, 0), 6) }, [0, 6]),
    ("swish", { $0.swish() }, { $0 / (1 + exp(-$0)) }, []),
    ("hardSigmoid", { $0.hardSigmoid() }, { min(max(0.2 * $0 + 0.5, 0), 1) }, [-2.5, 2.5]),
    ("hardSwish", { $0.hardSwish() }, { $0 * min(max($0 + 3, 0), 6) / 6 }, [-3, 3]),
    ("elu", { $0.elu() }, { $0 > 0 ? $0 : exp($0) - 1 }, [0]),
    ("elu 0.3", { $0.elu(alpha: 0.3) }, { $0 > 0 ? $0 : 0.3 * (exp($0) - 1) }, [0]),
    ("selu", { $0.selu() }, { 1.0507009873554805 * ($0 > 0 ? $0 : 1.6732632423543772 * (exp($0) - 1)) }, [0]),
    ("softsign", { $0.softsign() }, { $0 / (1 + abs($0)) }, []),
  ] }

  @Test func valuesEqualDefinitions() {
    let x = Tensor(shape: [14], scalars: [-40, -8, -3.5, -2.5, -1, -0.25, 0, 0.25, 1, 2.5, 3.5, 6, 8, 40])
    for c in Self.cases {
      let y = c.op(x)
      for (input, output) in zip(x.scalars, y.scalars) {
        let want = c.reference(Double(input))
        #expect(abs(Double(output) - want) <= 1e-6 * max(1, abs(want)), "\(c.name)(\(input)) = \(output), want \(want)")
      }
    }
  }

  @Test func gradientsMatchFiniteDifferences() {
    for (index, c) in Self.cases.enumerated() {
      let x = Sample.tensor([3, 11], seed: UInt64(40 + index), range: -5...7, awayFrom: c.kinks)
      let result = GradientCheck().worstError([x]) { c.op($0[0]) }
      #expect(result.ratio <= 1, "\(c.name): \(result.detail)")
    }
  }
}
