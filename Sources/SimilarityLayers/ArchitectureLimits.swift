/// The largest architecture a configuration may describe, checked (with overflow-checked
/// arithmetic) before any layer is created, so a damaged or hostile `architecture.json` ends in
/// an ``ArchitectureError`` instead of an overflow trap or a multi-gigabyte allocation.
public struct ArchitectureLimits: Equatable, Sendable {
  /// The largest extent of any axis, and the largest units, filters, kernel size, stride and
  /// dilation (2²⁰).
  public var maximumExtent = 1 << 20
  /// The most axes of one example.
  public var maximumRank = 8
  /// The most elements of one example after any layer (2²⁴: 64 MiB of float32 per example).
  public var maximumActivationElements = 1 << 24
  /// The most parameters of the whole model (2²⁸: 1 GiB of float32).
  public var maximumParameters = 1 << 28
  /// The most layers, nested models counted with their layers.
  public var maximumLayers = 4096

  /// The limits ``Sequential/init(configuration:lambdas:)`` and checkpoint loading apply.
  public static let standard = ArchitectureLimits()

  /// Creates the standard limits; change the fields for other ones.
  public init() {}
}

extension LayerConfiguration {
  /// Checks this layer's own hyper-parameters (not their fit with the input shape, which
  /// ``ArchitecturePlan`` checks): counts and sizes positive and within `limits`, rates and
  /// floating-point settings finite and in range.
  ///
  /// - Throws: ``ArchitectureError/invalidConfiguration(type:reason:)`` naming the layer.
  public func validate(limits: ArchitectureLimits = .standard) throws(ArchitectureError) {
    let extents = 1...limits.maximumExtent
    switch self {
    case .input(let c):
      try require(
        !c.shape.isEmpty && c.shape.count <= limits.maximumRank
          && c.shape.allSatisfy(extents.contains),
        layer: c.name,
        "shape \(c.shape) must have 1…\(limits.maximumRank) extents in 1…\(limits.maximumExtent)")
    case .dense(let c), .metricEmbedding(let c):
      try require(
        extents.contains(c.units), layer: c.name,
        "units \(c.units) must be in 1…\(limits.maximumExtent)")
      try requireFinite(c.activation, layer: c.name)
    case .conv2D(let c):
      try requirePairs(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        layer: c.name, limits: limits)
      try require(
        extents.contains(c.filters), layer: c.name,
        "filters \(c.filters) must be in 1…\(limits.maximumExtent)")
      try requireGroups(c.groups, filters: c.filters, layer: c.name, limits: limits)
      try requireFinite(c.activation, layer: c.name)
    case .maxPooling2D(let c), .averagePooling2D(let c):
      try requirePairs(
        ["poolSize": c.poolSize, "strides": c.strides], layer: c.name, limits: limits)
    case .dropout(let c):
      try require(c.rate >= 0 && c.rate < 1, layer: c.name, "rate \(c.rate) not in [0, 1)")
      try require(
        c.noiseShape?.allSatisfy { ($0 ?? 1) > 0 } ?? true, layer: c.name,
        "noise shape \(String(describing: c.noiseShape)) needs positive extents")
    case .rescaling(let c):
      try require(
        c.scale.isFinite && c.offset.isFinite, layer: c.name,
        "scale \(c.scale) and offset \(c.offset) must be finite")
    case .batchNormalization(let c):
      try require(
        c.momentum >= 0 && c.momentum <= 1 && c.epsilon > 0 && c.epsilon.isFinite,
        layer: c.name, "momentum \(c.momentum) or epsilon \(c.epsilon) out of range")
    case .activation(let c):
      try requireFinite(c.activation, layer: c.name)
    case .l2Normalization(let c):
      try require(
        c.epsilon >= 0 && c.epsilon.isFinite, layer: c.name,
        "epsilon \(c.epsilon) must be finite and ≥ 0")
    case .generalizedMeanPooling1D(let c), .generalizedMeanPooling2D(let c):
      try require(!c.p.isNaN, layer: c.name, "p must not be NaN")
    case .flatten, .lambda, .collapseMonitor, .sequential:
      break
    case .concatenate(let c):
      try require(
        (-(limits.maximumRank + 1)...(limits.maximumRank + 1)).contains(c.axis), layer: c.name,
        "axis \(c.axis) is outside every shape of rank ≤ \(limits.maximumRank + 1)")
    case .add, .subtract, .multiply, .average, .maximum, .functional:
      break
    case .maxPooling1D(let c), .averagePooling1D(let c):
      try require(
        extents.contains(c.poolSize) && extents.contains(c.strides), layer: c.name,
        "poolSize \(c.poolSize) and strides \(c.strides) must be in 1…\(limits.maximumExtent)")
    case .maxPooling3D(let c), .averagePooling3D(let c):
      try requireExtents(
        ["poolSize": c.poolSize, "strides": c.strides], count: 3, layer: c.name, limits: limits)
    case .globalAveragePooling1D, .globalAveragePooling2D, .globalAveragePooling3D,
      .globalMaxPooling1D, .globalMaxPooling2D, .globalMaxPooling3D:
      break
    case .zeroPadding1D(let c), .zeroPadding2D(let c), .zeroPadding3D(let c):
      try requireBorders(c.padding, "padding", layer: c.name, limits: limits)
    case .cropping1D(let c), .cropping2D(let c):
      try requireBorders(c.cropping, "cropping", layer: c.name, limits: limits)
    case .upSampling1D(let c):
      try require(
        extents.contains(c.size), layer: c.name, "size \(c.size) must be in 1…\(limits.maximumExtent)")
    case .upSampling2D(let c):
      try requireExtents(["size": c.size], count: 2, layer: c.name, limits: limits)
    case .reshape(let c):
      try require(
        !c.targetShape.isEmpty && c.targetShape.count <= limits.maximumRank
          && c.targetShape.allSatisfy({ $0 == -1 || extents.contains($0) })
          && c.targetShape.filter({ $0 == -1 }).count <= 1, layer: c.name,
        "target shape \(c.targetShape) must have 1…\(limits.maximumRank) extents in "
          + "1…\(limits.maximumExtent), at most one of them -1")
    case .permute(let c):
      try require(
        c.dims.count <= limits.maximumRank && Permute.isPermutation(c.dims), layer: c.name,
        "dims \(c.dims) must be a permutation of 1…n (n ≤ \(limits.maximumRank))")
    case .layerNormalization(let c):
      try require(
        !c.axis.isEmpty && c.axis.count <= limits.maximumRank && Set(c.axis).count == c.axis.count
          && c.axis.allSatisfy({ (-limits.maximumRank...limits.maximumRank).contains($0) }), layer: c.name,
        "axis \(c.axis) must be 1…\(limits.maximumRank) distinct axes")
      try require(
        c.epsilon > 0 && c.epsilon.isFinite, layer: c.name,
        "epsilon \(c.epsilon) must be positive and finite")
    case .embedding(let c):
      try require(
        extents.contains(c.inputDim) && extents.contains(c.outputDim), layer: c.name,
        "inputDim \(c.inputDim) and outputDim \(c.outputDim) must be in 1…\(limits.maximumExtent)")
    case .conv1D(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        count: 1, layer: c.name, limits: limits)
      try requireFilters(c.filters, layer: c.name, limits: limits)
      try requireGroups(c.groups, filters: c.filters, layer: c.name, limits: limits)
      try requireFinite(c.activation, layer: c.name)
    case .conv3D(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        count: 3, layer: c.name, limits: limits)
      try requireFilters(c.filters, layer: c.name, limits: limits)
      try requireFinite(c.activation, layer: c.name)
    case .conv2DTranspose(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        count: 2, layer: c.name, limits: limits)
      try requireFilters(c.filters, layer: c.name, limits: limits)
      try requireOutputPadding(c.outputPadding, strides: c.strides, layer: c.name)
      try requireFinite(c.activation, layer: c.name)
    case .conv3DTranspose(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides], count: 3, layer: c.name,
        limits: limits)
      try requireFilters(c.filters, layer: c.name, limits: limits)
      try requireOutputPadding(c.outputPadding, strides: c.strides, layer: c.name)
      try requireFinite(c.activation, layer: c.name)
    case .depthwiseConv2D(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        count: 2, layer: c.name, limits: limits)
      try require(
        extents.contains(c.depthMultiplier), layer: c.name,
        "depthMultiplier \(c.depthMultiplier) must be in 1…\(limits.maximumExtent)")
      try requireFinite(c.activation, layer: c.name)
    case .separableConv2D(let c):
      try requireTuples(
        ["kernelSize": c.kernelSize, "strides": c.strides, "dilationRate": c.dilationRate],
        count: 2, layer: c.name, limits: limits)
      try requireFilters(c.filters, layer: c.name, limits: limits)
      try require(
        extents.contains(c.depthMultiplier), layer: c.name,
        "depthMultiplier \(c.depthMultiplier) must be in 1…\(limits.maximumExtent)")
      try requireFinite(c.activation, layer: c.name)
    case .normalization(let c):
      try require(
        c.mean?.count == c.variance?.count && (c.mean?.allSatisfy(\.isFinite) ?? true)
          && (c.variance?.allSatisfy { $0 >= 0 && $0.isFinite } ?? true),
        layer: c.name,
        "mean and variance must both be given, of one length, finite, variances ≥ 0")
    case .imageAugmentation(let c):
      do { try c.step.validate() } catch { try require(false, layer: c.name, error.description) }
    }
  }

  private func requireTuples(
    _ tuples: KeyValuePairs<String, [Int]>, count: Int, layer: String, limits: ArchitectureLimits
  ) throws(ArchitectureError) {
    for (key, value) in tuples {
      try require(
        value.count == count && value.allSatisfy((1...limits.maximumExtent).contains),
        layer: layer,
        "\(key) \(value) must be \(count) integer\(count == 1 ? "" : "s") in 1…\(limits.maximumExtent)")
    }
  }

  private func requireFilters(_ filters: Int, layer: String, limits: ArchitectureLimits)
    throws(ArchitectureError)
  {
    try require(
      (1...limits.maximumExtent).contains(filters), layer: layer,
      "filters \(filters) must be in 1…\(limits.maximumExtent)")
  }

  private func requireGroups(_ groups: Int, filters: Int, layer: String, limits: ArchitectureLimits)
    throws(ArchitectureError)
  {
    try require(
      (1...limits.maximumExtent).contains(groups) && filters % groups == 0, layer: layer,
      "groups \(groups) must be in 1…\(limits.maximumExtent) and divide filters \(filters)")
  }

  /// Keras: each output padding in `0 ..< stride` (checked after the strides).
  private func requireOutputPadding(_ padding: [Int]?, strides: [Int], layer: String)
    throws(ArchitectureError)
  {
    guard let padding else { return }
    try require(
      padding.count == strides.count
        && zip(padding, strides).allSatisfy { $0 >= 0 && $0 < $1 }, layer: layer,
      "outputPadding \(padding) must be \(strides.count) integers, each ≥ 0 and below its stride in \(strides)")
  }

  private func require(_ condition: Bool, layer: String, _ message: @autoclosure () -> String)
    throws(ArchitectureError)
  {
    if !condition {
      throw .invalidConfiguration(type: "\(typeName) '\(layer)'", reason: message())
    }
  }

  private func requireFinite(_ activation: Activation, layer: String) throws(ArchitectureError) {
    if case .leakyRelu(let alpha) = activation {
      try require(alpha.isFinite, layer: layer, "leaky_relu alpha \(alpha) must be finite")
    }
    if case .elu(let alpha) = activation {
      try require(alpha.isFinite, layer: layer, "elu alpha \(alpha) must be finite")
    }
  }

  private func requireExtents(
    _ lists: KeyValuePairs<String, [Int]>, count: Int, layer: String, limits: ArchitectureLimits
  ) throws(ArchitectureError) {
    for (key, value) in lists {
      try require(
        value.count == count && value.allSatisfy((1...limits.maximumExtent).contains),
        layer: layer, "\(key) \(value) must be \(count) integers in 1…\(limits.maximumExtent)")
    }
  }

  /// `[before, after]` pairs, one per spatial axis of the layer type (1-D: 1, 2-D: 2, 3-D: 3).
  private func requireBorders(
    _ pairs: [[Int]], _ key: String, layer: String, limits: ArchitectureLimits
  ) throws(ArchitectureError) {
    let rank = typeName.hasSuffix("3D") ? 3 : typeName.hasSuffix("2D") ? 2 : 1
    try require(
      pairs.count == rank
        && pairs.allSatisfy({ $0.count == 2 && $0.allSatisfy((0...limits.maximumExtent).contains) }),
      layer: layer,
      "\(key) \(pairs) must be \(rank) [before, after] pair\(rank == 1 ? "" : "s") of integers in 0…\(limits.maximumExtent)")
  }

  private func requirePairs(
    _ pairs: KeyValuePairs<String, [Int]>, layer: String, limits: ArchitectureLimits
  ) throws(ArchitectureError) {
    for (key, value) in pairs {
      try require(
        value.count == 2 && value.allSatisfy((1...limits.maximumExtent).contains), layer: layer,
        "\(key) \(value) must be two integers in 1…\(limits.maximumExtent)")
    }
  }
}
