/// The description of one layer in `architecture.json`: its Keras type and its
/// hyper-parameters, enough to create the layer again (its weights live in the safetensors
/// file beside it).
///
/// Encoded as `{"type": "Dense", "config": {"name": "dense", "units": 128, …}}`.
public indirect enum LayerConfiguration: Equatable, Sendable {
  /// ``Input``.
  case input(Input.Configuration)
  /// ``Dense``.
  case dense(Dense.Configuration)
  /// ``Conv2D``.
  case conv2D(Conv2D.Configuration)
  /// ``MaxPooling2D``.
  case maxPooling2D(Pooling2DConfiguration)
  /// ``AveragePooling2D``.
  case averagePooling2D(Pooling2DConfiguration)
  /// ``Flatten``.
  case flatten(NameConfiguration)
  /// ``Dropout``.
  case dropout(Dropout.Configuration)
  /// ``Rescaling``.
  case rescaling(Rescaling.Configuration)
  /// ``BatchNormalization``.
  case batchNormalization(BatchNormalization.Configuration)
  /// ``ActivationLayer``.
  case activation(ActivationLayer.Configuration)
  /// ``Lambda`` (the closure is looked up by name when loading).
  case lambda(Lambda.Configuration)
  /// ``L2Normalization``.
  case l2Normalization(L2Normalization.Configuration)
  /// ``MetricEmbedding``.
  case metricEmbedding(Dense.Configuration)
  /// ``GeneralizedMeanPooling1D``.
  case generalizedMeanPooling1D(GeneralizedMeanPoolingConfiguration)
  /// ``GeneralizedMeanPooling2D``.
  case generalizedMeanPooling2D(GeneralizedMeanPoolingConfiguration)
  /// ``CollapseMonitor``.
  case collapseMonitor(NameConfiguration)
  /// A nested ``Sequential``.
  case sequential(Sequential.Configuration)
  /// ``Conv1D``.
  case conv1D(Conv1D.Configuration)
  /// ``Conv3D``.
  case conv3D(Conv3D.Configuration)
  /// ``Conv2DTranspose``.
  case conv2DTranspose(Conv2DTranspose.Configuration)
  /// ``Conv3DTranspose``.
  case conv3DTranspose(Conv3DTranspose.Configuration)
  /// ``DepthwiseConv2D``.
  case depthwiseConv2D(DepthwiseConv2D.Configuration)
  /// ``SeparableConv2D``.
  case separableConv2D(SeparableConv2D.Configuration)

  /// The Keras type name written as `"type"`.
  public var typeName: String {
    switch self {
    case .input: Input.typeName
    case .dense: Dense.typeName
    case .conv2D: Conv2D.typeName
    case .maxPooling2D: MaxPooling2D.typeName
    case .averagePooling2D: AveragePooling2D.typeName
    case .flatten: Flatten.typeName
    case .dropout: Dropout.typeName
    case .rescaling: Rescaling.typeName
    case .batchNormalization: BatchNormalization.typeName
    case .activation: ActivationLayer.typeName
    case .lambda: Lambda.typeName
    case .l2Normalization: L2Normalization.typeName
    case .metricEmbedding: MetricEmbedding.typeName
    case .generalizedMeanPooling1D: GeneralizedMeanPooling1D.typeName
    case .generalizedMeanPooling2D: GeneralizedMeanPooling2D.typeName
    case .collapseMonitor: CollapseMonitor.typeName
    case .sequential: Sequential.typeName
    case .conv1D: Conv1D.typeName
    case .conv3D: Conv3D.typeName
    case .conv2DTranspose: Conv2DTranspose.typeName
    case .conv3DTranspose: Conv3DTranspose.typeName
    case .depthwiseConv2D: DepthwiseConv2D.typeName
    case .separableConv2D: SeparableConv2D.typeName
    }
  }

  /// Creates the (unbuilt) layer this configuration describes.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  /// - Throws: ``ArchitectureError`` for values no layer accepts (``validate(limits:)``) or an
  ///   unregistered lambda.
  public func makeLayer(lambdas: [String: Lambda.Function] = [:]) throws(ArchitectureError)
    -> any Layer
  {
    try validate()
    switch self {
    case .input(let c): return Input(configuration: c)
    case .dense(let c): return Dense(configuration: c)
    case .conv2D(let c): return Conv2D(configuration: c)
    case .maxPooling2D(let c): return MaxPooling2D(configuration: c)
    case .averagePooling2D(let c): return AveragePooling2D(configuration: c)
    case .flatten(let c): return Flatten(name: c.name)
    case .dropout(let c): return Dropout(configuration: c)
    case .rescaling(let c): return Rescaling(configuration: c)
    case .batchNormalization(let c): return BatchNormalization(configuration: c)
    case .activation(let c): return ActivationLayer(configuration: c)
    case .lambda(let c):
      guard let body = lambdas[c.function] else {
        throw .unregisteredLambda(function: c.function, registered: lambdas.keys.sorted())
      }
      return Lambda(function: c.function, name: c.name, body)
    case .l2Normalization(let c): return L2Normalization(configuration: c)
    case .metricEmbedding(let c): return MetricEmbedding(configuration: c)
    case .generalizedMeanPooling1D(let c): return GeneralizedMeanPooling1D(configuration: c)
    case .generalizedMeanPooling2D(let c): return GeneralizedMeanPooling2D(configuration: c)
    case .collapseMonitor(let c): return CollapseMonitor(name: c.name)
    case .sequential(let c): return try Sequential(configuration: c, lambdas: lambdas)
    case .conv1D(let c): return Conv1D(configuration: c)
    case .conv3D(let c): return Conv3D(configuration: c)
    case .conv2DTranspose(let c): return Conv2DTranspose(configuration: c)
    case .conv3DTranspose(let c): return Conv3DTranspose(configuration: c)
    case .depthwiseConv2D(let c): return DepthwiseConv2D(configuration: c)
    case .separableConv2D(let c): return SeparableConv2D(configuration: c)
    }
  }
}

