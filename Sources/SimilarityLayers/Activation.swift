import SimilarityTensors

/// An element-wise (or, for softmax, last-axis) activation function, as in
/// `keras.activations`.
public enum Activation: Equatable, Sendable {
  /// The identity (Keras' `"linear"`, the default of `Dense` and `Conv2D`).
  case linear
  /// `max(x, 0)`.
  case relu
  /// `1 / (1 + e^(-x))`.
  case sigmoid
  /// The hyperbolic tangent.
  case tanh
  /// `e^x / Σ e^x` along the last axis.
  case softmax
  /// Gaussian error linear unit (Hendrycks & Gimpel 2016, https://arxiv.org/abs/1606.08415):
  /// exact `x·Φ(x)` when `approximate` is false (the Keras default), the tanh form otherwise.
  case gelu(approximate: Bool = false)
  /// `x` for `x > 0`, `alpha·x` otherwise (Keras 3 default slope 0.2).
  case leakyRelu(alpha: Float = 0.2)
  /// `min(max(x, 0), 6)`.
  case relu6
  /// `x · sigmoid(x)` (Keras `swish`; `silu` is read as the same function).
  case swish
  /// Keras 2's `min(max(0.2·x + 0.5, 0), 1)` (tf-keras 2.21; Keras 3 uses `relu6(x + 3) / 6`).
  case hardSigmoid
  /// `x · relu6(x + 3) / 6` (MobileNetV3; Keras 3 `hard_swish` / `hard_silu`).
  case hardSwish
  /// `x` for `x > 0`, else `alpha · (eˣ − 1)` (Keras default alpha 1).
  case elu(alpha: Float = 1)
  /// `1.0507 · elu(x, 1.6733)` (Klambauer et al. 2017).
  case selu
  /// `log(1 + eˣ)`.
  case softplus
  /// `x / (1 + |x|)`.
  case softsign
  /// `eˣ`.
  case exponential

  /// Applies the function to `x` (any shape; softmax along the last axis).
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .linear: return x
    case .relu: return x.relu()
    case .sigmoid: return x.sigmoid()
    case .tanh: return x.tanh()
    case .softmax: return x.softmax(alongAxis: x.rank - 1)
    case .gelu(let approximate): return x.gelu(approximate: approximate)
    case .leakyRelu(let alpha): return x.leakyRelu(alpha: alpha)
    case .relu6: return x.relu6()
    case .swish: return x.swish()
    case .hardSigmoid: return x.hardSigmoid()
    case .hardSwish: return x.hardSwish()
    case .elu(let alpha): return x.elu(alpha: alpha)
    case .selu: return x.selu()
    case .softplus: return x.softplus()
    case .softsign: return x.softsign()
    case .exponential: return x.exp()
    }
  }

  /// The Keras name: `"relu"`, `"leaky_relu"`, ….
  public var kerasName: String {
    switch self {
    case .linear: "linear"
    case .relu: "relu"
    case .sigmoid: "sigmoid"
    case .tanh: "tanh"
    case .softmax: "softmax"
    case .gelu: "gelu"
    case .leakyRelu: "leaky_relu"
    case .relu6: "relu6"
    case .swish: "swish"
    case .hardSigmoid: "hard_sigmoid"
    case .hardSwish: "hard_swish"
    case .elu: "elu"
    case .selu: "selu"
    case .softplus: "softplus"
    case .softsign: "softsign"
    case .exponential: "exponential"
    }
  }
}

extension Activation: Codable {
  private enum CodingKeys: String, CodingKey {
    case name, approximate, alpha
  }

  /// Encodes parameterless functions as their Keras name (`"relu"`) and the others as
  /// `{"name": "gelu", "approximate": false}` / `{"name": "leaky_relu", "alpha": 0.2}`.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .gelu(let approximate):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(kerasName, forKey: .name)
      try container.encode(approximate, forKey: .approximate)
    case .leakyRelu(let alpha):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(kerasName, forKey: .name)
      try container.encode(alpha, forKey: .alpha)
    case .elu(let alpha):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(kerasName, forKey: .name)
      try container.encode(alpha, forKey: .alpha)
    default:
      var container = encoder.singleValueContainer()
      try container.encode(kerasName)
    }
  }

  /// Decodes either form written by ``encode(to:)``.
  public init(from decoder: any Decoder) throws {
    if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self)
    {
      try self.init(kerasName: name, decoder: decoder, parameters: nil)
    } else {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      let name = try container.decode(String.self, forKey: .name)
      try self.init(kerasName: name, decoder: decoder, parameters: container)
    }
  }

  private init(
    kerasName name: String, decoder: any Decoder,
    parameters: KeyedDecodingContainer<CodingKeys>?
  ) throws {
    switch name {
    case "linear": self = .linear
    case "relu": self = .relu
    case "sigmoid": self = .sigmoid
    case "tanh": self = .tanh
    case "softmax": self = .softmax
    case "gelu":
      self = .gelu(
        approximate: try parameters?.decodeIfPresent(Bool.self, forKey: .approximate) ?? false)
    case "leaky_relu":
      self = .leakyRelu(alpha: try parameters?.decodeIfPresent(Float.self, forKey: .alpha) ?? 0.2)
    case "relu6": self = .relu6
    case "swish", "silu": self = .swish
    case "hard_sigmoid": self = .hardSigmoid
    case "hard_swish", "hard_silu": self = .hardSwish
    case "elu": self = .elu(alpha: try parameters?.decodeIfPresent(Float.self, forKey: .alpha) ?? 1)
    case "selu": self = .selu
    case "softplus": self = .softplus
    case "softsign": self = .softsign
    case "exponential": self = .exponential
    default:
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath,
          debugDescription: "unknown activation \"\(name)\"; expected one of linear, relu, "
            + "sigmoid, tanh, softmax, gelu, leaky_relu, relu6, swish, silu, hard_sigmoid, "
            + "hard_swish, hard_silu, elu, selu, softplus, softsign, exponential"))
    }
  }
}
