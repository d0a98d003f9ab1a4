import ArgumentParser

@main
struct SimilarityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similarity",
    abstract: "Train embedding models, index and search embeddings, calibrate and evaluate.",
    subcommands: [
      // One entry per subcommand; keep alphabetical.
      Bench.self,
      Index.self,
      Search.self,
      Siamese.self,
      Summary.self,
    ])
}
