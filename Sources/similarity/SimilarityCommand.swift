import ArgumentParser

@main
struct SimilarityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similarity",
    abstract: "Train embedding models, index and search embeddings, calibrate and evaluate.",
    subcommands: [
      // One entry per subcommand; keep alphabetical.
      Bench.self,
      Siamese.self,
      Summary.self,
    ])
}
