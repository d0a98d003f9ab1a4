import Foundation
import Testing

@Suite struct SearchCommandTests {
  /// A float32 `.npy` file of `[rows, columns]`.
  static func writeNPY(_ values: [Float], rows: Int, columns: Int, to url: URL) throws {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    try data.write(to: url)
  }

  /// Writes `rows × columns` integer-valued vectors, builds an HNSW and an exact index of them
  /// in `directory`, and writes row `queryRow` as the query file.
  static func buildIndexes(
    in directory: URL, rows: Int, columns: Int, multiplier: Int, modulus: Int, queryRow: Int
  ) throws -> (queries: URL, hnsw: String, exact: String) {
    let vectors = directory.appendingPathComponent("v.npy")
    let values = (0..<(rows * columns)).map { Float(($0 * multiplier) % modulus) }
    try writeNPY(values, rows: rows, columns: columns, to: vectors)
    let queries = directory.appendingPathComponent("q.npy")
    try writeNPY(
      Array(values[(columns * queryRow)..<(columns * (queryRow + 1))]), rows: 1, columns: columns,
      to: queries)
    for (name, extra) in [("hnsw.simx", [String]()), ("exact.simx", ["--exact"])] {
      let built = try CLI.run(
        ["index", "build", "--vectors", vectors.path, "--distance", "euclidean", "--out",
         directory.appendingPathComponent(name).path] + extra)
      #expect(built.status == 0, "\(built.stderr)")
    }
    return (queries, directory.appendingPathComponent("hnsw.simx").path,
            directory.appendingPathComponent("exact.simx").path)
  }

  @Test func float16TraversalSearchesHNSWAndIsRefusedForAnExactIndex() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (queries, hnswPath, exactPath) = try Self.buildIndexes(
      in: directory, rows: 200, columns: 4, multiplier: 37, modulus: 101, queryRow: 17)
    let hnsw = try CLI.run(
      ["search", "--index", hnswPath, "--queries", queries.path, "-k", "1", "--traversal", "float16",
       "--json"])
    #expect(hnsw.status == 0, "\(hnsw.stderr)")
    #expect(hnsw.stdout.contains("\"id\":17"))
    let refused = try CLI.run(
      ["search", "--index", exactPath, "--queries", queries.path, "--traversal", "float16"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--traversal float16 applies to HNSW indexes; \(exactPath) is an exact index"))
    let exact = try CLI.run(["search", "--index", exactPath, "--queries", queries.path, "-k", "1", "--json"])
    #expect(exact.status == 0 && exact.stdout.contains("\"id\":17"), "\(exact.stderr)")
  }

  @Test func bfloat16ScoringSearchesAnExactIndexAndIsRefusedForHNSW() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (queries, hnswPath, exactPath) = try Self.buildIndexes(
      in: directory, rows: 300, columns: 6, multiplier: 53, modulus: 211, queryRow: 41)
    let plain = try CLI.run(["search", "--index", exactPath, "--queries", queries.path, "-k", "5", "--json"])
    let scored = try CLI.run(
      ["search", "--index", exactPath, "--queries", queries.path, "-k", "5", "--json", "--scoring", "bfloat16"])
    #expect(plain.status == 0, "\(plain.stderr)")
    if scored.status == 0 {
      #expect(scored.stdout == plain.stdout)  // the same answer, distances included
      #expect(scored.stdout.contains("\"id\":41"))
    } else {
      #expect(scored.stderr.contains("--scoring bfloat16 needs a CPU with AVX512_BF16"))
    }
    let refused = try CLI.run(
      ["search", "--index", hnswPath, "--queries", queries.path, "--scoring", "bfloat16"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--scoring bfloat16 applies to exact indexes; \(hnswPath) is an HNSW index"))
  }

  @Test func principalComponentBasisBuildsAndSearchesHNSWAndIsRefusedElsewhere() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (queries, hnswPath, exactPath) = try Self.buildIndexes(
      in: directory, rows: 300, columns: 8, multiplier: 29, modulus: 97, queryRow: 23)
    let vectors = directory.appendingPathComponent("v.npy").path
    let rotated = directory.appendingPathComponent("pca.simx").path
    let built = try CLI.run(
      ["index", "build", "--vectors", vectors, "--distance", "euclidean", "--basis", "pca",
       "--out", rotated])
    #expect(built.status == 0, "\(built.stderr)")
    #expect(built.stdout.contains("principal-axes walk"))
    for path in [rotated, hnswPath] {
      let found = try CLI.run(
        ["search", "--index", path, "--queries", queries.path, "-k", "1", "--basis", "pca", "--json"])
      #expect(found.status == 0, "\(found.stderr)")
      #expect(found.stdout.contains("\"id\":23") && found.stdout.contains("\"distance\":0"))
    }
    /// The command fails with `message` on standard error.
    func expectRefusal(_ arguments: [String], _ message: String) throws {
      let refused = try CLI.run(arguments)
      #expect(refused.status != 0)
      #expect(refused.stderr.contains(message), "\(refused.stderr)")
    }
    try expectRefusal(
      ["search", "--index", exactPath, "--queries", queries.path, "--basis", "pca"],
      "--basis pca applies to HNSW indexes; \(exactPath) is an exact index")
    let l1Path = directory.appendingPathComponent("l1.simx").path
    try expectRefusal(
      ["index", "build", "--vectors", vectors, "--distance", "manhattan", "--basis", "pca",
       "--out", l1Path],
      "--basis pca: rotations change Manhattan distances")
    let l1 = try CLI.run(
      ["index", "build", "--vectors", vectors, "--distance", "manhattan", "--out", l1Path])
    #expect(l1.status == 0, "\(l1.stderr)")
    try expectRefusal(
      ["search", "--index", l1Path, "--queries", queries.path, "--basis", "pca"],
      "--basis pca: rotations change Manhattan distances")
    try expectRefusal(
      ["index", "build", "--vectors", vectors, "--distance", "euclidean", "--basis", "pca",
       "--exact", "--out", directory.appendingPathComponent("e.simx").path],
      "--basis pca applies to HNSW indexes, not --exact")
  }

  /// `bench ann`'s comma-separated lists name the bad value and the accepted ones.
  @Test func benchANNRefusesUnknownBasesAndPrecisions() throws {
    for (option, value, accepted) in [
      ("--search-basis", "pcb", "original, pca"), ("--traversal", "float64", "float32, float16"),
    ] {
      let refused = try CLI.run(
        ["bench", "ann", "--dataset", "random", "--random-n", "20", "--queries", "3",
         "--efs", "10", "--threads", "1", "--build-threads", "1", option, value])
      #expect(refused.status != 0)
      #expect(refused.stderr.contains("\(option): '\(value)' is not one of \(accepted)"),
              "\(refused.stderr)")
    }
  }
}
