import SimilarityTensors

/// A transposed 3-D convolution over NDHWC volumes, Keras' `Conv3DTranspose`:
/// `activation(conv3d_transpose(input, kernel) + bias)`.
///
/// `kernel` is `[kd, kh, kw, filters, channels]` (as Keras), `bias` is `[filters]`. Each output
/// extent follows ``Conv2DTranspose``'s rule per axis (Keras' `deconv_output_length`);
/// `outputPadding` must be below the stride. Keras' `Conv3DTranspose` has no dilation.
public final class Conv3DTranspose: Layer {
  /// `"Conv3DTranspose"`.
  public static let typeName = "Conv3DTranspose"
  /// `"conv3d_transpose"`.
  public static let defaultName = "conv3d_transpose"
  /// The layer's name.
  public var name: String
  /// Number of output channels.
  public let filters: Int
  /// `(depth, height, width)` of the kernel.
  public let kernelSize: (Int, Int, Int)
  /// `(depth, height, width)` steps of the matching convolution.
  public let strides: (Int, Int, Int)
  /// `.valid` (Keras' default) or `.same`.
  public let padding: Padding
  /// Extra positions at the end of each output axis, or nil (Keras' `None`).
  public let outputPadding: (Int, Int, Int)?
  /// Applied after the convolution (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the kernel is filled when built.
  public let kernelInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[kd, kh, kw, filters, channels]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[filters]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    filters: Int, kernelSize: (Int, Int, Int), strides: (Int, Int, Int) = (1, 1, 1),
    padding: Padding = .valid, outputPadding: (Int, Int, Int)? = nil,
    activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    let sizes = [filters, kernelSize.0, kernelSize.1, kernelSize.2, strides.0, strides.1, strides.2]
    let paddings = outputPadding.map { [$0.0, $0.1, $0.2] }
    let steps = [strides.0, strides.1, strides.2]
    precondition(
      sizes.allSatisfy { $0 > 0 }
        && (paddings.map { zip($0, steps).allSatisfy { $0 >= 0 && $0 < $1 } } ?? true),
      "Conv3DTranspose: filters \(filters), kernelSize \(kernelSize), strides \(strides) must be positive, outputPadding \(String(describing: outputPadding)) in 0..<strides")
    self.filters = filters
    self.kernelSize = kernelSize
    self.strides = strides
    self.padding = padding
    self.outputPadding = outputPadding
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
      preconditionFailure("Conv3DTranspose '\(name)': input shape \(pythonTuple(inputShape)) is not NDHWC")
    }
    let shape = [kernelSize.0, kernelSize.1, kernelSize.2, filters, channels]
    kernel = Parameter(kernelInitializer.tensor(shape: shape, using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [filters], using: &generator))
    }
  }

  /// The output extent along axis 0 (depth), 1 (height) or 2 (width).
  func outputExtent(_ extent: Int, axis: Int) -> Int {
    let windows = [kernelSize.0, kernelSize.1, kernelSize.2]
    let steps = [strides.0, strides.1, strides.2]
    let paddings = outputPadding.map { [$0.0, $0.1, $0.2] }
    return transposedOutputExtent(
      extent, window: windows[axis], stride: steps[axis], padding: padding,
      outputPadding: paddings?[axis])
  }

  /// `[batch, outDepth, outHeight, outWidth, filters]`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == 5,
      "Conv3DTranspose '\(name)': input shape \(pythonTuple(inputShape)) is not NDHWC")
    let extents = (0..<3).map { axis in inputShape[axis + 1].map { outputExtent($0, axis: axis) } }
    return [inputShape[0]] + extents + [filters]
  }

  /// `[batch, d, h, w, channels]` → `[batch, outDepth, outHeight, outWidth, filters]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else {
      preconditionFailure("Conv3DTranspose '\(name)': called before build(inputShape:)")
    }
    precondition(
      input.rank == 5 && input.shape[4] == kernel.shape[4],
      "Conv3DTranspose '\(name)': input \(input.shape) is not [batch, d, h, w, \(kernel.shape[4])]")
    let size = (
      outputExtent(input.shape[1], axis: 0), outputExtent(input.shape[2], axis: 1),
      outputExtent(input.shape[3], axis: 2)
    )
    var output = input.conv3dTranspose(
      filter: kernel.value, outputSize: size, strides: strides, padding: padding)
    if let bias { output = output.addingBias(bias.value) }
    return activation(output)
  }

  /// The hyper-parameters of a `Conv3DTranspose` layer.
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
    /// `[depth, height, width]`, or nil (Keras' `None`).
    public var outputPadding: [Int]?
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
    .conv3DTranspose(
      Configuration(
        name: name, filters: filters, kernelSize: [kernelSize.0, kernelSize.1, kernelSize.2],
        strides: [strides.0, strides.1, strides.2], padding: padding,
        outputPadding: outputPadding.map { [$0.0, $0.1, $0.2] }, activation: activation,
        useBias: useBias, kernelInitializer: kernelInitializer, biasInitializer: biasInitializer))
  }

  /// Creates the unbuilt layer described by `configuration`, which was checked by
  /// ``LayerConfiguration/validate(limits:)``.
  public convenience init(configuration c: Configuration) {
    self.init(
      filters: c.filters, kernelSize: (c.kernelSize[0], c.kernelSize[1], c.kernelSize[2]),
      strides: (c.strides[0], c.strides[1], c.strides[2]), padding: c.padding,
      outputPadding: c.outputPadding.map { ($0[0], $0[1], $0[2]) }, activation: c.activation,
      useBias: c.useBias, kernelInitializer: c.kernelInitializer,
      biasInitializer: c.biasInitializer, name: c.name)
  }
}
