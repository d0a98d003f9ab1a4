import Foundation

/// The checkpoints and expected values written by scripts/golden/torch_fixtures.py.
enum TorchFixtures {
  /// The path of the committed fixture `Fixtures/name`.
  static func path(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw ModelFixtures.FixtureMissing(name: name)
    }
    return url.path
  }

  /// torch_fixtures.json.
  struct Expected: Decodable {
    struct Tensor: Decodable {
      var name: String
      var dtype: String
      var shape: [Int]
      var values: [Double]
    }
    var tensors: [Tensor]
    /// Our parameter path → values in our layout.
    var ours: [String: [Double]]
    /// The tiny model's input `[5, 5, 3]` and numpy output `[2]`.
    var input: [Double]
    var output: [Double]
  }

  static func expected() throws -> Expected {
    try JSONDecoder().decode(
      Expected.self, from: Data(contentsOf: URL(fileURLWithPath: path("torch_fixtures.json"))))
  }
}