/// A problem with an architecture description that is well-formed JSON.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
  /// A `"type"` that names no layer this library knows.
  case unknownLayerType(String)
  /// Hyper-parameters no layer of `type` accepts.
  case invalidConfiguration(type: String, reason: String)
  /// A ``Lambda`` whose function was not passed to the loader.
  case unregisteredLambda(function: String, registered: [String])
  /// A layer that cannot be described (a user-defined type).
  case unserializableLayer(name: String, type: String)
  /// A sequential model that does not start with an ``Input``.
  case missingInput

  /// What went wrong, with the values involved.
  public var description: String {
    switch self {
    case .unknownLayerType(let type):
      "unknown layer type \"\(type)\"; expected one of \(LayerConfiguration.knownTypeNames.joined(separator: ", "))"
    case .invalidConfiguration(let type, let reason):
      "invalid \(type) configuration: \(reason)"
    case .unregisteredLambda(let function, let registered):
      "Lambda function \"\(function)\" is not registered (registered: \(registered.isEmpty ? "none" : registered.joined(separator: ", ")))"
    case .unserializableLayer(let name, let type):
      "layer '\(name)' of type \(type) has no configuration and cannot be saved as an architecture"
    case .missingInput:
      "a sequential model must start with an InputLayer"
    }
  }
}

extension LayerConfiguration: Codable {
  private enum CodingKeys: String, CodingKey {
    case type, config
  }

  /// Every `"type"` the decoder accepts.
  public static let knownTypeNames = [
    Input.typeName, Dense.typeName, Conv2D.typeName, MaxPooling2D.typeName,
    AveragePooling2D.typeName, Flatten.typeName, Dropout.typeName, Rescaling.typeName,
    BatchNormalization.typeName, ActivationLayer.typeName, Lambda.typeName,
    L2Normalization.typeName, MetricEmbedding.typeName, GeneralizedMeanPooling1D.typeName,
    GeneralizedMeanPooling2D.typeName, CollapseMonitor.typeName, Sequential.typeName,
    Conv1D.typeName,
    Conv3D.typeName,
    Conv2DTranspose.typeName,
    Conv3DTranspose.typeName,
    DepthwiseConv2D.typeName,
    SeparableConv2D.typeName,
  ]

