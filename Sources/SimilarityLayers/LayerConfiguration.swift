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
  /// ``Add``.
  case add(NameConfiguration)
  /// ``Subtract``.
  case subtract(NameConfiguration)
  /// ``Multiply``.
  case multiply(NameConfiguration)
  /// ``Average``.
  case average(NameConfiguration)
  /// ``Maximum``.
  case maximum(NameConfiguration)
  /// ``Concatenate``.
  case concatenate(Concatenate.Configuration)
  /// A ``Functional`` graph model (nested, or the whole model).
  case functional(Functional.Configuration)
  /// ``MaxPooling1D``.
  case maxPooling1D(Pooling1DConfiguration)
  /// ``AveragePooling1D``.
  case averagePooling1D(Pooling1DConfiguration)
  /// ``MaxPooling3D``.
  case maxPooling3D(Pooling3DConfiguration)
  /// ``AveragePooling3D``.
  case averagePooling3D(Pooling3DConfiguration)
  /// ``GlobalAveragePooling1D``.
  case globalAveragePooling1D(GlobalPoolingConfiguration)
  /// ``GlobalAveragePooling2D``.
  case globalAveragePooling2D(GlobalPoolingConfiguration)
  /// ``GlobalAveragePooling3D``.
  case globalAveragePooling3D(GlobalPoolingConfiguration)
  /// ``GlobalMaxPooling1D``.
  case globalMaxPooling1D(GlobalPoolingConfiguration)
  /// ``GlobalMaxPooling2D``.
  case globalMaxPooling2D(GlobalPoolingConfiguration)
  /// ``GlobalMaxPooling3D``.
  case globalMaxPooling3D(GlobalPoolingConfiguration)
  /// ``ZeroPadding1D``.
  case zeroPadding1D(ZeroPaddingConfiguration)
  /// ``ZeroPadding2D``.
  case zeroPadding2D(ZeroPaddingConfiguration)
  /// ``ZeroPadding3D``.
  case zeroPadding3D(ZeroPaddingConfiguration)
  /// ``Cropping1D``.
  case cropping1D(CroppingConfiguration)
  /// ``Cropping2D``.
  case cropping2D(CroppingConfiguration)
  /// ``UpSampling1D``.
  case upSampling1D(UpSampling1D.Configuration)
  /// ``UpSampling2D``.
  case upSampling2D(UpSampling2D.Configuration)
  /// ``Reshape``.
  case reshape(Reshape.Configuration)
  /// ``Permute``.
  case permute(Permute.Configuration)
  /// ``LayerNormalization``.
  case layerNormalization(LayerNormalization.Configuration)
  /// ``Embedding``.
  case embedding(Embedding.Configuration)
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
  /// ``Normalization``.
  case normalization(Normalization.Configuration)
  /// An ``AugmentationLayer`` (`RandomFlip`, `RandomRotation`, …; the type is the op's).
  case imageAugmentation(AugmentationLayerConfiguration)

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
    case .add: Add.typeName
    case .subtract: Subtract.typeName
    case .multiply: Multiply.typeName
    case .average: Average.typeName
    case .maximum: Maximum.typeName
    case .concatenate: Concatenate.typeName
    case .functional: Functional.typeName
    case .maxPooling1D: MaxPooling1D.typeName
    case .averagePooling1D: AveragePooling1D.typeName
    case .maxPooling3D: MaxPooling3D.typeName
    case .averagePooling3D: AveragePooling3D.typeName
    case .globalAveragePooling1D: GlobalAveragePooling1D.typeName
    case .globalAveragePooling2D: GlobalAveragePooling2D.typeName
    case .globalAveragePooling3D: GlobalAveragePooling3D.typeName
    case .globalMaxPooling1D: GlobalMaxPooling1D.typeName
    case .globalMaxPooling2D: GlobalMaxPooling2D.typeName
    case .globalMaxPooling3D: GlobalMaxPooling3D.typeName
    case .zeroPadding1D: ZeroPadding1D.typeName
    case .zeroPadding2D: ZeroPadding2D.typeName
    case .zeroPadding3D: ZeroPadding3D.typeName
    case .cropping1D: Cropping1D.typeName
    case .cropping2D: Cropping2D.typeName
    case .upSampling1D: UpSampling1D.typeName
    case .upSampling2D: UpSampling2D.typeName
    case .reshape: Reshape.typeName
    case .permute: Permute.typeName
    case .layerNormalization: LayerNormalization.typeName
    case .embedding: Embedding.typeName
    case .conv1D: Conv1D.typeName
    case .conv3D: Conv3D.typeName
    case .conv2DTranspose: Conv2DTranspose.typeName
    case .conv3DTranspose: Conv3DTranspose.typeName
    case .depthwiseConv2D: DepthwiseConv2D.typeName
    case .separableConv2D: SeparableConv2D.typeName
    case .normalization: Normalization.typeName
    case .imageAugmentation(let c): c.step.kerasName
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
    case .add(let c): return Add(name: c.name)
    case .subtract(let c): return Subtract(name: c.name)
    case .multiply(let c): return Multiply(name: c.name)
    case .average(let c): return Average(name: c.name)
    case .maximum(let c): return Maximum(name: c.name)
    case .concatenate(let c): return Concatenate(configuration: c)
    case .functional(let c): return try Functional(configuration: c, lambdas: lambdas)
    case .maxPooling1D(let c): return MaxPooling1D(configuration: c)
    case .averagePooling1D(let c): return AveragePooling1D(configuration: c)
    case .maxPooling3D(let c): return MaxPooling3D(configuration: c)
    case .averagePooling3D(let c): return AveragePooling3D(configuration: c)
    case .globalAveragePooling1D(let c): return GlobalAveragePooling1D(configuration: c)
    case .globalAveragePooling2D(let c): return GlobalAveragePooling2D(configuration: c)
    case .globalAveragePooling3D(let c): return GlobalAveragePooling3D(configuration: c)
    case .globalMaxPooling1D(let c): return GlobalMaxPooling1D(configuration: c)
    case .globalMaxPooling2D(let c): return GlobalMaxPooling2D(configuration: c)
    case .globalMaxPooling3D(let c): return GlobalMaxPooling3D(configuration: c)
    case .zeroPadding1D(let c): return ZeroPadding1D(configuration: c)
    case .zeroPadding2D(let c): return ZeroPadding2D(configuration: c)
    case .zeroPadding3D(let c): return ZeroPadding3D(configuration: c)
    case .cropping1D(let c): return Cropping1D(configuration: c)
    case .cropping2D(let c): return Cropping2D(configuration: c)
    case .upSampling1D(let c): return UpSampling1D(configuration: c)
    case .upSampling2D(let c): return UpSampling2D(configuration: c)
    case .reshape(let c): return Reshape(configuration: c)
    case .permute(let c): return Permute(configuration: c)
    case .layerNormalization(let c): return LayerNormalization(configuration: c)
    case .embedding(let c): return Embedding(configuration: c)
    case .conv1D(let c): return Conv1D(configuration: c)
    case .conv3D(let c): return Conv3D(configuration: c)
    case .conv2DTranspose(let c): return Conv2DTranspose(configuration: c)
    case .conv3DTranspose(let c): return Conv3DTranspose(configuration: c)
    case .depthwiseConv2D(let c): return DepthwiseConv2D(configuration: c)
    case .separableConv2D(let c): return SeparableConv2D(configuration: c)
    case .normalization(let c): return Normalization(configuration: c)
    case .imageAugmentation(let c): return c.makeLayer()
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
  /// Inputs a merge layer or nested model cannot take together (`Add` of `(None, 4)` and
  /// `(None, 3)`), or a layer called on a shape it cannot take.
  case incompatibleShapes(layer: String, type: String, shapes: [LayerShape], reason: String)
  /// A graph whose nodes depend on each other in a cycle (the layers around it).
  case cycle(model: String, layers: [String])
  /// A node or model input/output referring to a layer, node or tensor that does not exist.
  case unknownReference(model: String, layer: String, reference: String)
  /// Two layers of one model with the same name.
  case duplicateLayerName(model: String, name: String)
  /// A graph node that needs a model input the model does not list.
  case disconnected(model: String, layer: String, input: String)
  /// A graph that is not a valid model for another reason.
  case invalidGraph(model: String, reason: String)

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
    case .incompatibleShapes(let layer, let type, let shapes, let reason):
      shapes.isEmpty
        ? "\(type) '\(layer)': \(reason)"
        : "\(type) '\(layer)': inputs \(pythonTuples(shapes)) are incompatible: \(reason)"
    case .cycle(let model, let layers):
      "model '\(model)': the layers \(layers.map { "'\($0)'" }.joined(separator: " → ")) form a cycle"
    case .unknownReference(let model, let layer, let reference):
      "model '\(model)': '\(layer)' refers to \(reference), which does not exist"
    case .duplicateLayerName(let model, let name):
      "model '\(model)': two layers are named '\(name)'"
    case .disconnected(let model, let layer, let input):
      "model '\(model)': layer '\(layer)' needs the input '\(input)', which is not one of the model's inputs"
    case .invalidGraph(let model, let reason):
      "model '\(model)': \(reason)"
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
    Add.typeName, Subtract.typeName, Multiply.typeName, Average.typeName, Maximum.typeName,
    Concatenate.typeName, Functional.typeName,
    MaxPooling1D.typeName,
    AveragePooling1D.typeName,
    MaxPooling3D.typeName,
    AveragePooling3D.typeName,
    GlobalAveragePooling1D.typeName,
    GlobalAveragePooling2D.typeName,
    GlobalAveragePooling3D.typeName,
    GlobalMaxPooling1D.typeName,
    GlobalMaxPooling2D.typeName,
    GlobalMaxPooling3D.typeName,
    ZeroPadding1D.typeName,
    ZeroPadding2D.typeName,
    ZeroPadding3D.typeName,
    Cropping1D.typeName,
    Cropping2D.typeName,
    UpSampling1D.typeName,
    UpSampling2D.typeName,
    Reshape.typeName,
    Permute.typeName,
    LayerNormalization.typeName,
    Embedding.typeName,
    Conv1D.typeName,
    Conv3D.typeName,
    Conv2DTranspose.typeName,
    Conv3DTranspose.typeName,
    DepthwiseConv2D.typeName,
    SeparableConv2D.typeName,
    Normalization.typeName,
  ] + ImageAugmentationStep.kerasNames

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
    case Add.typeName: self = .add(try config(NameConfiguration.self))
    case Subtract.typeName: self = .subtract(try config(NameConfiguration.self))
    case Multiply.typeName: self = .multiply(try config(NameConfiguration.self))
    case Average.typeName: self = .average(try config(NameConfiguration.self))
    case Maximum.typeName: self = .maximum(try config(NameConfiguration.self))
    case Concatenate.typeName: self = .concatenate(try config(Concatenate.Configuration.self))
    case Functional.typeName: self = .functional(try config(Functional.Configuration.self))
    case MaxPooling1D.typeName: self = .maxPooling1D(try config(Pooling1DConfiguration.self))
    case AveragePooling1D.typeName: self = .averagePooling1D(try config(Pooling1DConfiguration.self))
    case MaxPooling3D.typeName: self = .maxPooling3D(try config(Pooling3DConfiguration.self))
    case AveragePooling3D.typeName: self = .averagePooling3D(try config(Pooling3DConfiguration.self))
    case GlobalAveragePooling1D.typeName: self = .globalAveragePooling1D(try config(GlobalPoolingConfiguration.self))
    case GlobalAveragePooling2D.typeName: self = .globalAveragePooling2D(try config(GlobalPoolingConfiguration.self))
    case GlobalAveragePooling3D.typeName: self = .globalAveragePooling3D(try config(GlobalPoolingConfiguration.self))
    case GlobalMaxPooling1D.typeName: self = .globalMaxPooling1D(try config(GlobalPoolingConfiguration.self))
    case GlobalMaxPooling2D.typeName: self = .globalMaxPooling2D(try config(GlobalPoolingConfiguration.self))
    case GlobalMaxPooling3D.typeName: self = .globalMaxPooling3D(try config(GlobalPoolingConfiguration.self))
    case ZeroPadding1D.typeName: self = .zeroPadding1D(try config(ZeroPaddingConfiguration.self))
    case ZeroPadding2D.typeName: self = .zeroPadding2D(try config(ZeroPaddingConfiguration.self))
    case ZeroPadding3D.typeName: self = .zeroPadding3D(try config(ZeroPaddingConfiguration.self))
    case Cropping1D.typeName: self = .cropping1D(try config(CroppingConfiguration.self))
    case Cropping2D.typeName: self = .cropping2D(try config(CroppingConfiguration.self))
    case UpSampling1D.typeName: self = .upSampling1D(try config(UpSampling1D.Configuration.self))
    case UpSampling2D.typeName: self = .upSampling2D(try config(UpSampling2D.Configuration.self))
    case Reshape.typeName: self = .reshape(try config(Reshape.Configuration.self))
    case Permute.typeName: self = .permute(try config(Permute.Configuration.self))
    case LayerNormalization.typeName: self = .layerNormalization(try config(LayerNormalization.Configuration.self))
    case Embedding.typeName: self = .embedding(try config(Embedding.Configuration.self))
    case Conv1D.typeName: self = .conv1D(try config(Conv1D.Configuration.self))
    case Conv3D.typeName: self = .conv3D(try config(Conv3D.Configuration.self))
    case Conv2DTranspose.typeName: self = .conv2DTranspose(try config(Conv2DTranspose.Configuration.self))
    case Conv3DTranspose.typeName: self = .conv3DTranspose(try config(Conv3DTranspose.Configuration.self))
    case DepthwiseConv2D.typeName: self = .depthwiseConv2D(try config(DepthwiseConv2D.Configuration.self))
    case SeparableConv2D.typeName: self = .separableConv2D(try config(SeparableConv2D.Configuration.self))
    case Normalization.typeName: self = .normalization(try config(Normalization.Configuration.self))
    case _ where ImageAugmentationStep.kerasNames.contains(type):
      self = .imageAugmentation(
        try AugmentationLayerConfiguration(kerasName: type, from: container.superDecoder(forKey: .config)))
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
    case .add(let c), .subtract(let c), .multiply(let c), .average(let c), .maximum(let c):
      try container.encode(c, forKey: .config)
    case .concatenate(let c): try container.encode(c, forKey: .config)
    case .functional(let c): try container.encode(c, forKey: .config)
    case .maxPooling1D(let c): try container.encode(c, forKey: .config)
    case .averagePooling1D(let c): try container.encode(c, forKey: .config)
    case .maxPooling3D(let c): try container.encode(c, forKey: .config)
    case .averagePooling3D(let c): try container.encode(c, forKey: .config)
    case .globalAveragePooling1D(let c): try container.encode(c, forKey: .config)
    case .globalAveragePooling2D(let c): try container.encode(c, forKey: .config)
    case .globalAveragePooling3D(let c): try container.encode(c, forKey: .config)
    case .globalMaxPooling1D(let c): try container.encode(c, forKey: .config)
    case .globalMaxPooling2D(let c): try container.encode(c, forKey: .config)
    case .globalMaxPooling3D(let c): try container.encode(c, forKey: .config)
    case .zeroPadding1D(let c): try container.encode(c, forKey: .config)
    case .zeroPadding2D(let c): try container.encode(c, forKey: .config)
    case .zeroPadding3D(let c): try container.encode(c, forKey: .config)
    case .cropping1D(let c): try container.encode(c, forKey: .config)
    case .cropping2D(let c): try container.encode(c, forKey: .config)
    case .upSampling1D(let c): try container.encode(c, forKey: .config)
    case .upSampling2D(let c): try container.encode(c, forKey: .config)
    case .reshape(let c): try container.encode(c, forKey: .config)
    case .permute(let c): try container.encode(c, forKey: .config)
    case .layerNormalization(let c): try container.encode(c, forKey: .config)
    case .embedding(let c): try container.encode(c, forKey: .config)
    case .conv1D(let c): try container.encode(c, forKey: .config)
    case .conv3D(let c): try container.encode(c, forKey: .config)
    case .conv2DTranspose(let c): try container.encode(c, forKey: .config)
    case .conv3DTranspose(let c): try container.encode(c, forKey: .config)
    case .depthwiseConv2D(let c): try container.encode(c, forKey: .config)
    case .separableConv2D(let c): try container.encode(c, forKey: .config)
    case .normalization(let c): try container.encode(c, forKey: .config)
    case .imageAugmentation(let c): try c.encode(to: container.superEncoder(forKey: .config))
    }
  }
}
