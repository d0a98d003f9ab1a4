import ArgumentParser
import Foundation
import SimilarityKernels


@main
struct SimilarityCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similarity",
    abstract: "Train embedding models, index and search embeddings, calibrate and evaluate.",
    subcommands: [
      // One entry per subcommand; keep alphabetical.
      Bench.self,
      Calibrate.self,
      Classify.self,
      Demo.self,
      Download.self,
      Evaluate.self,
      HelloWorld.self,
      Index.self,
      Kernels.self,
      Match.self,
      ReportCommand.self,
      Search.self,
      Siamese.self,
      Summary.self,
      Train.self,
    ])

  static func main() async {
    // An unknown or unsupported SIMILARITY_ISA is an error before any work starts.
    do {
      try InstructionSet.checkEnvironment()
    } catch {
      FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
      Foundation.exit(2)
    }
    configureAllocator()
    await main(nil)
  }

  /// Keeps large freed buffers in the heap instead of returning them to the kernel.
  ///
  /// Training allocates and frees the same few-hundred-kilobyte tensors every step; with
  /// glibc's defaults each of them is a fresh `mmap`, so every step pays page faults and page
  /// clearing for memory it just released (measured: ~8% of a siamese training step).
  static func configureAllocator() {
    ProcessMemory.keepFreedMemory()
  }
}
