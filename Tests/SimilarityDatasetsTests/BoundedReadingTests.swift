import Foundation
import Testing

@testable import SimilarityDatasets

/// Data files are read only as far as their headers (or the catalogue) say they reach: a gzip
/// "bomb" stops inflating one byte past the expected size, and devices or files whose header
/// promises more than they hold are refused before their data is read.
@Suite struct BoundedReadingTests {
  private func bomb() throws -> Data {
    try Data(contentsOf: TestSupport.fixture("tiny-labels-bomb.gz"))
  }

  @Test func inflatingStopsOneBytePastTheLimit() throws {
    // 4 KB that inflate to 4 MiB + 11 bytes.
    let data = try bomb()
    #expect(data.count < 5000)
    #expect(throws: GzipError.tooLarge(file: "b.gz", limit: 11)) {
      try Gzip.decompress(data, file: "b.gz", maximumBytes: 11)
    }
    #expect(try Gzip.decompress(data, file: "b.gz", maximumBytes: (4 << 20) + 11).count == (4 << 20) + 11)
    #expect(try Gzip.prefix(8, of: data, file: "b.gz") == Data([0, 0, 8, 1, 0, 0, 0, 3]))
    let error = GzipError.tooLarge(file: "b.gz", limit: 11)
    #expect("\(error)".hasPrefix("b.gz: gzip data inflates past 11 bytes, the expected size"))
  }

  @Test func anIDXFileInflatesOnlyAsFarAsItsHeaderDeclares() throws {
    let url = try TestSupport.fixture("tiny-labels-bomb.gz")
    // The header declares 3 labels: 11 bytes in all.
    #expect(throws: GzipError.tooLarge(file: url.path, limit: 11)) {
      try IDXFile.read(from: url)
    }
  }

  @Test func aCataloguedFileInflatesOnlyToItsKnownSize() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = ImageDataset.SplitFiles(
      images: .init(name: "tiny-images-idx3-ubyte", md5: "0", byteCount: 28),
      labels: .init(name: "tiny-labels-idx1-ubyte", md5: "0", byteCount: 11))
    let dataset = ImageDataset(
      name: "Tiny", cacheName: "tiny", train: files, test: files, classNames: ["a", "b", "c"],
      searchPaths: [], mirrors: [])
    try FileManager.default.copyItem(
      at: TestSupport.fixture("tiny-images-idx3-ubyte.gz"),
      to: root.appendingPathComponent("tiny-images-idx3-ubyte.gz"))
    let labels = root.appendingPathComponent("tiny-labels-idx1-ubyte.gz")
    try FileManager.default.copyItem(at: TestSupport.fixture("tiny-labels-bomb.gz"), to: labels)
    // Stopped at the catalogue's 11 bytes, before the checksum is even computed.
    #expect(throws: GzipError.tooLarge(file: labels.path, limit: 11)) {
      try dataset.load(.train, from: root, verifyChecksums: false)
    }
  }

  @Test func devicesAreRefusedByName() throws {
    #expect(throws: NPYError.io(file: "/dev/zero", message: "is a character device, expected a regular .npy file")) {
      try NPYFile.read(from: URL(fileURLWithPath: "/dev/zero"))
    }
    #expect(throws: IDXError.io(file: "/dev/zero", message: "is a character device, expected a regular IDX file (optionally gzipped)")) {
      try IDXFile.read(from: URL(fileURLWithPath: "/dev/zero"))
    }
  }

  @Test func aHeaderPromisingMoreThanTheFileIsCheckedBeforeReading() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    // A valid 2×3 float32 array padded out to a 64 GiB sparse file: reading it whole would
    // exhaust memory; the header's 24 data bytes are compared with the size first.
    let url = root.appendingPathComponent("big.npy")
    try FileManager.default.copyItem(at: TestSupport.fixture("f4_2x3.npy"), to: url)
    #expect(truncate(url.path, 64 << 30) == 0)
    #expect(throws: NPYError.dataLength(file: url.path, expectedBytes: 24, foundBytes: (64 << 30) - 128)) {
      try NPYFile.read(from: url)
    }
    let idx = root.appendingPathComponent("big-idx1-ubyte")
    try FileManager.default.copyItem(at: TestSupport.fixture("tiny-labels-idx1-ubyte"), to: idx)
    #expect(truncate(idx.path, 64 << 30) == 0)
    #expect(throws: IDXError.dataLength(file: idx.path, shape: [3], expectedBytes: 3, foundBytes: (64 << 30) - 8)) {
      try IDXFile.read(from: idx)
    }
  }
}
