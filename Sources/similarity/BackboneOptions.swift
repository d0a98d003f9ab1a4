import ArgumentParser
import SimilarityModels

/// The options that shape a ready-made backbone (`similarity summary resnet50-sim …`):
/// TF Similarity's `embedding_size`, `pooling`, `gem_p`, `l2_norm`, `trainable` and the
/// input size. The other models refuse them.
struct BackboneOptions: ParsableArguments {
  /// TF Similarity's `pooling` values.
  enum Pooling: String, ExpressibleByArgument, CaseIterable {
    case avg, max, gem
  }

  @Option(help: "Embedding dimension of the head (TF Similarity's embedding_size).")
  var embeddingSize = 128

  @Option(help: "Global pooling before the head: avg, max or gem.")
  var pooling: Pooling = .gem

  @Option(help: "The power of generalized-mean pooling (with --pooling gem).")
  var gemP: Float = 3

  @Flag(help: "End in a plain Dense layer instead of MetricEmbedding (no L2 normalisation).")
  var noL2Normalize = false

  @Option(help: "Which backbone layers train: full, partial or frozen (not resnet18-sim).")
  var trainable: BackboneTrainability = .full

  @Option(help: "Input height,width (default: the architecture's resolution).")
  var inputSize: String?

  /// Whether any option was changed from its default (refused for the other models).
  var isChanged: Bool {
    embeddingSize != 128 || pooling != .gem || gemP != 3 || noL2Normalize || trainable != .full
      || inputSize != nil
  }

  /// `(height, width)` from `--input-size`, or `nil`.
  func parsedInputSize() throws -> (height: Int, width: Int)? {
    guard let inputSize else { return nil }
    let parts = inputSize.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 2, let height = Int(parts[0]), let width = Int(parts[1]),
      (1...Backbone.maximumSide).contains(height), (1...Backbone.maximumSide).contains(width)
    else {
      throw ValidationError(
        "--input-size \(inputSize): expected HEIGHT,WIDTH with each in 1…\(Backbone.maximumSide), e.g. 224,224")
    }
    return (height, width)
  }

  /// Builds `backbone` with these options.
  func model(_ backbone: Backbone) throws -> Functional {
    guard (1...65_536).contains(embeddingSize) else {
      throw ValidationError("--embedding-size \(embeddingSize): expected 1…65536")
    }
    guard gemP.isFinite, gemP > 0 else {
      throw ValidationError("--gem-p \(gemP): expected a finite positive power")
    }
    guard backbone.hasTrainability || trainable == .full else {
      throw ValidationError(
        "--trainable \(trainable.rawValue): \(backbone.rawValue) has no trainable option (TF Similarity's ResNet18Sim)")
    }
    let pooling: BackbonePooling =
      switch self.pooling {
      case .avg: .average
      case .max: .max
      case .gem: .generalizedMean(p: gemP)
      }
    return try backbone.make(
      inputSize: parsedInputSize(),
      top: .embedding(size: embeddingSize, pooling: pooling, l2Normalize: !noL2Normalize),
      trainability: trainable)
  }
}

extension BackboneTrainability: ExpressibleByArgument {}
