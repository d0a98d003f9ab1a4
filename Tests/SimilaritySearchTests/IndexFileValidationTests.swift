import Foundation
import SimilaritySearch
import Testing

/// Index files are checked before they are trusted: the path must be a regular file, the header
/// must declare exactly the file's size before any array is read, and the contents must be in
/// the form the writer produces even when the checksum was recomputed after an edit.
@Suite struct IndexFileValidationTests {
  private func loadError(_ path: String) -> IndexFileError? {
    do {
      _ = try loadIndex(from: path)
      return nil
    } catch {
      guard case .file(let fileError) = error else { return nil }
      return fileError
    }
  }

  private func loadError(_ bytes: [UInt8]) throws -> IndexFileError? {
    let path = TestData.temporaryPath("validation")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return loadError(path)
  }

  /// An exact index of 3 items of dimension 2: header 40 bytes, vectors 24, ids 24, flags 3,
  /// labels 24, payload lengths 24, payloads, checksum 8.
  private func exactFile(distance: Distance, payloads: [[UInt8]?]) throws -> [UInt8] {
    let index = ExactIndex(dimension: 2, distance: distance)
    try index.add(vectors: [1, 0, 0, 2, 3, 4], ids: nil, labels: [7, nil, 9], payloads: payloads)
    let path = TestData.temporaryPath("exact-layout")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try index.write(to: path)
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test func devicesAndDirectoriesAreNamedNotRead() throws {
    // Reading /dev/zero to its end used to take all memory.
    let device = try #require(loadError("/dev/zero"))
    #expect(device.kind == .notRegularFile)
    #expect(device.description == "/dev/zero: is a character device, expected a regular .simx index file")
    let directory = try #require(loadError(NSTemporaryDirectory()))
    #expect(directory.kind == .notRegularFile)
    #expect(directory.description.hasSuffix("is a directory, expected a regular .simx index file"))
    let missing = try #require(loadError("/nonexistent/index.simx"))
    #expect(missing.kind == .missing)
  }

  @Test func theDeclaredSizeIsCheckedBeforeTheArraysAreRead() throws {
    // A 64 GiB sparse file behind a valid header of 3 items: reading it whole would exhaust
    // memory; the header says 231 bytes, so the file is refused after 100.
    let good = try exactFile(distance: .euclidean, payloads: [nil, nil, nil])
    let path = TestData.temporaryPath("sparse")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(good).write(to: URL(fileURLWithPath: path))
    #expect(truncate(path, 64 << 30) == 0)
    let error = try #require(loadError(path))
    #expect(error.kind == .corrupt)
    #expect(error.detail == "the header declares \(good.count) bytes, the file has \(64 << 30) (trailing data)")
    // A header promising more items than the file can hold is refused before allocating.
    var huge = good
    for i in 0..<8 { huge[24 + i] = i == 7 ? 0x10 : 0 }
    #expect(try loadError(huge)?.kind == .truncated)
  }

  @Test func cosineRowsThatAreNotUnitLengthAreRefused() throws {
    var bytes = try exactFile(distance: .cosine, payloads: [nil, nil, nil])
    // Row 1 is stored as (0, 1); make it (0, 2).
    let two = Float(2).bitPattern
    for i in 0..<4 { bytes[40 + 12 + i] = UInt8(truncatingIfNeeded: two >> (8 * UInt32(i))) }
    let error = try #require(try loadError(TestData.withValidChecksum(bytes)))
    #expect(error.kind == .corrupt)
    #expect(error.detail == "vector 1 has length 2.0; a cosine index stores unit-length vectors")
  }

  @Test func aClearedLabelFlagOverAStoredLabelIsRefused() throws {
    var bytes = try exactFile(distance: .euclidean, payloads: [nil, nil, nil])
    let flags = 40 + 24 + 24
    #expect(bytes[flags] == 2)  // item 0 has label 7
    bytes[flags] = 0
    let error = try #require(try loadError(TestData.withValidChecksum(bytes)))
    #expect(error.kind == .corrupt)
    #expect(error.detail == "item 0 has no label (flag bit 1 clear) but stores label 7; expected 0")
  }

  @Test func shiftedPayloadLengthsAreRefused() throws {
    var bytes = try exactFile(distance: .euclidean, payloads: [[1, 2], nil, [3]])
    let lengths = 40 + 24 + 24 + 3 + 24
    // Lengths 2, 0, 1 shifted to 0, 2, 1: same total, but item 1 has no payload.
    bytes[lengths] = 0
    bytes[lengths + 8] = 2
    let error = try #require(try loadError(TestData.withValidChecksum(bytes)))
    #expect(error.kind == .corrupt)
    #expect(error.detail == "item 1 has no payload (flag bit 2 clear) but a payload length of 2 bytes; expected 0")
  }

  @Test func soundIndexesPassTheirInvariantChecks() throws {
    let exact = ExactIndex(dimension: 3, distance: .cosine)
    try exact.add(vectors: TestData.gaussian(count: 20, dimension: 3, seed: 5))
    #expect(exact.checkInvariants().isEmpty)
    let hnsw = HNSWIndex(dimension: 3, distance: .cosine, maxConnections: 4, seed: 2)
    try hnsw.add(vectors: TestData.gaussian(count: 50, dimension: 3, seed: 6), ids: nil,
                 labels: (0..<50).map { $0 % 3 == 0 ? nil : $0 % 2 }, payloads: nil)
    try hnsw.remove(id: 4)
    #expect(hnsw.checkInvariants().isEmpty)
    let summary = hnsw.itemSummary
    #expect(summary.labelCounts.values.reduce(0, +) + summary.unlabelledCount == 49)
    #expect(summary.withoutPayloadCount == 49)
  }
}
