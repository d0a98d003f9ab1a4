import SimilarityLayers

/// The ready-made architectures by their command-line names (TF Similarity's `ResNet18Sim`,
/// `ResNet50Sim`, `EfficientNetSim` B0–B2, and EfficientNet-Lite0–4), each a ``Functional``
/// graph model ending in TF Similarity's embedding head by default.
///
/// ```swift
/// let model = try Backbone.efficientNetB0.make(
///   top: .embedding(size: 64, pooling: .generalizedMean(p: 3), l2Normalize: true),
///   trainability: .partial)
/// let embeddings = model(model.preprocessing!(images))   // [batch, 64]
/// ```
public enum Backbone: String, CaseIterable, Sendable {
  case resNet18 = "resnet18-sim"
  case resNet50 = "resnet50-sim"
  case efficientNetB0 = "efficientnet-b0-sim"
  case efficientNetB1 = "efficientnet-b1-sim"
  case efficientNetB2 = "efficientnet-b2-sim"
  case efficientNetLite0 = "efficientnet-lite0-sim"
  case efficientNetLite1 = "efficientnet-lite1-sim"
  case efficientNetLite2 = "efficientnet-lite2-sim"
  case efficientNetLite3 = "efficientnet-lite3-sim"
  case efficientNetLite4 = "efficientnet-lite4-sim"

  /// The image side the architecture is made for by default: 32 (ResNet18, CIFAR-style),
  /// 224 (ResNet50), or the EfficientNet variant's resolution.
  public var defaultResolution: Int {
    switch self {
    case .resNet18: 32
    case .resNet50: 224
    case .efficientNetB0, .efficientNetB1, .efficientNetB2: efficientNet!.resolution
    default: efficientNetLite!.resolution
    }
  }

  /// The largest image side ``make(inputSize:top:trainability:seed:)`` accepts: at 512 the
  /// largest activation of every architecture here stays within
  /// ``ArchitectureLimits/standard`` (2²⁴ values per example; ResNet18's stride-1 stem reaches
  /// exactly that). Every side from 1 up works: all the networks pad before their windows.
  public static let maximumSide = 512

  /// Whether TF Similarity's `trainable` option applies (not to ResNet18Sim, which has none).
  public var hasTrainability: Bool { self != .resNet18 }

  /// TF Similarity's regular expression for the layers `trainable="partial"` keeps
  /// trainable (`nil` for ResNet18Sim, which has no such option).
  var partialTopPattern: String? {
    switch self {
    case .resNet18: nil
    case .resNet50: "^conv5|^top"
    default: "^block[5,6,7]|^top"
    }
  }

  var efficientNet: EfficientNetVariant? {
    switch self {
    case .efficientNetB0: .b0
    case .efficientNetB1: .b1
    case .efficientNetB2: .b2
    default: nil
    }
  }

  var efficientNetLite: EfficientNetLiteVariant? {
    switch self {
    case .efficientNetLite0: .lite0
    case .efficientNetLite1: .lite1
    case .efficientNetLite2: .lite2
    case .efficientNetLite3: .lite3
    case .efficientNetLite4: .lite4
    default: nil
    }
  }

  /// Creates the model on RGB images `[batch, height, width, 3]`.
  ///
  /// - Parameters:
  ///   - inputSize: `(height, width)`; by default ``defaultResolution`` square.
  ///   - top: the head (TF Similarity's defaults: 128-d, GeM p = 3, L2-normalised).
  ///   - trainability: TF Similarity's `trainable`; ResNet18 must be `.full`.
  /// - Throws: ``ArchitectureError/invalidConfiguration(type:reason:)`` when a side is
  ///   outside 1…``maximumSide``.
  public func make(
    inputSize: (height: Int, width: Int)? = nil, top: BackboneTop = .defaultEmbedding,
    trainability: BackboneTrainability = .full, seed: UInt64 = 0
  ) throws(ArchitectureError) -> Functional {
    precondition(
      hasTrainability || trainability == .full,
      "Backbone \(rawValue): TF Similarity's ResNet18Sim has no trainable option")
    let side = defaultResolution
    let shape = [inputSize?.height ?? side, inputSize?.width ?? side, 3]
    guard shape.prefix(2).allSatisfy({ (1...Self.maximumSide).contains($0) }) else {
      throw .invalidConfiguration(
        type: rawValue,
        reason: "input size \(shape[0])×\(shape[1]) must have sides in 1…\(Self.maximumSide)")
    }
    if let variant = efficientNet {
      return try .efficientNet(
        variant, inputShape: shape, top: top, trainability: trainability, seed: seed)
    }
    if let variant = efficientNetLite {
      return try .efficientNetLite(
        variant, inputShape: shape, top: top, trainability: trainability, seed: seed)
    }
    return self == .resNet18
      ? try .resNet18(inputShape: shape, top: top, seed: seed)
      : try .resNet50(inputShape: shape, top: top, trainability: trainability, seed: seed)
  }
}
