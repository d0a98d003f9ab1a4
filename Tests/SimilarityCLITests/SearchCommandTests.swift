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

  @Test func float16TraversalSearchesHNSWAndIsRefusedForAnExactIndex() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let vectors = directory.appendingPathComponent("v.npy")
    let values = (0..<(200 * 4)).map { Float(($0 * 37) % 101) }
    try Self.writeNPY(values, rows: 200, columns: 4, to: vectors)
    let queries = directory.appendingPathComponent("q.npy")
    try Self.writeNPY(Array(values[(4 * 17)..<(4 * 18)]), rows: 1, columns: 4, to: queries)
    for (name, extra) in [("hnsw.simx", [String]()), ("exact.simx", ["--exact"])] {
      let built = try CLI.run(
        ["index", "build", "--vectors", vectors.path, "--distance", "euclidean", "--out",
         directory.appendingPathComponent(name).path] + extra)
      #expect(built.status == 0, "\(built.stderr)")
    }
    let hnsw = try CLI.run(
      ["search", "--index", directory.appendingPathComponent("hnsw.simx").path, "--queries",
       queries.path, "-k", "1", "--traversal", "float16", "--json"])
    #expect(hnsw.status == 0, "\(hnsw.stderr)")
    #expect(hnsw.stdout.contains("\"id\":17"))
    let exactPath = directory.appendingPathComponent("exact.simx").path
    let refused = try CLI.run(
      ["search", "--index", exactPath, "--queries", queries.path, "--traversal", "float16"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--traversal float16 applies to HNSW indexes; \(exactPath) is an exact index"))
    let exact = try CLI.run(["search", "--index", exactPath, "--queries", queries.path, "-k", "1", "--json"])
    #expect(exact.status == 0 && exact.stdout.contains("\"id\":17"), "\(exact.stderr)")
  }
}
