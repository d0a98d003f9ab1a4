import ArgumentParser
import SimilarityLayers

/// `similarity summary`: prints the Keras-style summary table of a built-in model.
struct Summary: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the layer table of a built-in model, as Keras' model.summary() does.",
    discussion: """
      keras-siamese: the shared tower of Keras' mnist_siamese example (133,504 parameters).
      tfsim-mnist: the MNIST embedding model of TF Similarity's hello-world notebook \
      (327,200 parameters).
      """)

  /// The models the command knows.
  enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    case kerasSiamese = "keras-siamese"
    case tfsimMNIST = "tfsim-mnist"
  }

  @Argument(help: "The model: \(ModelChoice.allCases.map(\.rawValue).joined(separator: " or ")).")
  var model: ModelChoice

  func run() throws {
    let sequential =
      switch model {
      case .kerasSiamese: Sequential.kerasSiameseTower()
      case .tfsimMNIST: Sequential.tfSimilarityMNISTConv()
      }
    print(sequential.summary(), terminator: "")
  }
}
