import Foundation
import Testing

/// `similarity bench input-pipeline`: a tiny run prints the configuration, the kernel variants
/// and one line per size and thread count, and leaves no temporary folder behind.
@Suite struct BenchInputPipelineCommandTests {
  @Test func smallRunPrintsEveryCase() throws {
    let before = Self.benchFolders()
    let result = try CLI.succeed(
      ["bench", "input-pipeline", "--images", "3", "--samples", "1", "--batch-size", "2"])
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("isa=") == true, "\(result.stdout)")
    #expect(lines.contains { $0.hasPrefix("variants: ") })
    for side in [28, 96, 224] {
      for threads in [1, 2] {
        let prefix = "input-pipeline jpeg_\(side)x\(side) threads=\(threads) images=3 images_per_s="
        #expect(lines.contains { $0.hasPrefix(prefix) }, "\(prefix) missing in \(result.stdout)")
      }
    }
    #expect(Self.benchFolders() == before, "the benchmark left its temporary folder")
  }

  @Test func badOptionsAreNamed() throws {
    let refused = try CLI.run(["bench", "input-pipeline", "--images", "0"])
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--images: expected a positive integer, found 0"), "\(refused.stderr)")
  }

  static func benchFolders() -> Set<String> {
    let entries = (try? FileManager.default.contentsOfDirectory(
      atPath: FileManager.default.temporaryDirectory.path)) ?? []
    return Set(entries.filter { $0.hasPrefix("similarity-bench-input-") })
  }
}
