import SimilarityLayers

/// The residual blocks of ResNet (He et al. 2016, https://arxiv.org/abs/1512.03385) with
/// Keras' names: stage `conv{s}`, block `conv{s}_block{b}`, layers `…_0_conv`/`…_0_bn` (the
/// projection shortcut, first block of a stage only), `…_{i}_conv`, `…_{i}_bn`,
/// `…_{i}_relu`, `…_add`, `…_out`. Batch normalisation epsilon 1.001e-5, as in Keras.
struct ResidualStage {
  /// `conv2` … `conv5`.
  let name: String
  /// Filters of the block's convolutions (a bottleneck's output has 4× as many).
  let filters: Int
  let blocks: Int
  /// Stride of the first block.
  let stride: Int
  /// Bottleneck blocks (1×1, 3×3, 1×1 ×4: ResNet50, Keras' `block1`) or basic blocks
  /// (3×3, 3×3: TF Similarity's ResNet18 `block0`, bias-free LeCun-uniform convolutions).
  let bottleneck: Bool

  /// Records the stage on `x`.
  func callAsFunction(_ x: SymbolicTensor) throws(ArchitectureError) -> SymbolicTensor {
    var x = x
    for b in 1...blocks {
      x = try block(x, name: "\(name)_block\(b)", stride: b == 1 ? stride : 1, projection: b == 1)
    }
    return x
  }

  private func conv(
    _ filters: Int, _ kernel: Int, stride: Int = 1, padding: Padding = .valid, name: String
  ) -> Conv2D {
    bottleneck
      ? Conv2D(
        filters: filters, kernelSize: (kernel, kernel), strides: (stride, stride),
        padding: padding, name: name)
      : Conv2D(
        filters: filters, kernelSize: (kernel, kernel), strides: (stride, stride),
        padding: padding, useBias: false, kernelInitializer: .lecunUniform, name: name)
  }

  private func norm(_ name: String) -> BatchNormalization {
    BatchNormalization(epsilon: 1.001e-5, name: name)
  }

  private func block(_ input: SymbolicTensor, name: String, stride: Int, projection: Bool)
    throws(ArchitectureError) -> SymbolicTensor
  {
    let outputs = bottleneck ? 4 * filters : filters
    var shortcut = input
    if projection {
      shortcut = conv(outputs, 1, stride: stride, name: name + "_0_conv")(input)
      shortcut = norm(name + "_0_bn")(shortcut)
    }
    var x = input
    if bottleneck {
      x = conv(filters, 1, stride: stride, name: name + "_1_conv")(x)
      x = norm(name + "_1_bn")(x)
      x = ActivationLayer(.relu, name: name + "_1_relu")(x)
      x = conv(filters, 3, padding: .same, name: name + "_2_conv")(x)
      x = norm(name + "_2_bn")(x)
      x = ActivationLayer(.relu, name: name + "_2_relu")(x)
      x = conv(outputs, 1, name: name + "_3_conv")(x)
      x = norm(name + "_3_bn")(x)
    } else {
      x = conv(filters, 3, stride: stride, padding: .same, name: name + "_1_conv")(x)
      x = norm(name + "_1_bn")(x)
      x = ActivationLayer(.relu, name: name + "_1_relu")(x)
      x = conv(filters, 3, padding: .same, name: name + "_2_conv")(x)
      x = norm(name + "_2_bn")(x)
    }
    x = try Add(name: name + "_add")([shortcut, x])
    return ActivationLayer(.relu, name: name + "_out")(x)
  }
}

