import Foundation
import SimilaritySearch
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct PersistenceTests {
  func readBytes(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { return [] }
    defer { fclose(f) }
    var out = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&buffer, 1, buffer.count, f)
      if n == 0 { break }
      out.append(contentsOf: buffer[0..<n])
    }
    return out
  }

  func writeBytes(_ bytes: [UInt8], _ path: String) {
    let f = fopen(path, "wb")!
    _ = fwrite(bytes, 1, bytes.count, f)
    fclose(f)
  }

  func makeHNSW() throws -> HNSWIndex {
    let (data, labels) = TestData.clustered(count: 400, dimension: 7, clusters: 4, seed: 71)
    let index = HNSWIndex(dimension: 7, distance: .cosine, maxConnections: 8, seed: 4)
    try index.add(vectors: data, ids: (0..<400).map { $0 * 3 }, labels: labels,
                  payloads: labels.map { Array(repeating: UInt8($0), count: $0) })
    for id in stride(from: 0, to: 60, by: 3) { try index.remove(id: id) }
    return index
  }

  @Test func hnswRoundTripGivesIdenticalResults() throws {
    let index = try makeHNSW()
    let path = TestData.temporaryPath("hnsw")
    defer { unlink(path) }
    try index.write(to: path)
    let loaded = try HNSWIndex(contentsOf: path)
    #expect(loaded.checkInvariants().isEmpty)
    #expect(loaded.count == index.count && loaded.efSearch == index.efSearch)
    let queries = TestData.gaussian(count: 25, dimension: 7, seed: 72)
    #expect(try loaded.search(queries: queries, k: 8) == index.search(queries: queries, k: 8))
    // The generic loader picks the right kind; a later add reuses the same slot in both.
    let generic = try loadIndex(from: path)
    #expect(generic is HNSWIndex)
    let v = TestData.row(queries, 0, 7)
    try index.add(v, id: 5000)
    try loaded.add(v, id: 5000)
    #expect(try loaded.search(queries: queries, k: 8) == index.search(queries: queries, k: 8))
  }

  @Test func exactRoundTrip() throws {
    let data = TestData.gaussian(count: 100, dimension: 3, seed: 73)
    let index = ExactIndex(dimension: 3, distance: .manhattan)
    try index.add(vectors: data, ids: nil, labels: (0..<100).map { $0 % 2 == 0 ? $0 : nil },
                  payloads: nil)
    let path = TestData.temporaryPath("exact")
    defer { unlink(path) }
    try index.write(to: path)
    let loaded = try loadIndex(from: path)
    #expect(loaded is ExactIndex)
    let q = TestData.gaussian(count: 5, dimension: 3, seed: 74)
    #expect(try loaded.search(queries: q, k: 4) == index.search(queries: q, k: 4))
  }

  func loadError(_ bytes: [UInt8]) -> IndexFileError? {
    let path = TestData.temporaryPath("bad")
    defer { unlink(path) }
    writeBytes(bytes, path)
    do {
      _ = try loadIndex(from: path)
      return nil
    } catch {
      guard case .file(let fileError) = error else { return nil }
      #expect(fileError.description.contains(path))
      return fileError
    }
  }

  @Test func damagedFilesThrowClearErrors() throws {
    let path = TestData.temporaryPath("good")
    defer { unlink(path) }
    try makeHNSW().write(to: path)
    let good = readBytes(path)
    #expect(good.count > 1000)

    #expect(loadError(Array(good.prefix(good.count / 2)))?.kind == .truncated)
    #expect(loadError(Array(good.prefix(10)))?.kind == .truncated)
    #expect(loadError([])?.kind == .truncated)
    var flipped = good
    flipped[good.count / 2] ^= 0x40
    #expect(loadError(flipped)?.kind == .checksumMismatch)
    var magic = good
    magic[0] = 0x50
    #expect(loadError(magic)?.kind == .badMagic)
    var future = good
    future[8] = 9
    let versionError = loadError(future)
    #expect(versionError?.kind == .unsupportedVersion)
    #expect(versionError?.detail.contains("found 9") == true)
    #expect(loadError(good + [0, 0, 0])?.kind != nil)
    #expect(throws: SearchError.self) { try HNSWIndex(contentsOf: path + ".missing") }
  }

  /// Fields that pass the checksum but are out of range (found by fuzzing) throw, not trap.
  @Test func checksumValidButInconsistentFilesThrow() throws {
    let index = HNSWIndex(dimension: 2, distance: .euclidean, maxConnections: 3, seed: 1)
    try index.add(vectors: TestData.gaussian(count: 10, dimension: 2, seed: 75))
    try index.remove(id: 4)
    let path = TestData.temporaryPath("patched")
    defer { unlink(path) }
    try index.write(to: path)
    let good = readBytes(path)
    // Header 40 + HNSW fields 60, vectors 80, ids 80, flags 10, labels 80, lengths 80.
    let freeListOffset = 100 + 80 + 80 + 10 + 80 + 80
    var hugeSlot = good
    for i in 0..<8 { hugeSlot[freeListOffset + i] = 0xFF }
    #expect(loadError(TestData.withValidChecksum(hugeSlot))?.kind == .corrupt)
    var badLink = good
    let level0Offset = freeListOffset + 8 + 10
    badLink[level0Offset + 4] = 0xEE  // first layer-0 link of slot 0 → out of range
    #expect(loadError(TestData.withValidChecksum(badLink))?.kind == .corrupt)
    #expect(loadError(TestData.withValidChecksum(good)) == nil)
  }

  @Test func wrongKindIsReported() throws {
    let path = TestData.temporaryPath("kind")
    defer { unlink(path) }
    let exact = ExactIndex(dimension: 2, distance: .euclidean)
    try exact.add([1, 2])
    try exact.write(to: path)
    #expect(throws: SearchError.self) { try HNSWIndex(contentsOf: path) }
  }

  @Test func saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws {
    let path = TestData.temporaryPath("atomic")
    defer { unlink(path) }
    let index = ExactIndex(dimension: 2, distance: .euclidean)
    try index.add([1, 2])
    try index.write(to: path)
    try index.add([3, 4])
    try index.write(to: path)
    #expect(try loadIndex(from: path).count == 2)
    let name = String(path.split(separator: "/").last!)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
      $0.hasPrefix("." + name) || $0.hasPrefix(name + ".tmp")
    }
    #expect(leftovers.isEmpty, "\(leftovers)")
  }

  @Test func aSymbolicLinkIsUpdatedInPlaceAndADirectoryIsRefused() throws {
    let target = TestData.temporaryPath("link-target")
    let link = target + ".link"
    defer { unlink(target); unlink(link) }
    let index = ExactIndex(dimension: 2, distance: .euclidean)
    try index.add([1, 2])
    try index.write(to: target)
    #expect(symlink(target, link) == 0)
    try index.add([3, 4])
    try index.write(to: link)
    var status = stat()
    #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
    #expect(try loadIndex(from: target).count == 2)
    #expect {
      try index.write(to: "/tmp")
    } throws: { error in
      guard case SearchError.file(let file) = error else { return false }
      return file.kind == .io && file.path == "/tmp" && file.description.contains("is a directory")
    }
  }
}
