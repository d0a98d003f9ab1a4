import SimilarityTensors

/// A depthwise 2-D convolution over NHWC images, Keras' `DepthwiseConv2D`: each input channel
/// is convolved with its own `depthMultiplier` filters,
/// `activation(depthwise_conv(input, depthwiseKernel) + bias)`.
///
/// `depthwiseKernel` (Keras' `depthwise_kernel`) is `[kh, kw, channels, depthMultiplier]`
/// (glorot-uniform with Keras' fans `kh·kw·channels` and `kh·kw·depthMultiplier`), `bias` is
/// `[channels · depthMultiplier]`; output channel `c·depthMultiplier + j` is input channel `c`'s
/// filter `j`. Output extents follow ``Conv2D``'s rule. Runs on the depthwise kernels
/// (``KernelFamily/depthwise``) with the bias fused in.
public final class DepthwiseConv2D: Layer {
  /// `"DepthwiseConv2D"`.
  public static let typeName = "DepthwiseConv2D"
  /// `"depthwise_conv2d"`.
  public static let defaultName = "depthwise_conv2d"
  /// The layer's name.
  public var name: String
  /// `(height, width)` of the kernel.
  public let kernelSize: (Int, Int)
  /// `(vertical, horizontal)` step.
  public let strides: (Int, Int)
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// Filters per input channel.
  public let depthMultiplier: Int
  /// `(vertical, horizontal)` dilation rate.
  public let dilationRate: (Int, Int)
  /// Applied after the convolution (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the depthwise kernel is filled when built.
  public let depthwiseInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kh, kw, channels, depthMultiplier]`; `nil` until built.
  public private(set) var depthwiseKernel: Parameter?
  /// `[channels · depthMultiplier]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    depthMultiplier: Int = 1, dilationRate: (Int, Int) = (1, 1),
    activation: Activation = .linear, useBias: Bool = true,
    depthwiseInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(
      [kernelSize.0, kernelSize.1, strides.0, strides.1, depthMultiplier, dilationRate.0,
       dilationRate.1].allSatisfy { $0 > 0 },
      "DepthwiseConv2D: kernelSize \(kernelSize), strides \(strides), depthMultiplier \(depthMultiplier), dilationRate \(dilationRate) must be positive")
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.depthMultiplier = depthMultiplier
    self.dilationRate = dilationRate
    self.activation = activation
    self.useBias = useBias
    self.depthwiseInitializer = depthwiseInitializer
    self.biasInitializer = biasInitializer
    self.name = name ?? Self.defaultName
  }

  /// Whether the kernel exists.
  public var isBuilt: Bool { depthwiseKernel != nil }

  /// Keras' weight names: `depthwise_kernel`, `bias`.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    [("depthwise_kernel", depthwiseKernel), ("bias", bias)].compactMap { entry in
      entry.1.map { (entry.0, $0) }
    }
  }

  /// Creates `depthwiseKernel` for `[batch, height, width, channels]` inputs and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard depthwiseKernel == nil else { return }
    guard inputShape.count == 4, let channels = inputShape[3] else {
      preconditionFailure("DepthwiseConv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    }
    let shape = [kernelSize.0, kernelSize.1, channels, depthMultiplier]
    depthwiseKernel = Parameter(depthwiseInitializer.tensor(shape: shape, using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [channels * depthMultiplier], using: &generator))
    }
  }

  /// `[batch, outHeight, outWidth, channels · depthMultiplier]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 4,
      "DepthwiseConv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    let height = inputShape[1].map {
      convolutionOutputExtent(
        $0, window: kernelSize.0, stride: strides.0, dilation: dilationRate.0, padding: padding)
    }
    let width = inputShape[2].map {
      convolutionOutputExtent(
        $0, window: kernelSize.1, stride: strides.1, dilation: dilationRate.1, padding: padding)
    }
    return [inputShape[0], height, width, inputShape[3].map { $0 * depthMultiplier }]
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, channels · depthMultiplier]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let depthwiseKernel else {
      preconditionFailure("DepthwiseConv2D '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank == 4 && input.shape[3] == depthwiseKernel.shape[2],
      "DepthwiseConv2D '\(name)': input \(input.shape) is not [batch, h, w, \(depthwiseKernel.shape[2])]")
    let output = input.depthwiseConv2d(
      filter: depthwiseKernel.value, bias: bias?.value, strides: strides, padding: padding,
      dilations: dilationRate)
    return activation(output)
  }

  /// The hyper-parameters of a `DepthwiseConv2D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// `[height, width]`.
    public var kernelSize: [Int]
    /// `[vertical, horizontal]`.
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding
    /// Filters per input channel.
    public var depthMultiplier: Int
    /// `[vertical, horizontal]`.
    public var dilationRate: [Int]
    /// Activation after the convolution.
    public var activation: Activation
    /// Whether there is a bias.
    public var useBias: Bool
    /// Depthwise kernel initializer.
    public var depthwiseInitializer: Initializer
    /// Bias initializer.
    public var biasInitializer: Initializer
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .depthwiseConv2D(
      Configuration(
        name: name, kernelSize: [kernelSize.0, kernelSize.1], strides: [strides.0, strides.1],
        padding: padding, depthMultiplier: depthMultiplier,
        dilationRate: [dilationRate.0, dilationRate.1], activation: activation, useBias: useBias,
        depthwiseInitializer: depthwiseInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      kernelSize: (c.kernelSize[0], c.kernelSize[1]), strides: (c.strides[0], c.strides[1]),
      padding: c.padding, depthMultiplier: c.depthMultiplier,
      dilationRate: (c.dilationRate[0], c.dilationRate[1]), activation: c.activation,
      useBias: c.useBias, depthwiseInitializer: c.depthwiseInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}
