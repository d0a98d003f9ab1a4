import SimilarityTensors

/// A 2-D convolution over NHWC images, Keras' `Conv2D`:
/// `activation(conv(input, kernel) + bias)`.
///
/// `kernel` is `[kernelHeight, kernelWidth, inputChannels, filters]` (glorot-uniform by
/// default, with `fanIn = kh·kw·cin` and `fanOut = kh·kw·filters`), `bias` is `[filters]`.
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
  /// Applied after the convolution (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the kernel is filled when built.
  public let kernelInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kh, kw, inputChannels, filters]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilationRate: (Int, Int) = (1, 1),
    activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(filters > 0, "Conv2D: filters \(filters) must be positive")
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
    guard inputShape.count == 4, let channels = inputShape[3] else {
      preconditionFailure("Conv2D '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    }
    let shape = [kernelSize.0, kernelSize.1, channels, filters]
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
      input.rank == 4 && input.shape[3] == kernel.shape[2],
      "Conv2D '\(name)': input \(input.shape) is not [batch, h, w, \(kernel.shape[2])]")
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
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? {
    .conv2D(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1],
        strides: [strides.0, strides.1], padding: padding,
        dilationRate: [dilationRate.0, dilationRate.1], activation: activation, useBias: useBias,
        kernelInitializer: kernelInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate()``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1]),
      strides: (c.strides[0], c.strides[1]), padding: c.padding,
      dilationRate: (c.dilationRate[0], c.dilationRate[1]), activation: c.activation,
      useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
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
