import SimilarityTensors

/// A 1-D convolution over `[batch, steps, channels]` sequences (NWC), Keras' `Conv1D`:
/// `activation(conv(input, kernel) + bias)`, optionally in `groups`.
///
/// `kernel` is `[kernelSize, channels / groups, filters]` (glorot-uniform by default, with
/// Keras' fans `kernelSize · channels / groups` and `kernelSize · filters`), `bias` is
/// `[filters]`. Channels and `filters` must be divisible by `groups`. The output length is
/// `⌊(n − d·(k − 1) − 1) / s⌋ + 1` for `.valid` padding and `⌈n / s⌉` for `.same` (the odd
/// extra position at the end, as TensorFlow). Runs as a 2-D convolution of height-1 images.
public final class Conv1D: Layer {
  /// `"Conv1D"`.
  public static let typeName = "Conv1D"
  /// `"conv1d"`.
  public static let defaultName = "conv1d"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// Length of the window.
  public let kernelSize: Int
  /// Step of the window.
  public let strides: Int
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// Spacing of the window taps.
  public let dilationRate: Int
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
  /// `[kernelSize, channels / groups, filters]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid,
    dilationRate: Int = 1, groups: Int = 1, activation: Activation = .linear,
    useBias: Bool = true, kernelInitializer: Initializer = .glorotUniform,
    biasInitializer: Initializer = .zeros, name: String? = nil
  ) {
    precondition(
      filters > 0 && kernelSize > 0 && strides > 0 && dilationRate > 0 && groups > 0
        && filters % groups == 0,
      "Conv1D: filters \(filters), kernelSize \(kernelSize), strides \(strides), dilationRate \(dilationRate), groups \(groups) must be positive, filters divisible by groups")
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

  /// Creates `kernel` for `[batch, steps, channels]` inputs and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard kernel == nil else { return }
    guard inputShape.count == 3, let channels = inputShape[2], channels % groups == 0 else {
      preconditionFailure(
        "Conv1D '\(name)': input shape \(pythonTuple(inputShape)) is not [batch, steps, channels] with channels divisible by \(groups)")
    }
    kernel = Parameter(
      kernelInitializer.tensor(shape: [kernelSize, channels / groups, filters], using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// `[batch, outSteps, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 3, "Conv1D '\(name)': input shape \(pythonTuple(inputShape)) is not NWC")
    let steps = inputShape[1].map {
      convolutionOutputExtent(
        $0, window: kernelSize, stride: strides, dilation: dilationRate, padding: padding)
    }
    return [inputShape[0], steps, filters]
  }

  /// `[batch, steps, channels]` → `[batch, outSteps, filters]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else { preconditionFailure("Conv1D '\(name)': called before build(inputShape:)") }
    precondition(
      input.rank == 3 && input.shape[2] == kernel.shape[1] * groups,
      "Conv1D '\(name)': input \(input.shape) is not [batch, steps, \(kernel.shape[1] * groups)]")
    if groups == 1 {
      // Bias and ReLU ride along in the convolution primitive; other activations follow it.
      let fusesActivation = activation == .relu
      let output = input.conv1d(
        filter: kernel.value, bias: bias?.value, relu: fusesActivation, stride: strides,
        padding: padding, dilation: dilationRate)
      return fusesActivation ? output : activation(output)
    }
    var output = input.conv1d(
      filter: kernel.value, stride: strides, padding: padding, dilation: dilationRate,
      groups: groups)
    if let bias { output = output.addingBias(bias.value) }
    return activation(output)
  }

  /// The hyper-parameters of a `Conv1D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Output channels.
    public var filters: Int
    /// `[length]`.
    public var kernelSize: [Int]
    /// `[step]`.
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding
    /// `[dilation]`.
    public var dilationRate: [Int]
    /// Channel groups.
    public var groups: Int
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
    .conv1D(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize], strides: [strides],
        padding: padding, dilationRate: [dilationRate], groups: groups, activation: activation,
        useBias: useBias, kernelInitializer: kernelInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: c.kernelSize[0], strides: c.strides[0], padding: c.padding,
      dilationRate: c.dilationRate[0], groups: c.groups, activation: c.activation,
      useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}