extension Functional {
  /// ResNet50 as Keras' `keras.applications.ResNet50` defines it, layer for layer (same
  /// names, order and parameter counts; `scripts/golden/backbone_summaries.py`), on images
  /// `[batch, height, width, 3]` preprocessed as ``InputPreprocessing/caffe``, ending in
  /// `top` — TF Similarity's `ResNet50Sim`.
  ///
  /// Layers: `input_1`, `conv1_pad` (3 each side), `conv1_conv` (7×7, stride 2), `conv1_bn`,
  /// `conv1_relu`, `pool1_pad`, `pool1_pool` (3×3 max, stride 2), then stages `conv2`…`conv5`
  /// of 3, 4, 6, 3 bottleneck blocks (64, 128, 256, 512 filters, ×4 out; see
  /// ``ResidualStage``), then the ``BackboneTop`` layers. With `.imageNetClassifier` the
  /// classifier has no dropout (Keras' ResNet50 has none): pass `dropout: 0`.
  ///
  /// - Parameters:
  ///   - inputShape: `[height, width, 3]`, 224×224 by default.
  ///   - trainability: TF Similarity's `trainable` (`partial`: `^conv5|^top`).
  public static func resNet50(
    inputShape: [Int] = [224, 224, 3], top: BackboneTop = .defaultEmbedding,
    trainability: BackboneTrainability = .full, seed: UInt64 = 0
  ) throws(ArchitectureError) -> Functional {
    let input = SymbolicTensor.input(shape: inputShape, name: "input_1")
    var x = ZeroPadding2D(padding: ((3, 3), (3, 3)), name: "conv1_pad")(input)
    x = Conv2D(filters: 64, kernelSize: (7, 7), strides: (2, 2), name: "conv1_conv")(x)
    x = BatchNormalization(epsilon: 1.001e-5, name: "conv1_bn")(x)
    x = ActivationLayer(.relu, name: "conv1_relu")(x)
    x = ZeroPadding2D(padding: ((1, 1), (1, 1)), name: "pool1_pad")(x)
    x = MaxPooling2D(poolSize: (3, 3), strides: (2, 2), name: "pool1_pool")(x)
    for (s, (filters, blocks)) in [(64, 3), (128, 4), (256, 6), (512, 3)].enumerated() {
      x = try ResidualStage(
        name: "conv\(s + 2)", filters: filters, blocks: blocks, stride: s == 0 ? 1 : 2,
        bottleneck: true)(x)
    }
    let model = try Functional(
      inputs: input, outputs: top(x, seed: seed), name: "resnet50", seed: seed)
    model.preprocessing = .caffe
    model.applyTrainability(trainability, partialTop: Backbone.resNet50.partialTopPattern!)
    return model
  }

  /// TF Similarity's `ResNet18Sim` backbone (its `build_resnet`): a CIFAR-style stem —
  /// `conv1_pad` (1 each side), `conv1_conv` (3×3, stride 1, 64 filters, no bias), `conv1_bn`,
  /// `conv1_relu`, no max pooling — then stages `conv2`…`conv5` of 2 basic blocks each (64,
  /// 128, 256, 512 filters; strides 1, 2, 2, 2; the first block of every stage, `conv2`'s
  /// included, has a projection shortcut), on images `[batch, height, width, 3]` (32 to 224
  /// on a side), ending in `top`. TF Similarity's `ResNet18Sim` has no `trainable` option
  /// nor pre-trained weights; its convolutions are LeCun-uniform initialised.
  ///
  /// No preprocessing is built in; ``InputPreprocessing/symmetricUnit`` is recorded for it
  /// (our choice: TF Similarity feeds whatever its caller scaled).
  public static func resNet18(
    inputShape: [Int] = [32, 32, 3], top: BackboneTop = .defaultEmbedding, seed: UInt64 = 0
  ) throws(ArchitectureError) -> Functional {
    let input = SymbolicTensor.input(shape: inputShape, name: "input_1")
    var x = ZeroPadding2D(padding: ((1, 1), (1, 1)), name: "conv1_pad")(input)
    x = Conv2D(
      filters: 64, kernelSize: (3, 3), useBias: false, kernelInitializer: .lecunUniform,
      name: "conv1_conv")(x)
    x = BatchNormalization(epsilon: 1.001e-5, name: "conv1_bn")(x)
    x = ActivationLayer(.relu, name: "conv1_relu")(x)
    for (s, filters) in [64, 128, 256, 512].enumerated() {
      x = try ResidualStage(
        name: "conv\(s + 2)", filters: filters, blocks: 2, stride: s == 0 ? 1 : 2,
        bottleneck: false)(x)
    }
    let model = try Functional(
      inputs: input, outputs: top(x, seed: seed), name: "resnet18sim", seed: seed)
    model.preprocessing = .symmetricUnit
    return model
  }
}
