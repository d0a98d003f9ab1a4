import SimilarityTensors

/// A fully connected layer, Keras' `Dense`: `activation(input • kernel + bias)`.
///
/// `kernel` is `[inputSize, units]` (glorot-uniform by default) and `bias` is `[units]`
/// (zeros by default), created by ``build(inputShape:using:)``. An input of rank above 2
/// (`[batch, …, inputSize]`) is transformed along its last axis, as in Keras.
public final class Dense: Layer {
  /// `"Dense"`.
  public static let typeName = "Dense"
  /// `"dense"`.
  public static let defaultName = "dense"
  /// The layer's name.
  public var name: String
  /// The size of the last output axis.
  public let units: Int
  /// Applied after the affine map (linear by default).
  public let activation: Activation
  /// Whether the layer adds a bias.
  public let useBias: Bool
  /// How the kernel is filled when built.
  public let kernelInitializer: Initializer
  /// How the bias is filled when built.
  public let biasInitializer: Initializer
  /// `[inputSize, units]`; `nil` until built.
  public private(set) var kernel: Parameter?
  /// `[units]`; `nil` until built or when `useBias` is false.
  public private(set) var bias: Parameter?

  /// Creates an unbuilt layer with Keras' defaults.
  public init(
    units: Int, activation: Activation = .linear, useBias: Bool = true,
    kernelInitializer: Initializer = .glorotUniform, biasInitializer: Initializer = .zeros,
    name: String? = nil
  ) {
    precondition(units > 0, "Dense: units \(units) must be positive")
    self.units = units
    self.activation = activation
    self.useBias = useBias
    self.kernelInitializer = kernelInitializer
    self.biasInitializer = biasInitializer
    self.name = name ?? Self.defaultName
  }

  /// Whether the kernel exists.
  public var isBuilt: Bool { kernel != nil }

  /// Creates `kernel` (`[inputShape.last, units]`) and `bias`.
  public func build(inputShape: LayerShape, using generator: inout SplitMix64) {
    guard kernel == nil else { return }
    guard let inputSize = inputShape.last ?? nil, inputShape.count >= 2 else {
      preconditionFailure(
        "Dense '\(name)': input shape \(pythonTuple(inputShape)) has no known last axis")
    }
    kernel = Parameter(kernelInitializer.tensor(shape: [inputSize, units], using: &generator))
    if useBias {
      bias = Parameter(biasInitializer.tensor(shape: [units], using: &generator))
    }
  }

  /// `inputShape` with the last axis replaced by `units`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    Array(inputShape.dropLast()) + [units]
  }

  /// `[batch, …, inputSize]` → `[batch, …, units]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard let kernel else {
      preconditionFailure("Dense '\(name)': called before build(inputShape:)")
    }
    let inputSize = kernel.shape[0]
    precondition(
      input.rank >= 2 && input.shape[input.rank - 1] == inputSize,
      "Dense '\(name)': input \(input.shape) does not end in \(inputSize)")
    let rows = input.rank == 2 ? input : input.reshaped([-1, inputSize])
    // A constant input (the network's own input, e.g. image pixels) may be mostly zeros;
    // the product then skips them (same result, see `matmulSkippingZeros`). In inference the
    // product, bias and ReLU run fused (`affine`).
    let rectified = activation == .relu
    var output = rows.affine(
      kernel.value, bias: bias?.value, rectified: rectified, skippingZeros: !rows.isDifferentiable)
    if input.rank != 2 { output = output.reshaped(Array(input.shape.dropLast()) + [units]) }
    return rectified ? output : activation(output)
  }

  /// The hyper-parameters of a `Dense` layer (also used by ``MetricEmbedding``).
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// Output size.
    public var units: Int
    /// Activation after the affine map.
    public var activation: Activation
    /// Whether there is a bias.
    public var useBias: Bool
    /// Kernel initializer.
    public var kernelInitializer: Initializer
    /// Bias initializer.
    public var biasInitializer: Initializer
  }

  var denseConfiguration: Configuration {
    Configuration(
      name: name, units: units, activation: activation, useBias: useBias,
      kernelInitializer: kernelInitializer, biasInitializer: biasInitializer)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .dense(denseConfiguration) }

  /// Creates the unbuilt layer described by `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(
      units: c.units, activation: c.activation, useBias: c.useBias,
      kernelInitializer: c.kernelInitializer, biasInitializer: c.biasInitializer, name: c.name)
  }
}
