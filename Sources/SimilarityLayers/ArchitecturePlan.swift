import SimilarityIO
import SimilarityTensors

/// What a ``Sequential/Configuration`` builds, worked out from the configuration alone — no
/// layer created, no tensor allocated — with overflow-checked arithmetic: the shape of one
/// example after every layer and the name and shape of every parameter.
///
/// Creating a plan checks that each layer's hyper-parameters are valid
/// (``LayerConfiguration/validate(limits:)``), that each layer accepts the shape it receives
/// (a `Conv2D` needs `[height, width, channels]`, a window must fit its input, a nested model's
/// input must be the shape reaching it), and that sizes stay within ``ArchitectureLimits``:
/// every activation, every parameter tensor and the parameter total. Checkpoint loading
/// compares ``parameters`` with the weights file's header before the model is built.
///
/// ```swift
/// let plan = try ArchitecturePlan(configuration)
/// plan.outputShape        // [64]
/// plan.parameters[0]      // ("conv2d.kernel", [3, 3, 1, 32])
/// ```
public struct ArchitecturePlan: Sendable {
  /// One parameter tensor: its dotted name (`conv2d.kernel`) and shape.
  public struct Parameter: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
  }

  /// The example shape the input declares (no batch axis).
  public private(set) var inputShape: [Int]
  /// The shape of one example after the last layer (no batch axis).
  public private(set) var outputShape: [Int]
  /// Every parameter in the order of ``Sequential/namedParameters``.
  public private(set) var parameters: [Parameter] = []
  /// The number of scalars in ``parameters``.
  public private(set) var parameterCount = 0

  private let limits: ArchitectureLimits
  /// The number of layers, nested models counted with their layers (inputs not counted).
  public private(set) var layerCount = 0

  /// Plans `configuration`.
  ///
  /// - Parameters:
  ///   - lambdas: closures for ``Lambda`` layers (run once on a zero example to learn their
  ///     output shape, after its size was checked).
  ///   - limits: the largest sizes accepted.
  /// - Throws: ``ArchitectureError`` naming the layer, what it needs and what it got.
  public init(
    _ configuration: Sequential.Configuration, lambdas: [String: Lambda.Function] = [:],
    limits: ArchitectureLimits = .standard
  ) throws(ArchitectureError) {
    guard case .input(let input) = configuration.layers.first else { throw .missingInput }
    try LayerConfiguration.input(input).validate(limits: limits)
    self.limits = limits
    inputShape = input.shape
    outputShape = input.shape
    try checkActivation(input.shape, of: .input(input), name: input.name)
    try walk(configuration.layers.dropFirst(), prefix: "", lambdas: lambdas)
  }

  private mutating func walk(
    _ layers: ArraySlice<LayerConfiguration>, prefix: String,
    lambdas: [String: Lambda.Function]
  ) throws(ArchitectureError) {
    var names: Set<String> = []
    for layer in layers {
      layerCount += 1
      guard layerCount <= limits.maximumLayers else {
        throw .invalidConfiguration(
          type: Sequential.typeName, reason: "more than \(limits.maximumLayers) layers")
      }
      try layer.validate(limits: limits)
      let name = layer.layerName
      guard names.insert(name).inserted else {
        throw .invalidConfiguration(
          type: Sequential.typeName, reason: "two layers are named '\(name)'")
      }
      try apply(layer, name: name, prefix: prefix, lambdas: lambdas)
    }
  }

  /// Moves ``outputShape`` through `layer` and records its parameters.
  private mutating func apply(
    _ layer: LayerConfiguration, name: String, prefix: String,
    lambdas: [String: Lambda.Function]
  ) throws(ArchitectureError) {
    let shape = outputShape
    func fail(_ reason: String) -> ArchitectureError {
      .invalidConfiguration(type: "\(layer.typeName) '\(name)'", reason: reason)
    }
    func needRank(_ rank: Int, _ what: String) throws(ArchitectureError) {
      guard shape.count == rank else { throw fail("needs \(what) inputs, found \(shape)") }
    }
    var next = shape
    switch layer {
    case .input(let c):
      guard c.shape == shape else {
        throw fail("declares inputs of \(c.shape), but the layers before it produce \(shape)")
      }
    case .dense(let c), .metricEmbedding(let c):
      let features = shape.last!
      try addParameter(prefix + name + ".kernel", [features, c.units], layer: layer, name: name)
      if c.useBias { try addParameter(prefix + name + ".bias", [c.units], layer: layer, name: name) }
      next = shape.dropLast() + [c.units]
    case .conv2D(let c):
      try needRank(3, "[height, width, channels]")
      try Self.checkGroups(c.groups, channels: shape[2], fail: fail)
      let height = try Self.windowExtent(
        shape[0], window: c.kernelSize[0], stride: c.strides[0], dilation: c.dilationRate[0],
        padding: c.padding, axis: "height", fail: fail)
      let width = try Self.windowExtent(
        shape[1], window: c.kernelSize[1], stride: c.strides[1], dilation: c.dilationRate[1],
        padding: c.padding, axis: "width", fail: fail)
      try addParameter(
        prefix + name + ".kernel", [c.kernelSize[0], c.kernelSize[1], shape[2] / c.groups, c.filters],
        layer: layer, name: name)
      if c.useBias {
        try addParameter(prefix + name + ".bias", [c.filters], layer: layer, name: name)
      }
      next = [height, width, c.filters]
    case .maxPooling2D(let c), .averagePooling2D(let c):
      try needRank(3, "[height, width, channels]")
      let height = try Self.windowExtent(
        shape[0], window: c.poolSize[0], stride: c.strides[0], dilation: 1, padding: c.padding,
        axis: "height", fail: fail)
      let width = try Self.windowExtent(
        shape[1], window: c.poolSize[1], stride: c.strides[1], dilation: 1, padding: c.padding,
        axis: "width", fail: fail)
      next = [height, width, shape[2]]
    case .flatten:
      next = [shape.reduce(1, *)]  // within the activation limit already
    case .batchNormalization(let c):
      guard let channelAxis = BatchNormalization.resolvedAxis(c.axis, rank: shape.count + 1) else {
        throw fail("axis \(c.axis) is not a non-batch axis of inputs \(shape) (batch = axis 0)")
      }
      let channels = shape[channelAxis - 1]
      let weights = (c.scale ? ["gamma"] : []) + (c.center ? ["beta"] : [])
      for weight in weights + ["moving_mean", "moving_variance"] {
        try addParameter(prefix + name + "." + weight, [channels], layer: layer, name: name)
      }
    case .generalizedMeanPooling1D(let c):
      try needRank(2, "[steps, channels]")
      next = c.keepsDimensions ? [1, shape[1]] : [shape[1]]
    case .generalizedMeanPooling2D(let c):
      try needRank(3, "[height, width, channels]")
      next = c.keepsDimensions ? [1, 1, shape[2]] : [shape[2]]
    case .lambda(let c):
      guard let body = lambdas[c.function] else {
        throw .unregisteredLambda(function: c.function, registered: lambdas.keys.sorted())
      }
      let output = body(Tensor.zeros([1] + shape)).shape
      guard output.first == 1, output.count >= 2, output.dropFirst().allSatisfy({ $0 > 0 }) else {
        throw fail("function \"\(c.function)\" maps one example of \(shape) to \(output); "
                     + "expected [1, …] with positive extents")
      }
      next = Array(output.dropFirst())
    case .sequential(let c):
      guard case .input(let input) = c.layers.first else { throw ArchitectureError.missingInput }
      guard input.shape == shape else {
        throw fail("its input is \(input.shape), but the layers before it produce \(shape)")
      }
      try walk(c.layers.dropFirst(), prefix: prefix + name + ".", lambdas: lambdas)
      next = outputShape
    case .dropout(let c):
      if let noise = c.noiseShape {
        guard noise.count == shape.count + 1,
          zip(noise.dropFirst(), shape).allSatisfy({ $0 == nil || $0 == 1 || $0 == $1 })
        else {
          throw fail("noise shape \(noise) does not broadcast to inputs \(shape) (batch first)")
        }
      }
    case .rescaling, .activation, .l2Normalization, .collapseMonitor:
      break
    case .add, .subtract, .multiply, .average, .maximum, .concatenate:
      throw fail("a merge layer takes several inputs; use it in a Functional model")
    case .functional(let c):
      let graph = try GraphPlan(c, lambdas: lambdas, limits: limits)
      guard graph.inputShapes.count == 1, graph.outputShapes.count == 1 else {
        throw fail(
          "a model with \(graph.inputShapes.count) inputs and \(graph.outputShapes.count) "
            + "outputs cannot be a layer of a Sequential")
      }
      guard graph.inputShapes[0] == shape else {
        throw fail("its input is \(graph.inputShapes[0]), but the layers before it produce \(shape)")
      }
      layerCount += graph.layerCount
      guard layerCount <= limits.maximumLayers else {
        throw fail("more than \(limits.maximumLayers) layers")
      }
      for parameter in graph.parameters {
        try addParameter(prefix + name + "." + parameter.name, parameter.shape, layer: layer, name: name)
      }
      next = graph.outputShapes[0]
    case .maxPooling1D(let c), .averagePooling1D(let c):
      try needRank(2, "[steps, channels]")
      next[0] = try Self.windowExtent(
        shape[0], window: c.poolSize, stride: c.strides, dilation: 1, padding: c.padding,
        axis: "steps", fail: fail)
    case .maxPooling3D(let c), .averagePooling3D(let c):
      try needRank(3 + 1, "[depth, height, width, channels]")
      for (i, axis) in ["depth", "height", "width"].enumerated() {
        next[i] = try Self.windowExtent(
          shape[i], window: c.poolSize[i], stride: c.strides[i], dilation: 1,
          padding: c.padding, axis: axis, fail: fail)
      }
    case .globalAveragePooling1D(let c), .globalMaxPooling1D(let c):
      try needRank(2, "[steps, channels]")
      next = c.keepdims ? [1, shape[1]] : [shape[1]]
    case .globalAveragePooling2D(let c), .globalMaxPooling2D(let c):
      try needRank(3, "[height, width, channels]")
      next = c.keepdims ? [1, 1, shape[2]] : [shape[2]]
    case .globalAveragePooling3D(let c), .globalMaxPooling3D(let c):
      try needRank(4, "[depth, height, width, channels]")
      next = c.keepdims ? [1, 1, 1, shape[3]] : [shape[3]]
    case .zeroPadding1D(let c), .zeroPadding2D(let c), .zeroPadding3D(let c):
      try needRank(c.padding.count + 1, "\(c.padding.count)-D spatial + channels")
      for (i, pair) in c.padding.enumerated() {
        // Extents and padding are at most 2²⁰ each (validated): no overflow.
        next[i] = shape[i] + pair[0] + pair[1]
      }
    case .cropping1D(let c), .cropping2D(let c):
      try needRank(c.cropping.count + 1, "\(c.cropping.count)-D spatial + channels")
      for (i, pair) in c.cropping.enumerated() {
        next[i] = shape[i] - pair[0] - pair[1]
        guard next[i] > 0 else {
          throw fail("cropping \(pair) leaves nothing of axis \(i + 1) of extent \(shape[i])")
        }
      }
    case .upSampling1D(let c):
      try needRank(2, "[steps, channels]")
      next[0] = shape[0] * c.size
    case .upSampling2D(let c):
      try needRank(3, "[height, width, channels]")
      next[0] = shape[0] * c.size[0]
      next[1] = shape[1] * c.size[1]
    case .reshape(let c):
      guard let target = Reshape.resolve(c.targetShape, elements: shape.reduce(1, *)) else {
        throw fail("\(shape.reduce(1, *)) elements per example (\(shape)) do not fit target shape \(c.targetShape)")
      }
      next = target
    case .permute(let c):
      guard c.dims.count == shape.count else {
        throw fail("dims \(c.dims) permute \(c.dims.count) axes, but examples are \(shape)")
      }
      next = c.dims.map { shape[$0 - 1] }
    case .layerNormalization(let c):
      guard let axes = LayerNormalization.resolvedAxes(c.axis, rank: shape.count + 1) else {
        throw fail("axis \(c.axis) is not a set of distinct non-batch axes of examples \(shape) (batch = axis 0)")
      }
      let extents = axes.map { shape[$0 - 1] }
      if c.scale { try addParameter(prefix + name + ".gamma", extents, layer: layer, name: name) }
      if c.center { try addParameter(prefix + name + ".beta", extents, layer: layer, name: name) }
    case .embedding(let c):
      try addParameter(
        prefix + name + ".embeddings", [c.inputDim, c.outputDim], layer: layer, name: name)
      guard shape.count < limits.maximumRank else {
        throw fail("inputs \(shape) gain an axis beyond rank \(limits.maximumRank)")
      }
      next = shape + [c.outputDim]
    case .conv1D, .conv3D, .conv2DTranspose, .conv3DTranspose, .depthwiseConv2D, .separableConv2D:
      next = try planConvolution(layer, shape: shape, name: name, prefix: prefix, fail: fail)
    case .normalization(let c):
      guard let channels = shape.last else { throw fail("inputs have no channel axis") }
      if let mean = c.mean, mean.count != channels {
        throw fail("\(mean.count) means and variances for inputs of \(channels) channels")
      }
      try addParameter(prefix + name + ".mean", [channels], layer: layer, name: name)
      try addParameter(prefix + name + ".variance", [channels], layer: layer, name: name)
      try addParameter(prefix + name + ".count", [], layer: layer, name: name)
    case .imageAugmentation(let c):
      try needRank(3, "[height, width, channels]")
      do {
        let size = try c.step.outputSize(height: shape[0], width: shape[1])
        next = [size.height, size.width, shape[2]]
      } catch {
        throw fail(error.description)
      }
    }
    try checkActivation(next, of: layer, name: name)
    outputShape = next
  }

  /// Throws unless one example of `shape` fits ``ArchitectureLimits/maximumActivationElements``
  /// and every extent is positive.
  private func checkActivation(_ shape: [Int], of layer: LayerConfiguration, name: String)
    throws(ArchitectureError)
  {
    let elements = shape.checkedProduct()
    guard shape.allSatisfy({ $0 > 0 }), let elements,
      elements <= limits.maximumActivationElements
    else {
      throw .invalidConfiguration(
        type: "\(layer.typeName) '\(name)'",
        reason: "produces examples of \(shape)"
          + (elements.map { " = \($0) elements" } ?? " (overflows)")
          + "; at most \(limits.maximumActivationElements) elements per example are accepted")
    }
  }

  mutating func addParameter(
    _ name: String, _ shape: [Int], layer: LayerConfiguration, name layerName: String
  ) throws(ArchitectureError) {
    guard let count = shape.checkedProduct(),
      let total = [parameterCount, count].checkedSum(), total <= limits.maximumParameters
    else {
      throw .invalidConfiguration(
        type: "\(layer.typeName) '\(layerName)'",
        reason: "parameter \(name) of shape \(shape) brings the model beyond "
          + "\(limits.maximumParameters) parameters")
    }
    parameters.append(Parameter(name: name, shape: shape))
    parameterCount = total
  }

  /// The output extent of a window over `extent` positions (``Conv2D``'s rule), checked: the
  /// dilated window must fit a `.valid` input.
  static func windowExtent(
    _ extent: Int, window: Int, stride: Int, dilation: Int, padding: Padding, axis: String,
    fail: (String) -> ArchitectureError
  ) throws(ArchitectureError) -> Int {
    // Every factor is at most 2²⁰ (validated), so the span cannot overflow.
    let span = dilation * (window - 1) + 1
    if padding == .valid && span > extent {
      throw fail("a \(axis) window of \(span) (dilation included) does not fit the input \(axis) \(extent)")
    }
    return convolutionOutputExtent(
      extent, window: window, stride: stride, dilation: dilation, padding: padding)
  }
}

