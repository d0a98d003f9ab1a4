import SimilarityTensors

/// A 2-D convolution over NHWC images, Keras' `Conv2D`:
/// `activation(conv(input, kernel) + bias)`.
///
/// `kernel` is `[kernelHeight, kernelWidth, inputChannels / groups, filters]` (glorot-uniform
/// by default, with `fanIn = kh·kw·cin / groups` and `fanOut = kh·kw·filters`), `bias` is
/// `[filters]`. With `groups` > 1 (Keras' `groups`), input channels and filters are cut into
/// that many equal parts, each part of the input convolved with its part of the filters.
/// Each output extent is `⌊(n − d·(k − 1) − 1) / s⌋ + 1` for `.valid` padding and `⌈n / s⌉`
/// for `.same`, where `d` is the dilation and `s` the stride.
public final class Conv2D: Layer {
  /// `"Conv2D"`.
  public static let typeName = "Conv2D"
  /// `"conv2d"`.
  public static let defaultName = "conv2d"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// `(height, width)` of the kernel.
  public let kernelSize: (Int, Int)
  /// `(vertical, horizontal)` step.
  public let strides: (Int, Int)
  /// `.valid` (no padding, Keras' default) or `.same`.
  public let padding: Padding
  /// `(vertical, horizontal)` dilation rate.
  public let dilationRate: (Int, Int)
  /// Number of channel groups (1: an ordinary convolution).
  public let groups: Int
  /// Applied after the convolution (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the kernel is filled when built.
  public let kernelInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kh, kw, inputChannels / groups, filters]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilationRate: (Int, Int) = (1, 1), groups: Int = 1,
    activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(filters > 0, "Conv2D: filters \(filters) must be positive")
    precondition(
      groups > 0 && filters % groups == 0,
      "Conv2D: groups \(groups) must be positive and divide filters \(filters)")
    precondition(
      kernelSize.0 > 0 && kernelSize.1 > 0 && strides.0 > 0 && strides.1 > 0
        && dilationRate.0 > 0 && dilationRate.1 > 0,
      "Conv2D: kernelSize \(kernelSize), strides \(strides), dilationRate \(dilationRate) must be positive"
    )
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.dilationRate = dilationRate
    self.groups = groups
    self.activation = activation
    self.useBias = useBias
    self.kernelInitializer = kernelInitializer
    self.biasInitializer = biasInitializer
    self.name = name ?? Self.defaultName
  }

  /// Whether the kernel exists.
  public var isBuilt: Bool { kernel != nil }

  /// Creates `kernel` for `[batch, height, width, channels]` inputs and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard kernel == nil else { return }
    guard inputShape.count == 4, let channels = inputShape[3], channels % groups == 0 else {
      preconditionFailure(
        "Conv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC with channels divisible by \(groups)")
    }
    let shape = [kernelSize.0, kernelSize.1, channels / groups, filters]
    kernel = Parameter(kernelInitializer.tensor(shape: shape, using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// `[batch, outHeight, outWidth, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 4, "Conv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    let height = inputShape[1].map {
      convolutionOutputExtent(
        $0, window: kernelSize.0, stride: strides.0, dilation: dilationRate.0, padding: padding)
    }
    let width = inputShape[2].map {
      convolutionOutputExtent(
        $0, window: kernelSize.1, stride: strides.1, dilation: dilationRate.1, padding: padding)
    }
    return [inputShape[0], height, width, filters]
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, filters]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else {
      preconditionFailure("Conv2D '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank == 4 && input.shape[3] == kernel.shape[2] * groups,
      "Conv2D '\(name)': input \(input.shape) is not [batch, h, w, \(kernel.shape[2] * groups)]")
    if groups > 1 {
      var output = input.conv2d(
        filter: kernel.value, groups: groups, strides: strides, padding: padding,
        dilations: dilationRate)
      if let bias { output = output.addingBias(bias.value) }
      return activation(output)
    }
    // Bias and ReLU ride along in the convolution primitive; other activations follow it.
    let fusesActivation = activation == .relu
    let output = input.conv2d(
      filter: kernel.value, bias: bias?.value, relu: fusesActivation, strides: strides,
      padding: padding, dilations: dilationRate)
    return fusesActivation ? output : activation(output)
  }

  /// The hyper-parameters of a `Conv2D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Output channels.
    public var filters: Int
    /// `[height, width]`.
    public var kernelSize: [Int]
    /// `[vertical, horizontal]`.
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding
    /// `[vertical, horizontal]`.
    public var dilationRate: [Int]
    /// Activation after the convolution.
    public var activation: Activation
    /// Whether there is a bias.
    public var useBias: Bool
    /// Kernel initializer.
    public var kernelInitializer: Initializer
    /// Bias initializer.
    public var biasInitializer: Initializer
    /// Channel groups; absent from files written before groups existed, and written only
    /// when above 1, so such files stay as they were.
    public var groups: Int = 1
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .conv2D(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1],
        strides: [strides.0, strides.1], padding: padding,
        dilationRate: [dilationRate.0, dilationRate.1], activation: activation, useBias: useBias,
        kernelInitializer: kernelInitializer, biasInitializer: biasInitializer, groups: groups))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate()``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1]),
      strides: (c.strides[0], c.strides[1]), padding: c.padding,
      dilationRate: (c.dilationRate[0], c.dilationRate[1]), groups: c.groups,
      activation: c.activation, useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}

extension Conv2D.Configuration {
  private enum CodingKeys: String, CodingKey {
    case name, filters, kernelSize, strides, padding, dilationRate, activation, useBias
    case kernelInitializer, biasInitializer, groups
  }

  /// Decodes a configuration; a missing `groups` is 1.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    filters = try c.decode(Int.self, forKey: .filters)
    kernelSize = try c.decode([Int].self, forKey: .kernelSize)
    strides = try c.decode([Int].self, forKey: .strides)
    padding = try c.decode(Padding.self, forKey: .padding)
    dilationRate = try c.decode([Int].self, forKey: .dilationRate)
    activation = try c.decode(Activation.self, forKey: .activation)
    useBias = try c.decode(Bool.self, forKey: .useBias)
    kernelInitializer = try c.decode(Initializer.self, forKey: .kernelInitializer)
    biasInitializer = try c.decode(Initializer.self, forKey: .biasInitializer)
    groups = try c.decodeIfPresent(Int.self, forKey: .groups) ?? 1
  }

  /// Encodes a configuration; `groups` only when it is not 1.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(filters, forKey: .filters)
    try c.encode(kernelSize, forKey: .kernelSize)
    try c.encode(strides, forKey: .strides)
    try c.encode(padding, forKey: .padding)
    try c.encode(dilationRate, forKey: .dilationRate)
    try c.encode(activation, forKey: .activation)
    try c.encode(useBias, forKey: .useBias)
    try c.encode(kernelInitializer, forKey: .kernelInitializer)
    try c.encode(biasInitializer, forKey: .biasInitializer)
    if groups != 1 { try c.encode(groups, forKey: .groups) }
  }
}

/// The output extent of a sliding window over `extent` positions (Keras' `conv_output_length`).
func convolutionOutputExtent(
  _ extent: Int, window: Int, stride: Int, dilation: Int = 1, padding: Padding
) -> Int {
  let span = dilation * (window - 1) + 1
  switch padding {
  case .valid: return extent < span ? 0 : (extent - span) / stride + 1
  case .same: return (extent + stride - 1) / stride
  }
}
