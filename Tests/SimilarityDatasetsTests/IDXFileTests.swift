import Foundation
import Testing

@testable import SimilarityDatasets

/// IDX files built byte by byte: magic 00 00 <type> <rank>, big-endian UInt32 sizes, data.
@Suite struct IDXFileTests {
  private func idx(type: UInt8 = 0x08, dims: [UInt32], data: [UInt8]) -> Data {
    Data([0, 0, type, UInt8(dims.count)] + dims.flatMap(TestSupport.bigEndian) + data)
  }

  @Test func readsRawAndGzippedFixturesAlike() throws {
    for name in ["tiny-images-idx3-ubyte", "tiny-images-idx3-ubyte.gz"] {
      let images = try IDXFile.read(from: TestSupport.fixture(name))
      #expect(images.dataType == .uint8)
      #expect(images.shape == [3, 2, 2])
      #expect(images.bytes == Array(0..<12))
    }
    let labels = try IDXFile.read(from: TestSupport.fixture("tiny-labels-idx1-ubyte.gz"))
    #expect(labels.shape == [3])
    #expect(labels.bytes == [2, 0, 1])
  }

  @Test func decodesOtherElementTypesAsRawBigEndianBytes() throws {
    let int16 = try IDXFile.decode(
      idx(type: 0x0B, dims: [2], data: [0x01, 0x02, 0xFF, 0xFE]), file: "s")
    #expect(int16.dataType == .int16)
    #expect(int16.bytes == [0x01, 0x02, 0xFF, 0xFE])
    let float64 = try IDXFile.decode(
      idx(type: 0x0E, dims: [1, 1], data: [UInt8](repeating: 0, count: 8)), file: "d")
    #expect(float64.shape == [1, 1])
    #expect(IDXArray.DataType.allCases.map(\.itemSize) == [1, 1, 2, 4, 4, 8])
  }

  @Test func aBadMagicIsNamed() {
    #expect(throws: IDXError.badMagic(file: "m", found: [0x1F, 0x8C, 8, 1])) {
      try IDXFile.decode(Data([0x1F, 0x8C, 8, 1, 0, 0, 0, 0]), file: "m")
    }
    #expect(throws: IDXError.badMagic(file: "m", found: [0x89, 0x50])) {
      try IDXFile.decode(Data([0x89, 0x50]), file: "m")
    }
  }

  @Test func unknownTypesAndRankZeroAreRejected() {
    #expect(throws: IDXError.unsupportedDataType(file: "t", code: 0x0A)) {
      try IDXFile.decode(idx(type: 0x0A, dims: [1], data: [0]), file: "t")
    }
    #expect(
      throws: IDXError.unexpectedRank(file: "r", expected: "at least one dimension", found: 0)
    ) {
      try IDXFile.decode(idx(dims: [], data: []), file: "r")
    }
  }

  @Test func truncatedHeadersAreReported() {
    #expect(throws: IDXError.truncatedHeader(file: "h", expectedBytes: 4, foundBytes: 0)) {
      try IDXFile.decode(Data(), file: "h")
    }
    let full = idx(dims: [3, 2, 2], data: Array(0..<12))
    #expect(throws: IDXError.truncatedHeader(file: "h", expectedBytes: 16, foundBytes: 10)) {
      try IDXFile.decode(full.prefix(10), file: "h")
    }
  }

  @Test func dataLengthMustMatchTheDimensions() {
    #expect(
      throws: IDXError.dataLength(file: "d", shape: [3, 2, 2], expectedBytes: 12, foundBytes: 11)
    ) {
      try IDXFile.decode(idx(dims: [3, 2, 2], data: Array(0..<11)), file: "d")
    }
    #expect(
      throws: IDXError.dataLength(file: "d", shape: [2, 2], expectedBytes: 4, foundBytes: 12)
    ) {
      try IDXFile.decode(idx(dims: [2, 2], data: Array(0..<12)), file: "d")
    }
    let int32 = idx(type: 0x0C, dims: [3], data: Array(repeating: 0, count: 3))
    #expect(throws: IDXError.dataLength(file: "d", shape: [3], expectedBytes: 12, foundBytes: 3)) {
      try IDXFile.decode(int32, file: "d")
    }
    let description = IDXError.dataLength(file: "d", shape: [3], expectedBytes: 12, foundBytes: 3)
      .description
    #expect(description.contains("truncated"))
  }

  @Test func aTruncatedGzipFileIsAGzipErrorNamingTheFile() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed = try Data(contentsOf: TestSupport.fixture("tiny-images-idx3-ubyte.gz"))
    let url = directory.appendingPathComponent("cut-images-idx3-ubyte.gz")
    try compressed.prefix(compressed.count - 3).write(to: url)
    #expect {
      try IDXFile.read(from: url)
    } throws: { error in
      (error as? GzipError).map { "\($0)".contains(url.path) } ?? false
    }
  }

  @Test func aMissingFileIsAnIOError() {
    let url = URL(fileURLWithPath: "/nonexistent/train-images-idx3-ubyte.gz")
    #expect {
      try IDXFile.read(from: url)
    } throws: { error in
      guard case IDXError.io(let file, _) = error else { return false }
      return file == url.path
    }
  }
}
