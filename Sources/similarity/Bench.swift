import ArgumentParser

/// `similarity bench …`: micro- and macro-benchmarks printed with the configuration that ran.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks (kernels, search, …); each prints the configuration it ran with.",
    subcommands: [
      // One entry per benchmark; keep alphabetical.
      BenchANN.self,
      BenchConvLayers.self,
      BenchInputPipeline.self,
      BenchKernels.self,
      BenchPooling.self,
    ])
}
