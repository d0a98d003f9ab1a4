import Foundation
import Testing

@testable import SimilarityDatasets

/// Gzip fixtures come from Fixtures/make_fixtures.py (Python's gzip module, mtime 0).
@Suite struct GzipTests {
  private func fixtureData(_ name: String) throws -> Data {
    try Data(contentsOf: TestSupport.fixture(name))
  }

  @Test func decompressesToTheRawFile() throws {
    let raw = try fixtureData("tiny-images-idx3-ubyte")
    let compressed = try fixtureData("tiny-images-idx3-ubyte.gz")
    #expect(Gzip.isGzip(compressed) && !Gzip.isGzip(raw))
    #expect(try Gzip.decompress(compressed, file: "x.gz") == raw)
  }

  @Test func concatenatedMembersDecompressToTheirConcatenation() throws {
    let raw = try fixtureData("tiny-images-idx3-ubyte")
    #expect(try Gzip.decompress(fixtureData("tiny-images-two-members.gz"), file: "x.gz") == raw)
  }

  @Test func everyTruncationIsAnError() throws {
    let compressed = try fixtureData("tiny-images-idx3-ubyte.gz")
    for length in 2..<compressed.count {
      #expect(throws: (any Error).self, "cut at \(length) bytes") {
        try Gzip.decompress(compressed.prefix(length), file: "cut.gz")
      }
    }
    // Cutting inside the compressed blocks (before the 8-byte trailer) reports truncation.
    #expect(throws: GzipError.truncated(file: "cut.gz", compressedBytes: 20)) {
      try Gzip.decompress(compressed.prefix(20), file: "cut.gz")
    }
  }

  @Test func corruptDataNamesTheFileAndZlibsReason() throws {
    var compressed = try fixtureData("tiny-images-idx3-ubyte.gz")
    compressed[compressed.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
    #expect {
      try Gzip.decompress(compressed, file: "bad.gz")
    } throws: { error in
      guard case GzipError.corrupt(let file, let message) = error else { return false }
      return file == "bad.gz" && message.contains("check")
    }
    var badMethod = try fixtureData("tiny-images-idx3-ubyte.gz")
    badMethod[2] = 7  // compression method 7 does not exist
    #expect {
      try Gzip.decompress(badMethod, file: "bad.gz")
    } throws: { error in
      guard case GzipError.corrupt(let file, _) = error else { return false }
      return file == "bad.gz"
    }
  }

  @Test func nonGzipDataAndTrailingGarbageAreRejected() throws {
    #expect(throws: GzipError.notGzip(file: "plain")) {
      try Gzip.decompress(Data([0, 0, 8, 1]), file: "plain")
    }
    let compressed = try fixtureData("tiny-labels-idx1-ubyte.gz")
    #expect(try Gzip.decompress(compressed + Data(count: 5), file: "padded.gz").count == 11)
    #expect {
      try Gzip.decompress(compressed + Data([1, 2, 3]), file: "junk.gz")
    } throws: { error in
      guard case GzipError.corrupt(let file, let message) = error else { return false }
      return file == "junk.gz" && message.contains("trailing")
    }
  }
}
