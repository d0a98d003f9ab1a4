import SimilarityTensors

/// A depthwise-separable 2-D convolution over NHWC images, Keras' `SeparableConv2D`: a
/// depthwise convolution (`depthMultiplier` filters per input channel, with the strides,
/// padding and dilation) followed by a 1 × 1 convolution to `filters` channels,
/// `activation(conv1x1(depthwise_conv(input, depthwiseKernel), pointwiseKernel) + bias)`.
///
/// Keras' weights, in Keras' order: `depthwise_kernel` `[kh, kw, channels, depthMultiplier]`,
/// `pointwise_kernel` `[1, 1, channels · depthMultiplier, filters]` (both glorot-uniform by
/// default, with Keras' fans), `bias` `[filters]`.
public final class SeparableConv2D: Layer {
  /// `"SeparableConv2D"`.
  public static let typeName = "SeparableConv2D"
  /// `"separable_conv2d"`.
  public static let defaultName = "separable_conv2d"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// `(height, width)` of the depthwise kernel.
  public let kernelSize: (Int, Int)
  /// `(vertical, horizontal)` step of the depthwise convolution.
  public let strides: (Int, Int)
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// `(vertical, horizontal)` dilation rate of the depthwise convolution.
  public let dilationRate: (Int, Int)
  /// Depthwise filters per input channel.
  public let depthMultiplier: Int
  /// Applied last (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the depthwise kernel is filled when built.
  public let depthwiseInitializer: Initializer
  /// How the pointwise kernel is filled when built.
  public let pointwiseInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kh, kw, channels, depthMultiplier]`; `nil` until built.
  public private(set) var depthwiseKernel: Parameter?
  /// `[1, 1, channels · depthMultiplier, filters]`; `nil` until built.
  public private(set) var pointwiseKernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilationRate: (Int, Int) = (1, 1), depthMultiplier: Int = 1,
    activation: Activation = .linear, useBias: Bool = true,
    depthwiseInitializer: Initializer = .glorotUniform,
    pointwiseInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(
      [filters, kernelSize.0, kernelSize.1, strides.0, strides.1, dilationRate.0, dilationRate.1,
       depthMultiplier].allSatisfy { $0 > 0 },
      "SeparableConv2D: filters \(filters), kernelSize \(kernelSize), strides \(strides), dilationRate \(dilationRate), depthMultiplier \(depthMultiplier) must be positive")
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.dilationRate = dilationRate
    self.depthMultiplier = depthMultiplier
    self.activation = activation
    self.useBias = useBias
    self.depthwiseInitializer = depthwiseInitializer
    self.pointwiseInitializer = pointwiseInitializer
    self.biasInitializer = biasInitializer
    self.name = name ?? Self.defaultName
  }

  /// Whether the kernels exist.
  public var isBuilt: Bool { depthwiseKernel != nil }

  /// Keras' weight names: `depthwise_kernel`, `pointwise_kernel`, `bias`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    [("depthwise_kernel", depthwiseKernel), ("pointwise_kernel", pointwiseKernel), ("bias", bias)]
      .compactMap { entry in entry.1.map { (entry.0, $0) } }
  }

  /// Creates the kernels for `[batch, height, width, channels]` inputs and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard depthwiseKernel == nil else { return }
    guard inputShape.count == 4, let channels = inputShape[3] else {
      preconditionFailure("SeparableConv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    }
    depthwiseKernel = Parameter(
      depthwiseInitializer.tensor(
        shape: [kernelSize.0, kernelSize.1, channels, depthMultiplier], using: &generator))
    pointwiseKernel = Parameter(
      pointwiseInitializer.tensor(
        shape: [1, 1, channels * depthMultiplier, filters], using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// `[batch, outHeight, outWidth, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 4,
      "SeparableConv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
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
    guard let depthwiseKernel, let pointwiseKernel else {
      preconditionFailure("SeparableConv2D '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank == 4 && input.shape[3] == depthwiseKernel.shape[2],
      "SeparableConv2D '\(name)': input \(input.shape) is not [batch, h, w, \(depthwiseKernel.shape[2])]")
    let depthwise = input.depthwiseConv2d(
      filter: depthwiseKernel.value, strides: strides, padding: padding, dilations: dilationRate)
    // Bias and ReLU ride along in the 1 × 1 convolution; other activations follow it.
    let fusesActivation = activation == .relu
    let output = depthwise.conv2d(
      filter: pointwiseKernel.value, bias: bias?.value, relu: fusesActivation)
    return fusesActivation ? output : activation(output)
  }

  /// The hyper-parameters of a `SeparableConv2D` layer.
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
    /// Depthwise filters per input channel.
    public var depthMultiplier: Int
    /// Activation applied last.
    public var activation: Activation
    /// Whether there is a bias.
    public var useBias: Bool
    /// Depthwise kernel initializer.
    public var depthwiseInitializer: Initializer
    /// Pointwise kernel initializer.
    public var pointwiseInitializer: Initializer
    /// Bias initializer.
    public var biasInitializer: Initializer
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .separableConv2D(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1],
        strides: [strides.0, strides.1], padding: padding,
        dilationRate: [dilationRate.0, dilationRate.1], depthMultiplier: depthMultiplier,
        activation: activation, useBias: useBias, depthwiseInitializer: depthwiseInitializer,
        pointwiseInitializer: pointwiseInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1]),
      strides: (c.strides[0], c.strides[1]), padding: c.padding,
      dilationRate: (c.dilationRate[0], c.dilationRate[1]), depthMultiplier: c.depthMultiplier,
      activation: c.activation, useBias: c.useBias, depthwiseInitializer: c.depthwiseInitializer,
      pointwiseInitializer: c.pointwiseInitializer, biasInitializer: c.biasInitializer,
      name: c.name)
  }
}
