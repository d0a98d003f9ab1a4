import SimilarityTensors

/// A 3-D convolution over `[batch, depth, height, width, channels]` volumes (NDHWC), Keras'
/// `Conv3D`: `activation(conv(input, kernel) + bias)`.
///
/// `kernel` is `[kd, kh, kw, channels, filters]` (glorot-uniform by default, fans
/// `kd·kh·kw·channels` and `kd·kh·kw·filters`), `bias` is `[filters]`. Each output extent
/// follows ``Conv2D``'s rule per axis. Runs as one 2-D convolution over the depth slices each
/// output depth meets (``Tensor/conv3d(filter:strides:padding:dilations:)``).
public final class Conv3D: Layer {
  /// `"Conv3D"`.
  public static let typeName = "Conv3D"
  /// `"conv3d"`.
  public static let defaultName = "conv3d"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// `(depth, height, width)` of the kernel.
  public let kernelSize: (Int, Int, Int)
  /// `(depth, height, width)` steps.
  public let strides: (Int, Int, Int)
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// `(depth, height, width)` dilation rates.
  public let dilationRate: (Int, Int, Int)
  /// Applied after the convolution (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the kernel is filled when built.
  public let kernelInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kd, kh, kw, channels, filters]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int, Int), strides: (Int, Int, Int) = (1, 1, 1),
    padding: Padding = .valid, dilationRate: (Int, Int, Int) = (1, 1, 1),
    activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    let all = [
      filters, kernelSize.0, kernelSize.1, kernelSize.2, strides.0, strides.1, strides.2,
      dilationRate.0, dilationRate.1, dilationRate.2,
    ]
    precondition(
      all.allSatisfy { $0 > 0 },
      "Conv3D: filters \(filters), kernelSize \(kernelSize), strides \(strides), dilationRate \(dilationRate) must be positive")
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

  /// Creates `kernel` for `[batch, depth, height, width, channels]` inputs and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard kernel == nil else { return }
    guard inputShape.count == 5, let channels = inputShape[4] else {
      preconditionFailure("Conv3D '\(name)': input shape \(pythonTuple(inputShape)) is not NDHWC")
    }
    let shape = [kernelSize.0, kernelSize.1, kernelSize.2, channels, filters]
    kernel = Parameter(kernelInitializer.tensor(shape: shape, using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// `[batch, outDepth, outHeight, outWidth, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 5, "Conv3D '\(name)': input shape \(pythonTuple(inputShape)) is not NDHWC")
    let windows = [
      (kernelSize.0, strides.0, dilationRate.0), (kernelSize.1, strides.1, dilationRate.1),
      (kernelSize.2, strides.2, dilationRate.2),
    ]
    let extents = (0..<3).map { axis in
      inputShape[axis + 1].map {
        convolutionOutputExtent(
          $0, window: windows[axis].0, stride: windows[axis].1, dilation: windows[axis].2,
          padding: padding)
      }
    }
    return [inputShape[0]] + extents + [filters]
  }

  /// `[batch, depth, height, width, channels]` → `[batch, outDepth, outHeight, outWidth, filters]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else { preconditionFailure("Conv3D '\(name)': called before build(inputShape:)") }
    precondition(
      input.rank == 5 && input.shape[4] == kernel.shape[3],
      "Conv3D '\(name)': input \(input.shape) is not [batch, d, h, w, \(kernel.shape[3])]")
    var output = input.conv3d(
      filter: kernel.value, strides: strides, padding: padding, dilations: dilationRate)
    if let bias { output = output.addingBias(bias.value) }
    return activation(output)
  }

  /// The hyper-parameters of a `Conv3D` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Output channels.
    public var filters: Int
    /// `[depth, height, width]`.
    public var kernelSize: [Int]
    /// `[depth, height, width]`.
    public var strides: [Int]
    /// Padding mode.
    public var padding: Padding
    /// `[depth, height, width]`.
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
    .conv3D(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1, kernelSize.2],
        strides: [strides.0, strides.1, strides.2], padding: padding,
        dilationRate: [dilationRate.0, dilationRate.1, dilationRate.2], activation: activation,
        useBias: useBias, kernelInitializer: kernelInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1], c.kernelSize[2]),
      strides: (c.strides[0], c.strides[1], c.strides[2]), padding: c.padding,
      dilationRate: (c.dilationRate[0], c.dilationRate[1], c.dilationRate[2]),
      activation: c.activation, useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}
