extension PyTorchTensorLayout {
  /// PyTorch's shape and values in our layout; `target` is the parameter's shape (it gives a
  /// depthwise weight's multiplier). `nil` when the rank does not fit the layout.
  public func transform(shape: [Int], values: [Float], target: [Int]) -> (
    shape: [Int], values: [Float]
  )? {
    switch self {
    case .vector:
      return (shape, values)
    case .convolution:
      guard shape.count == 4 else { return nil }
      let (o, i, h, w) = (shape[0], shape[1], shape[2], shape[3])
      return ([h, w, i, o], Self.permute(values, shape: shape, order: [2, 3, 1, 0]))
    case .depthwise:
      guard shape.count == 4, shape[1] == 1, target.count == 4, target[3] > 0,
        shape[0].isMultiple(of: target[3])
      else { return nil }
      let (m, h, w) = (target[3], shape[2], shape[3])
      let split = [shape[0] / m, m, h, w]
      return ([h, w, shape[0] / m, m], Self.permute(values, shape: split, order: [2, 3, 0, 1]))
    case .dense:
      guard shape.count == 2 else { return nil }
      return ([shape[1], shape[0]], Self.permute(values, shape: shape, order: [1, 0]))
    }
  }

  /// `values` (C order, `shape`) with its axes reordered: output axis `k` is input axis
  /// `order[k]`.
  static func permute(_ values: [Float], shape: [Int], order: [Int]) -> [Float] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    let outShape = order.map { shape[$0] }
    let outStrides = order.map { strides[$0] }
    return TorchTensor.indices(shape: outShape, strides: outStrides, offset: 0, count: values.count)
      .map { values[$0] }
  }
}

/// Which PyTorch state-dict tensor feeds which of our parameters, and how its layout changes.
///
/// Built layer by layer from PyTorch module names and our layer names:
///
/// ```swift
/// var map = TorchNameMap()
/// map.convolution("_conv_stem", "stem_conv", bias: false)   // weight → kernel (OIHW → HWIO)
/// map.batchNormalization("_bn0", "stem_bn")                 // weight, bias, running_*
/// map.dense("_fc", "predictions")                           // weight → kernel (transposed)
/// ```
///
/// Tensors whose names end with one of ``ignoredSuffixes`` (`num_batches_tracked`) are dropped.
public struct TorchNameMap: Sendable {
  /// The entries in the order they were added.
  public var entries: [ParameterCorrespondence] = []
  /// Suffixes of state-dict keys that have no counterpart and are skipped.
  public var ignoredSuffixes: [String] = ["num_batches_tracked"]

  /// An empty map.
  public init() {}

  /// Maps one tensor.
  public mutating func add(
    _ source: String, _ target: String, layout: PyTorchTensorLayout = .vector
  ) {
    entries.append(ParameterCorrespondence(ours: target, theirs: source, layout: layout))
  }

  /// `torch.weight` (OIHW) → `ours.kernel` (HWIO), and `torch.bias` → `ours.bias` if `bias`.
  public mutating func convolution(_ torch: String, _ ours: String, bias: Bool = true) {
    add("\(torch).weight", "\(ours).kernel", layout: .convolution)
    if bias { add("\(torch).bias", "\(ours).bias") }
  }

  /// A depthwise `torch.weight` `[C·m, 1, kh, kw]` → `ours.depthwise_kernel`
  /// `[kh, kw, C, m]`, and the bias if `bias`.
  public mutating func depthwise(_ torch: String, _ ours: String, bias: Bool = true) {
    add("\(torch).weight", "\(ours).depthwise_kernel", layout: .depthwise)
    if bias { add("\(torch).bias", "\(ours).bias") }
  }

  /// `BatchNorm2d` → ``BatchNormalization``: weight → gamma, bias → beta, running_mean →
  /// moving_mean, running_var → moving_variance.
  public mutating func batchNormalization(_ torch: String, _ ours: String) {
    add("\(torch).weight", "\(ours).gamma")
    add("\(torch).bias", "\(ours).beta")
    add("\(torch).running_mean", "\(ours).moving_mean")
    add("\(torch).running_var", "\(ours).moving_variance")
  }

  /// `Linear` `[out, in]` → ``Dense`` `[in, out]`, and the bias if `bias`.
  public mutating func dense(_ torch: String, _ ours: String, bias: Bool = true) {
    add("\(torch).weight", "\(ours).kernel", layout: .dense)
    if bias { add("\(torch).bias", "\(ours).bias") }
  }

  /// Whether the state-dict key `name` is skipped.
  public func ignores(_ name: String) -> Bool {
    ignoredSuffixes.contains { name.hasSuffix($0) }
  }
}
