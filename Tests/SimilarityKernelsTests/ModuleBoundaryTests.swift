import Foundation
import Testing

/// Only SimilarityKernels imports the C module: every other module calls the C kernels through
/// its Swift face (`SearchKernels.swift`, `TrainingKernels.swift`), so the C headers can change
/// behind one module. Reads the package's own sources (next to this file).
@Suite struct ModuleBoundaryTests {
  @Test func onlySimilarityKernelsImportsTheCModule() throws {
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let sources = root.appendingPathComponent("Sources")
    guard let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
    else {
      Issue.record("cannot list \(sources.path)")
      return
    }
    var checked = 0
    for case let file as URL in files where file.pathExtension == "swift" {
      let relative = String(file.path.dropFirst(sources.path.count + 1))
      if relative.hasPrefix("SimilarityKernels/") { continue }
      checked += 1
      let text = try String(contentsOf: file, encoding: .utf8)
      for line in text.split(separator: "\n") {
        let words = line.split(separator: " ")
        if let i = words.firstIndex(of: "import"), i + 1 < words.count,
          words[i + 1] == "CSimilarityKernels"
        {
          Issue.record("Sources/\(relative) imports CSimilarityKernels; use the SimilarityKernels face")
        }
      }
    }
    #expect(checked > 50, "only \(checked) source files found under \(sources.path)")
  }
}
