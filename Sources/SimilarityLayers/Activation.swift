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
    default:
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: decoder.codingPath,
          debugDescription: "unknown activation \"\(name)\"; expected one of linear, relu, "
            + "sigmoid, tanh, softmax, gelu, leaky_relu"))
    }
  }
}
