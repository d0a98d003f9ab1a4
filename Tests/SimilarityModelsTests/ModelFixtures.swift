import Foundation
import SimilarityModels

/// Golden values written by the scripts in `scripts/golden/` (see Fixtures/README.md).
enum ModelFixtures {
  /// The committed fixture `Fixtures/name` as UTF-8 text.
  static func text(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw FixtureMissing(name: name)
    }
    return String(decoding: try Data(contentsOf: url), as: UTF8.self)
  }

  struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "test fixture Fixtures/\(name) is not in the test bundle" }
  }
}

/// Uniform values in [−1, 1) from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = SplitMix64(seed: seed)
  let count = shape.reduce(1, *)
  return Tensor(shape: shape, scalars: (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 })
}
