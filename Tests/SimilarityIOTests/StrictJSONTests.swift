import Foundation
import Testing

@testable import SimilarityIO

/// `StrictJSON` rejects what `JSONDecoder` accepts silently or reports without a location.
@Suite struct StrictJSONTests {
  private func failure(_ text: String) -> StrictJSON.SyntaxError? {
    #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.check(Array(text.utf8)) }
  }

  @Test func duplicateKeysAreRejectedWithTheirPlace() throws {
    // JSONDecoder keeps one of the two values without a word.
    struct Manifest: Decodable { var dimension: Int }
    let text = "{\"layers\": [{}, {\"units\": 1,\n  \"units\": 2}]}"
    let error = try #require(failure(text))
    #expect(error.message.hasPrefix("duplicate key \"units\""))
    #expect(error.path == "layers[1]")
    #expect((error.line, error.column) == (2, 3))
    #expect(
      try JSONDecoder().decode(Manifest.self, from: Data("{\"dimension\": 1, \"dimension\": 2}".utf8))
        .dimension == 1)
  }

  @Test func keysAreComparedAfterUnescaping() throws {
    let error = try #require(failure("{\"a\": 1, \"\\u0061\": 2}"))
    #expect(error.message.hasPrefix("duplicate key \"a\""))
    // The same key in different objects is fine.
    #expect(try StrictJSON.check(Array("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}".utf8)).isEmpty)
  }

  @Test func numbersBeyondDoubleAreRejectedByPath() throws {
    let error = try #require(failure("{\"index\": {\"dimension\": 1e400}}"))
    #expect(error.message == "the number 1e400 is out of range (beyond ±1.8e308)")
    #expect(error.path == "index.dimension")
  }

  @Test func malformedDocumentsAreRejected() throws {
    for text in [
      "", "{", "{\"a\" 1}", "[1,]", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": tru}", "[1] 2",
      "{\"a\": \"x\ny\"}", "{\"a\": \"\\q\"}", "{'a': 1}", String(repeating: "[", count: 300),
    ] {
      #expect(failure(text) != nil, "\(text.prefix(20))")
    }
  }

  @Test func validDocumentsPassAndReportInexactNumbers() throws {
    let numbers = try StrictJSON.check(
      Array("{\"a\": [1, -2, 0.5, 1e3, 99999999999999999999], \"b\": \"\\ud83d\\ude00\", \"c\": null, \"d\": true}".utf8))
    #expect(numbers.map(\.text) == ["0.5", "1e3", "99999999999999999999"])
    #expect(numbers.map(\.path) == ["a[2]", "a[3]", "a[4]"])
  }

  @Test func decodingFailuresNameTheFieldAndTheNumber() throws {
    struct Manifest: Decodable { var dimension: Int }
    // Foundation alone says only "The given data was not valid JSON" for both.
    let overflow = #expect(throws: FileReadError.self) {
      _ = try JSONFile.decode(
        Manifest.self, from: Array("{\"dimension\": 99999999999999999999}".utf8),
        path: "m.json", what: "a model manifest")
    }
    #expect(overflow?.kind == .invalidJSON)
    #expect(overflow?.description.hasPrefix("m.json: not a model manifest: a number does not fit") == true)
    #expect(overflow?.description.contains("99999999999999999999 at dimension") == true)
    let wrongType = #expect(throws: FileReadError.self) {
      _ = try JSONFile.decode(
        Manifest.self, from: Array("{\"dimension\": \"64\"}".utf8), path: "m.json",
        what: "a model manifest")
    }
    #expect(wrongType?.description.hasPrefix("m.json: not a model manifest: at dimension:") == true)
    let missing = #expect(throws: FileReadError.self) {
      _ = try JSONFile.decode(
        Manifest.self, from: Array("{}".utf8), path: "m.json", what: "a model manifest")
    }
    #expect(missing?.description == "m.json: not a model manifest: missing key \"dimension\"")
  }
}
