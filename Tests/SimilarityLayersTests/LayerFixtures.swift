import Foundation

/// Golden values written by the scripts in `scripts/golden/` (see Fixtures/README.md).
enum LayerFixtures {
  /// The contents of the committed fixture `Fixtures/name`.
  static func data(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw FixtureMissing(name: name)
    }
    return try Data(contentsOf: url)
  }

  /// The fixture `Fixtures/name` decoded from JSON as `T`.
  static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
    try JSONDecoder().decode(T.self, from: data(name))
  }

  /// The fixture `Fixtures/name` as UTF-8 text (a Keras summary, say).
  static func text(_ name: String) throws -> String {
    String(decoding: try data(name), as: UTF8.self)
  }

  struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "test fixture Fixtures/\(name) is not in the test bundle" }
  }
}