extension LayerConfiguration {
  /// The `name` of the layer's configuration.
  public var layerName: String {
    switch self {
    case .input(let c): c.name
    case .dense(let c), .metricEmbedding(let c): c.name
    case .conv2D(let c): c.name
    case .maxPooling2D(let c), .averagePooling2D(let c): c.name
    case .flatten(let c), .collapseMonitor(let c): c.name
    case .dropout(let c): c.name
    case .rescaling(let c): c.name
    case .batchNormalization(let c): c.name
    case .activation(let c): c.name
    case .lambda(let c): c.name
    case .l2Normalization(let c): c.name
    case .generalizedMeanPooling1D(let c), .generalizedMeanPooling2D(let c): c.name
    case .sequential(let c): c.name
    case .add(let c), .subtract(let c), .multiply(let c), .average(let c), .maximum(let c): c.name
    case .concatenate(let c): c.name
    case .functional(let c): c.name
    case .maxPooling1D(let c): c.name
    case .averagePooling1D(let c): c.name
    case .maxPooling3D(let c): c.name
    case .averagePooling3D(let c): c.name
    case .globalAveragePooling1D(let c): c.name
    case .globalAveragePooling2D(let c): c.name
    case .globalAveragePooling3D(let c): c.name
    case .globalMaxPooling1D(let c): c.name
    case .globalMaxPooling2D(let c): c.name
    case .globalMaxPooling3D(let c): c.name
    case .zeroPadding1D(let c): c.name
    case .zeroPadding2D(let c): c.name
    case .zeroPadding3D(let c): c.name
    case .cropping1D(let c): c.name
    case .cropping2D(let c): c.name
    case .upSampling1D(let c): c.name
    case .upSampling2D(let c): c.name
    case .reshape(let c): c.name
    case .permute(let c): c.name
    case .layerNormalization(let c): c.name
    case .embedding(let c): c.name
    case .conv1D(let c): c.name
    case .conv3D(let c): c.name
    case .conv2DTranspose(let c): c.name
    case .conv3DTranspose(let c): c.name
    case .depthwiseConv2D(let c): c.name
    case .separableConv2D(let c): c.name
    case .normalization(let c): c.name
    case .imageAugmentation(let c): c.name
    }
  }
}
