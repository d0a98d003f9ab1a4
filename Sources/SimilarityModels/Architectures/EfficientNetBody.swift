import SimilarityLayers

/// The seven MBConv stages of an EfficientNet between its stem and its head, scaled and
/// named as Keras' `keras.applications.EfficientNetB0…B7` name them: stage `s` (1…7), repeat
/// `r` (a, b, c, …) gives the prefix `block{s}{r}_`, e.g. `block1a_dwconv`, `block2b_add`.
struct EfficientNetBody {
  let scaling: EfficientNetScaling
  let style: MBConvStyle
  /// Whether the first and last stages keep their repeats unscaled (EfficientNet-Lite's
  /// `fix_head_stem`).
  let fixedEndRepeats: Bool
  /// Keras' and TensorFlow's `drop_connect_rate`: block `b` of `n` drops its residual branch
  /// with rate `dropConnectRate · b / n`.
  let dropConnectRate: Float

  /// One MBConv block as it appears in the network.
  struct Entry {
    /// Global index, 0…n−1 (EfficientNet-PyTorch's `_blocks.{index}`).
    let index: Int
    let block: MBConvBlock
  }

  /// The blocks, in order.
  var entries: [Entry] {
    let stages = EfficientNetStage.b0
    let repeats = stages.indices.map { i in
      fixedEndRepeats && (i == 0 || i == stages.count - 1)
        ? stages[i].repeats : scaling.repeats(stages[i].repeats)
    }
    let total = repeats.reduce(0, +)
    var entries: [Entry] = []
    for (s, stage) in stages.enumerated() {
      let output = scaling.filters(stage.outputFilters)
      for r in 0..<repeats[s] {
        let letter = Character(UnicodeScalar(UInt8(97 + r)))
        let block = MBConvBlock(
          prefix: "block\(s + 1)\(letter)_", kernelSize: stage.kernelSize,
          stride: r == 0 ? stage.stride : 1,
          inputFilters: r == 0 ? scaling.filters(stage.inputFilters) : output,
          outputFilters: output, expandRatio: stage.expandRatio,
          dropRate: dropConnectRate * Float(entries.count) / Float(total), style: style)
        entries.append(Entry(index: entries.count, block: block))
      }
    }
    return entries
  }

  /// Records every block on `x`, the stem's output.
  func callAsFunction(_ x: SymbolicTensor, seed: UInt64) throws(ArchitectureError)
    -> SymbolicTensor
  {
    var x = x
    for entry in entries {
      x = try entry.block(x, seed: seed &+ 100 &+ UInt64(entry.index))
    }
    return x
  }
}