  /// Decodes `{"type": …, "config": …}`; an unknown type throws
  /// ``ArchitectureError/unknownLayerType(_:)``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let type = try container.decode(String.self, forKey: .type)
    func config<C: Decodable>(_: C.Type) throws -> C {
      try container.decode(C.self, forKey: .config)
    }
    switch type {
    case Input.typeName: self = .input(try config(Input.Configuration.self))
    case Dense.typeName: self = .dense(try config(Dense.Configuration.self))
    case Conv2D.typeName: self = .conv2D(try config(Conv2D.Configuration.self))
    case MaxPooling2D.typeName: self = .maxPooling2D(try config(Pooling2DConfiguration.self))
    case AveragePooling2D.typeName:
      self = .averagePooling2D(try config(Pooling2DConfiguration.self))
    case Flatten.typeName: self = .flatten(try config(NameConfiguration.self))
    case Dropout.typeName: self = .dropout(try config(Dropout.Configuration.self))
    case Rescaling.typeName: self = .rescaling(try config(Rescaling.Configuration.self))
    case BatchNormalization.typeName:
      self = .batchNormalization(try config(BatchNormalization.Configuration.self))
    case ActivationLayer.typeName:
      self = .activation(try config(ActivationLayer.Configuration.self))
    case Lambda.typeName: self = .lambda(try config(Lambda.Configuration.self))
    case L2Normalization.typeName:
      self = .l2Normalization(try config(L2Normalization.Configuration.self))
    case MetricEmbedding.typeName: self = .metricEmbedding(try config(Dense.Configuration.self))
    case GeneralizedMeanPooling1D.typeName:
      self = .generalizedMeanPooling1D(try config(GeneralizedMeanPoolingConfiguration.self))
    case GeneralizedMeanPooling2D.typeName:
      self = .generalizedMeanPooling2D(try config(GeneralizedMeanPoolingConfiguration.self))
    case CollapseMonitor.typeName: self = .collapseMonitor(try config(NameConfiguration.self))
    case Sequential.typeName: self = .sequential(try config(Sequential.Configuration.self))
    case Conv1D.typeName: self = .conv1D(try config(Conv1D.Configuration.self))
    case Conv3D.typeName: self = .conv3D(try config(Conv3D.Configuration.self))
    case Conv2DTranspose.typeName: self = .conv2DTranspose(try config(Conv2DTranspose.Configuration.self))
    case Conv3DTranspose.typeName: self = .conv3DTranspose(try config(Conv3DTranspose.Configuration.self))
    case DepthwiseConv2D.typeName: self = .depthwiseConv2D(try config(DepthwiseConv2D.Configuration.self))
    case SeparableConv2D.typeName: self = .separableConv2D(try config(SeparableConv2D.Configuration.self))
    default: throw ArchitectureError.unknownLayerType(type)
    }
  }

  /// Encodes `{"type": …, "config": …}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(typeName, forKey: .type)
    switch self {
    case .input(let c): try container.encode(c, forKey: .config)
    case .dense(let c): try container.encode(c, forKey: .config)
    case .conv2D(let c): try container.encode(c, forKey: .config)
    case .maxPooling2D(let c): try container.encode(c, forKey: .config)
    case .averagePooling2D(let c): try container.encode(c, forKey: .config)
    case .flatten(let c): try container.encode(c, forKey: .config)
    case .dropout(let c): try container.encode(c, forKey: .config)
    case .rescaling(let c): try container.encode(c, forKey: .config)
    case .batchNormalization(let c): try container.encode(c, forKey: .config)
    case .activation(let c): try container.encode(c, forKey: .config)
    case .lambda(let c): try container.encode(c, forKey: .config)
    case .l2Normalization(let c): try container.encode(c, forKey: .config)
    case .metricEmbedding(let c): try container.encode(c, forKey: .config)
    case .generalizedMeanPooling1D(let c): try container.encode(c, forKey: .config)
    case .generalizedMeanPooling2D(let c): try container.encode(c, forKey: .config)
    case .collapseMonitor(let c): try container.encode(c, forKey: .config)
    case .sequential(let c): try container.encode(c, forKey: .config)
    case .conv1D(let c): try container.encode(c, forKey: .config)
    case .conv3D(let c): try container.encode(c, forKey: .config)
    case .conv2DTranspose(let c): try container.encode(c, forKey: .config)
    case .conv3DTranspose(let c): try container.encode(c, forKey: .config)
    case .depthwiseConv2D(let c): try container.encode(c, forKey: .config)
    case .separableConv2D(let c): try container.encode(c, forKey: .config)
    }
  }
}
