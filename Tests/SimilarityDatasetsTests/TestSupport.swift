import Foundation

/// Helpers shared by the SimilarityDatasets tests.
enum TestSupport {
  /// A committed fixture file (see Fixtures/make_fixtures.py for how the .npy ones were made).
  static func fixture(_ name: String) throws -> URL {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
      throw FixtureMissing(name: name)
    }
    return url
  }

  struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "test fixture Fixtures/\(name) is not in the test bundle" }
  }

  /// A fresh empty directory under the system temporary directory; the caller removes it.
  static func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("swift-similarity-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Big-endian bytes of a 32-bit value, as IDX headers store their dimensions.
  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [
      UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF),
      UInt8(value & 0xFF),
    ]
  }
}
