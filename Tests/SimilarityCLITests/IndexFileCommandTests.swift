import Foundation
import Testing

/// The index commands refuse what they cannot read (devices, edited files) by name, refuse to
/// write what they could not read back, and refuse options that would be silently ignored.
@Suite struct IndexFileCommandTests {
  /// Four 3-dimensional vectors with ids -3, 5, 7, 9 in `directory`; returns the paths.
  private func vectors(in directory: URL) throws -> (vectors: String, ids: String) {
    let vectors = directory.appendingPathComponent("v.npy")
    try NPYWriter.floats([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0], shape: [4, 3], to: vectors)
    let ids = directory.appendingPathComponent("ids.npy")
    try NPYWriter.integers([-3, 5, 7, 9], shape: [4], to: ids)
    return (vectors.path, ids.path)
  }

  @Test func devicesAreNamedInsteadOfReadForever() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = try vectors(in: directory)
    // Each of these used to read /dev/zero until memory ran out.
    for arguments in [
      ["index", "info", "--index", "/dev/zero"],
      ["search", "--index", "/dev/zero", "--queries", input.vectors],
      ["index", "add", "--index", "/dev/zero", "--vectors", input.vectors],
      ["index", "remove", "--index", "/dev/zero", "--id", "1"],
    ] {
      let result = try CLI.run(arguments)
      #expect(result.status != 0)
      // Read-only commands name the reader's expectation; add / remove also write the index,
      // so the output check refuses the device first.
      #expect(
        result.stderr.contains("/dev/zero: is a character device, expected a regular .simx index file")
          || result.stderr.contains("--index /dev/zero: is a character device; expected a regular file"),
        "\(arguments): \(result.stderr)")
    }
    let queries = try CLI.run(["search", "--index", "/dev/zero", "--queries", "/dev/zero"])
    #expect(queries.stderr.contains("/dev/zero: is a character device"), "\(queries.stderr)")
  }

  @Test func anIndexTooWideToReadBackIsNotBuilt() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let wide = directory.appendingPathComponent("wide.npy")
    try NPYWriter.floats([Float](repeating: 1, count: 1_048_577), shape: [1, 1_048_577], to: wide)
    let out = directory.appendingPathComponent("wide.simx").path
    let result = try CLI.run([
      "index", "build", "--vectors", wide.path, "--exact", "--distance", "euclidean", "--out", out,
    ])
    #expect(result.status != 0)
    #expect(
      result.stderr.contains("\(wide.path): dimension 1048577 exceeds the index file limit of 1048576"),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func idsMayBeNegativeButIdFilesMustBeFlat() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = try vectors(in: directory)
    let index = directory.appendingPathComponent("i.simx").path
    let built = try CLI.run([
      "index", "build", "--vectors", input.vectors, "--ids", input.ids, "--exact", "--out", index,
    ])
    #expect(built.status == 0, "\(built.stderr)")
    // A 2-D ids array used to be flattened.
    let matrix = directory.appendingPathComponent("matrix.npy")
    try NPYWriter.integers([5, 7, 9, -3], shape: [2, 2], to: matrix)
    let flattened = try CLI.run(["index", "remove", "--index", index, "--ids-file", matrix.path])
    #expect(flattened.status != 0)
    #expect(
      flattened.stderr.contains("\(matrix.path): expected a 1-D array of ids (or one column), found shape [2, 2]"),
      "\(flattened.stderr)")
    let removed = try CLI.run(["index", "remove", "--index", index, "--id", "-3"])
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(removed.stdout.contains("now holds 3"))
  }

  @Test func efOnAnExactIndexIsRefusedLikeTraversal() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = try vectors(in: directory)
    let index = directory.appendingPathComponent("i.simx").path
    #expect(try CLI.run(["index", "build", "--vectors", input.vectors, "--exact", "--out", index]).status == 0)
    let result = try CLI.run(["search", "--index", index, "--queries", input.vectors, "--ef", "64"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--ef 64 applies to HNSW indexes; \(index) is an exact index"), "\(result.stderr)")
  }

  @Test func infoCheckRefusesCosineRowsThatAreNotUnitLength() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = try vectors(in: directory)
    let index = directory.appendingPathComponent("i.simx")
    #expect(try CLI.run(["index", "build", "--vectors", input.vectors, "--exact", "--out", index.path]).status == 0)
    let ok = try CLI.run(["index", "info", "--index", index.path, "--check"])
    #expect(ok.status == 0 && ok.stdout.contains("invariants: ok"), "\(ok.stdout)\(ok.stderr)")
    // Row 0 is stored as (1, 0, 0): make it (3, 0, 0) and recompute the checksum, as an edit
    // that knows the format would.
    var bytes = [UInt8](try Data(contentsOf: index))
    let three = Float(3).bitPattern
    for i in 0..<4 { bytes[40 + i] = UInt8(truncatingIfNeeded: three >> (8 * UInt32(i))) }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes[0..<(bytes.count - 8)] { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    for i in 0..<8 { bytes[bytes.count - 8 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
    try Data(bytes).write(to: index)
    let edited = try CLI.run(["index", "info", "--index", index.path, "--check"])
    #expect(edited.status != 0)
    #expect(
      edited.stderr.contains("corrupt index file: vector 0 has length 3.0; a cosine index stores unit-length vectors"),
      "\(edited.stderr)")
  }
}
