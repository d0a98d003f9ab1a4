import SimilarityTensors

/// A transposed 2-D convolution over NHWC images (the gradient of a convolution with respect to
/// its input, often called deconvolution), Keras' `Conv2DTranspose`:
/// `activation(conv2d_transpose(input, kernel) + bias)`.
///
/// `kernel` is `[kh, kw, filters, channels]` (note the order, as Keras; glorot-uniform with
/// Keras' fans `kh·kw·filters` and `kh·kw·channels`), `bias` is `[filters]`. Each output
/// extent is Keras' `deconv_output_length`: without `outputPadding`, `n·s + max(k' − s, 0)`
/// for `.valid` and `n·s` for `.same`; with it, `(n − 1)·s + k' − 2·pad + outputPadding`
/// (`pad` = 0 for `.valid`, `⌊k'/2⌋` for `.same`), where `k' = d·(k − 1) + 1`.
/// `outputPadding` must be below the stride; the convolution of the output size must give back
/// the input size.
public final class Conv2DTranspose: Layer {
  /// `"Conv2DTranspose"`.
  public static let typeName = "Conv2DTranspose"
  /// `"conv2d_transpose"`.
  public static let defaultName = "conv2d_transpose"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// `(height, width)` of the kernel.
  public let kernelSize: (Int, Int)
  /// `(vertical, horizontal)` step of the matching convolution.
  public let strides: (Int, Int)
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// Extra rows and columns at the bottom/right of the output, or nil (Keras' `None`).
  public let outputPadding: (Int, Int)?
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
  /// `[kh, kw, filters, channels]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, outputPadding: (Int, Int)? = nil,
    dilationRate: (Int, Int) = (1, 1), activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(
      [filters, kernelSize.0, kernelSize.1, strides.0, strides.1, dilationRate.0, dilationRate.1]
        .allSatisfy { $0 > 0 }
        && outputPadding.map { $0.0 >= 0 && $0.0 < strides.0 && $0.1 >= 0 && $0.1 < strides.1 } ?? true,
      "Conv2DTranspose: filters \(filters), kernelSize \(kernelSize), strides \(strides), dilationRate \(dilationRate) must be positive, outputPadding \(String(describing: outputPadding)) in 0..<strides")
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.outputPadding = outputPadding
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
      preconditionFailure("Conv2DTranspose '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    }
    let shape = [kernelSize.0, kernelSize.1, filters, channels]
    kernel = Parameter(kernelInitializer.tensor(shape: shape, using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// The output `(height, width)` for an input of `height × width`.
  func outputSize(height: Int, width: Int) -> (Int, Int) {
    (
      transposedOutputExtent(
        height, window: kernelSize.0, stride: strides.0, dilation: dilationRate.0,
        padding: padding, outputPadding: outputPadding?.0),
      transposedOutputExtent(
        width, window: kernelSize.1, stride: strides.1, dilation: dilationRate.1,
        padding: padding, outputPadding: outputPadding?.1)
    )
  }

  /// `[batch, outHeight, outWidth, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 4,
      "Conv2DTranspose '\(name)': input shape \(pythonTuple(inputShape)) is not NHWC")
    let height = inputShape[1].map {
      transposedOutputExtent(
        $0, window: kernelSize.0, stride: strides.0, dilation: dilationRate.0, padding: padding,
        outputPadding: outputPadding?.0)
    }
    let width = inputShape[2].map {
      transposedOutputExtent(
        $0, window: kernelSize.1, stride: strides.1, dilation: dilationRate.1, padding: padding,
        outputPadding: outputPadding?.1)
    }
    return [inputShape[0], height, width, filters]
  }

  /// `[batch, height, width, channels]` → `[batch, outHeight, outWidth, filters]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else {
      preconditionFailure("Conv2DTranspose '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank == 4 && input.shape[3] == kernel.shape[3],
      "Conv2DTranspose '\(name)': input \(input.shape) is not [batch, h, w, \(kernel.shape[3])]")
    // The bias rides along in the transposed convolution primitive.
    let output = input.conv2dTranspose(
      filter: kernel.value, outputSize: outputSize(height: input.shape[1], width: input.shape[2]),
      strides: strides, padding: padding, dilations: dilationRate, bias: bias?.value)
    return activation(output)
  }

  /// The hyper-parameters of a `Conv2DTranspose` layer.
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
    /// `[vertical, horizontal]`, or nil (Keras' `None`).
    public var outputPadding: [Int]?
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
    .conv2DTranspose(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1],
        strides: [strides.0, strides.1], padding: padding,
        outputPadding: outputPadding.map { [$0.0, $0.1] },
        dilationRate: [dilationRate.0, dilationRate.1], activation: activation, useBias: useBias,
        kernelInitializer: kernelInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1]),
      strides: (c.strides[0], c.strides[1]), padding: c.padding,
      outputPadding: c.outputPadding.map { ($0[0], $0[1]) },
      dilationRate: (c.dilationRate[0], c.dilationRate[1]), activation: c.activation,
      useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}

/// The output extent of a transposed convolution over `extent` positions (Keras'
/// `deconv_output_length`).
func transposedOutputExtent(
  _ extent: Int, window: Int, stride: Int, dilation: Int = 1, padding: Padding,
  outputPadding: Int?
) -> Int {
  let span = dilation * (window - 1) + 1
  guard let outputPadding else {
    switch padding {
    case .valid: return extent * stride + Swift.max(span - stride, 0)
    case .same: return extent * stride
    }
  }
  let pad = padding == .same ? span / 2 : 0
  return (extent - 1) * stride + span - 2 * pad + outputPadding
}
