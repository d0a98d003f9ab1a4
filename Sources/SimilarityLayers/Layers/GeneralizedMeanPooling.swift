import SimilarityTensors

/// The hyper-parameters shared by ``GeneralizedMeanPooling1D`` and
/// ``GeneralizedMeanPooling2D``.
///
/// In JSON, an infinite `p` is written as the string `"inf"` or `"-inf"` (JSON numbers cannot
/// be infinite).
public struct GeneralizedMeanPoolingConfiguration: Codable, Equatable, Sendable {
  /// The layer name.
  public var name: String
  /// The power `p`.
  public var p: Float
  /// Whether the pooled axes are kept with extent 1.
  public var keepsDimensions: Bool

  /// Creates a configuration.
  public init(name: String, p: Float, keepsDimensions: Bool) {
    self.name = name
    self.p = p
    self.keepsDimensions = keepsDimensions
  }

  private enum CodingKeys: String, CodingKey {
    case name, p, keepsDimensions
  }

  /// Decodes `p` from a number, `"inf"` or `"-inf"`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    keepsDimensions = try container.decode(Bool.self, forKey: .keepsDimensions)
    if let text = try? container.decode(String.self, forKey: .p) {
      switch text {
      case "inf": p = .infinity
      case "-inf": p = -.infinity
      default:
        throw DecodingError.dataCorruptedError(
          forKey: .p, in: container, debugDescription: "p \"\(text)\" is not a number, inf or -inf")
      }
    } else {
      p = try container.decode(Float.self, forKey: .p)
    }
  }

  /// Encodes `p` as a number, or `"inf"` / `"-inf"`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    if p.isInfinite {
      try container.encode(p > 0 ? "inf" : "-inf", forKey: .p)
    } else {
      try container.encode(p, forKey: .p)
    }
    try container.encode(keepsDimensions, forKey: .keepsDimensions)
  }
}

/// The generalised mean (GeM) of Radenović, Tolias & Chum 2018, "Fine-tuning CNN Image
/// Retrieval with No Human Annotation" (https://arxiv.org/abs/1711.02512), over axis 1 of
/// `[batch, steps, channels]`, with TF Similarity's shift: per example and channel the values
/// are shifted so their minimum is 1, pooled, and shifted back, so any real input works:
///
///     m = min_s x_s,   GeM_p(x) = (mean_s (x_s − m + 1)^p)^(1/p) + m − 1
///
/// `p = 1` is the mean, `p → 0` the geometric mean (used for `|p| < 1e-6`), `p = ∞` the
/// maximum and `p = −∞` the minimum.
func generalizedMean(_ x: Tensor, p: Float) -> Tensor {
  if p == .infinity { return x.max(alongAxis: 1) }
  if p == -.infinity { return x.min(alongAxis: 1) }
  let minimum = x.min(alongAxis: 1, keepingDimensions: true)
  let shifted = x - minimum + 1
  let pooled =
    Swift.abs(p) < 1e-6
    ? shifted.log().mean(alongAxis: 1).exp()
    : shifted.pow(p).mean(alongAxis: 1).pow(1 / p)
  return pooled + minimum.squeezingShape(at: 1) - 1
}

/// Checks `p` (not NaN) for a GeM layer.
func checkGeneralizedMeanPower(_ p: Float, layer: String) {
  precondition(!p.isNaN, "\(layer): p must not be NaN")
}
