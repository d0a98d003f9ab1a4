import Foundation
import Testing

/// SIMILARITY_ISA from the command line: a level the CPU runs is applied (and reported by
/// `similarity kernels`), an unknown or unsupported one is an error before any work starts.
@Suite struct InstructionSetCommandTests {
  /// The levels this CPU runs, as `similarity kernels --all` lists them.
  static func runnable() throws -> [String] {
    let result = try CLI.run(["kernels"])
    let line = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
    // "active: avx2  (CPU runs portable, avx2; AVX512_BF16 no)"
    guard let open = line.range(of: "CPU runs "), let close = line.range(of: ";", range: open.upperBound..<line.endIndex)
    else { return [] }
    return line[open.upperBound..<close.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  @Test func everyRunnableLevelCanBeForced() throws {
    let levels = try Self.runnable()
    #expect(levels.first == "portable")
    for level in levels {
      let result = try CLI.run(["kernels"], environment: ["SIMILARITY_ISA": level])
      #expect(result.status == 0, "\(level): \(result.stderr)")
      #expect(result.stdout.hasPrefix("active: \(level) "), "\(level): \(result.stdout)")
      // The distance family runs exactly the forced level; none runs above it.
      let distance = result.stdout.split(separator: "\n").first { $0.hasPrefix("distance") }
      #expect(distance?.split(separator: " ").last.map(String.init) == level)
    }
  }

  @Test func anUnknownLevelIsAnErrorNamingTheValue() throws {
    let result = try CLI.run(["kernels"], environment: ["SIMILARITY_ISA": "sse9"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("SIMILARITY_ISA=sse9"), "\(result.stderr)")
    #expect(result.stderr.contains("expected one of portable, avx2, avx512"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func aLevelTheCPUCannotRunIsAnError() throws {
    let levels = try Self.runnable()
    guard let missing = ["avx2", "avx512"].first(where: { !levels.contains($0) }) else {
      return  // this CPU runs every level: nothing to refuse
    }
    let result = try CLI.run(["kernels"], environment: ["SIMILARITY_ISA": missing])
    #expect(result.status != 0)
    #expect(result.stderr.contains("this CPU cannot run \(missing)"), "\(result.stderr)")
  }
}
