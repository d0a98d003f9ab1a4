import ArgumentParser
import SimilarityLayers
import SimilarityModels

/// `similarity summary`: prints the Keras-style summary table of a built-in model.
struct Summary: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the layer table of a built-in model, as Keras' model.summary() does.",
    discussion: """
      keras-siamese: the shared tower of Keras' mnist_siamese example (133,504 parameters).
      tfsim-mnist: the MNIST embedding model of TF Similarity's hello-world notebook \
      (327,200 parameters).
      layer-tour: one graph model that uses every layer of the brief's layer tour (1-D, 2-D and \
      3-D convolutions, transposed convolutions, pooling, batch normalization, dense, dropout, \
      flatten, separable and depthwise convolutions, Add, Concatenate), 51,732 parameters.
      resnet18-sim, resnet50-sim, efficientnet-b0-sim … -b2-sim, efficientnet-lite0-sim … \
      -lite4-sim: TF Similarity's backbones (Keras' layer names) with its embedding head; \
      --embedding-size, --pooling, --gem-p, --no-l2-normalize, --trainable and --input-size \
      shape them (resnet50-sim --embedding-size 128 --pooling avg: 23,849,984 parameters).
      """)

  /// The models the command knows.
  enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    case kerasSiamese = "keras-siamese"
    case tfsimMNIST = "tfsim-mnist"
    case layerTour = "layer-tour"
    case resNet18Sim = "resnet18-sim"
    case resNet50Sim = "resnet50-sim"
    case efficientNetB0Sim = "efficientnet-b0-sim"
    case efficientNetB1Sim = "efficientnet-b1-sim"
    case efficientNetB2Sim = "efficientnet-b2-sim"
    case efficientNetLite0Sim = "efficientnet-lite0-sim"
    case efficientNetLite1Sim = "efficientnet-lite1-sim"
    case efficientNetLite2Sim = "efficientnet-lite2-sim"
    case efficientNetLite3Sim = "efficientnet-lite3-sim"
    case efficientNetLite4Sim = "efficientnet-lite4-sim"
  }

  @Argument(help: "The model: \(ModelChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
  var model: ModelChoice

  @Flag(help: "Print the totals as tf_keras 2.13+ does (with sizes) instead of 2.12's.")
  var withMemory = false

  @OptionGroup var backbone: BackboneOptions

  @Option(help: "PyTorch checkpoint (.pth/.pt) to load into the model (efficientnet-lite0-sim: EfficientNet-PyTorch names, e.g. efficientnet-lite0-57934424.pth).")
  var weights: String?

  func validate() throws {
    if weights != nil, model != .efficientNetLite0Sim {
      throw ValidationError("--weights: \(model.rawValue) has no PyTorch name map; expected efficientnet-lite0-sim")
    }
  }

  func run() throws {
    if Backbone(rawValue: model.rawValue) == nil && backbone.isChanged {
      throw ValidationError(
        "\(model.rawValue) is a fixed model: --embedding-size, --pooling, --gem-p, "
          + "--no-l2-normalize, --trainable and --input-size apply to the backbones only")
    }
    let network: any NetworkModel =
      switch model {
      case .kerasSiamese: Sequential.kerasSiameseTower()
      case .tfsimMNIST: Sequential.tfSimilarityMNISTConv()
      case .layerTour: try Functional.layerTour()
      default: try backbone.model(Backbone(rawValue: model.rawValue)!)
      }
    print(network.summary(style: withMemory ? .withMemory : .grouped), terminator: "")
    if let weights { try loadWeights(weights, into: network) }
  }

  /// Loads `path` into `network` and says how much was loaded.
  private func loadWeights(_ path: String, into network: any NetworkModel) throws {
    guard let functional = network as? Functional else {
      preconditionFailure("efficientnet-lite0-sim is a Functional model")
    }
    let checkpoint = try TorchCheckpoint(contentsOf: path)
    let loaded = try functional.loadEfficientNetLiteWeights(.lite0, from: checkpoint, file: path)
    let unused = checkpoint.tensors.count - loaded
    print("Loaded \(loaded) of the checkpoint's \(checkpoint.tensors.count) tensors from \(path) (\(unused) unused: the ImageNet classifier _fc and num_batches_tracked; the embedding head keeps its initial weights)")
  }
}
