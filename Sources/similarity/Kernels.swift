import ArgumentParser
import SimilarityKernels

/// `similarity kernels`: which SIMD variant each kernel family runs here.
struct Kernels: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the instruction set the kernels run and each family's variant.",
    discussion: """
      The kernels pick their variant at start-up: the best instruction set the CPU runs, or the \
      one SIMILARITY_ISA names (portable, avx2 or avx512; a level the CPU cannot run is an \
      error). GEMM runs in OpenBLAS, which chooses its own kernels.
      """)

  @Flag(help: "Also list each family's variant at every level this CPU runs.")
  var all = false

  func run() {
    let active = InstructionSet.active
    let runnable = InstructionSet.runnable.map(\.name).joined(separator: ", ")
    print("active: \(active)  (CPU runs \(runnable); AVX512_BF16 \(InstructionSet.hasAVX512BFloat16 ? "yes" : "no"))")
    let levels = all ? InstructionSet.runnable : [active]
    let width = KernelFamily.allCases.map(\.description.count).max() ?? 0
    let header = "family".padding(toLength: width, withPad: " ", startingAt: 0)
    print(([header] + levels.map { $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) }).joined(separator: "  "))
    for family in KernelFamily.allCases {
      let name = family.description.padding(toLength: width, withPad: " ", startingAt: 0)
      let variants = levels.map { family.variant(at: $0).padding(toLength: 10, withPad: " ", startingAt: 0) }
      print(([name] + variants).joined(separator: "  "))
    }
  }
}
