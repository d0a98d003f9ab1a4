import ArgumentParser

@main
struct SimilarityCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similarity",
    abstract: "Train embedding models, index and search embeddings, calibrate and evaluate.",
    subcommands: [
      // One entry per subcommand; keep alphabetical.
      Bench.self,
      Download.self,
      Index.self,
      Search.self,
      Siamese.self,
      Summary.self,
    ])
}
