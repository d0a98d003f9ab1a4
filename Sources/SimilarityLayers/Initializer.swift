import SimilarityTensors

/// How a layer fills a new parameter, with Keras' definitions (`keras.initializers`).
///
/// The variance-scaling family draws with a scale `s` and a fan `n`:
///
/// | case | `s` | `n` | uniform limit `√(3s/n)` | normal σ |
/// |---|---|---|---|---|
/// | `glorotUniform`, `glorotNormal` (Glorot & Bengio 2010) | 1 | `(fanIn + fanOut) / 2` | `√(6/(fanIn+fanOut))` | `√(2/(fanIn+fanOut))` |
/// | `heUniform`, `heNormal` (He et al. 2015) | 2 | `fanIn` | `√(6/fanIn)` | `√(2/fanIn)` |
/// | `lecunUniform`, `lecunNormal` (LeCun et al. 1998) | 1 | `fanIn` | `√(3/fanIn)` | `√(1/fanIn)` |
///
/// Normal variants draw from a normal truncated at two standard deviations, with the
/// standard deviation divided by 0.8796… so the truncated distribution has variance `s/n`
/// (as Keras does). Fans follow Keras: a `[in, out]` kernel has `fanIn = in`,
/// `fanOut = out`; a `[kh, kw, cin, cout]` convolution kernel has `fanIn = kh·kw·cin`,
/// `fanOut = kh·kw·cout`; a `[n]` vector has both equal to `n`.
public enum Initializer: String, Codable, Sendable, CaseIterable {
  /// Keras' `glorot_uniform`, the default kernel initializer of `Dense` and `Conv2D`.
  case glorotUniform = "glorot_uniform"
  /// Keras' `glorot_normal`.
  case glorotNormal = "glorot_normal"
  /// Keras' `he_uniform`.
  case heUniform = "he_uniform"
  /// Keras' `he_normal`.
  case heNormal = "he_normal"
  /// Keras' `lecun_uniform`.
  case lecunUniform = "lecun_uniform"
  /// Keras' `lecun_normal`.
  case lecunNormal = "lecun_normal"
  /// All zeros (the default bias initializer).
  case zeros
  /// All ones.
  case ones
  /// Keras' `VarianceScaling(scale=2, mode="fan_out", distribution="truncated_normal")`,
  /// σ = `√(2/fanOut)`: the kernel initializer of Keras' EfficientNet and MobileNet
  /// convolutions (a depthwise `[kh, kw, c, 1]` kernel has `fanOut = kh·kw`).
  case heNormalFanOut = "he_normal_fan_out"

  /// Keras' `(fan_in, fan_out)` for a parameter of `shape`.
  public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    switch shape.count {
    case 0: return (1, 1)
    case 1: return (shape[0], shape[0])
    case 2: return (shape[0], shape[1])
    default:
      let receptiveField = shape.dropLast(2).reduce(1, *)
      return (receptiveField * shape[shape.count - 2], receptiveField * shape[shape.count - 1])
    }
  }

  /// The limit `a` of U(−a, a) for the uniform cases, or the standard deviation of the
  /// untruncated normal for the normal cases; `nil` for `zeros` and `ones`.
  public func scale(forShape shape: [Int]) -> Float? {
    let (fanIn, fanOut) = Self.fans(of: shape)
    let average = Float(fanIn + fanOut) / 2
    switch self {
    case .glorotUniform: return (3 / average).squareRoot()
    case .heUniform: return (6 / Float(fanIn)).squareRoot()
    case .lecunUniform: return (3 / Float(fanIn)).squareRoot()
    case .glorotNormal: return (1 / average).squareRoot()
    case .heNormal: return (2 / Float(fanIn)).squareRoot()
    case .lecunNormal: return (1 / Float(fanIn)).squareRoot()
    case .heNormalFanOut: return (2 / Float(fanOut)).squareRoot()
    case .zeros, .ones: return nil
    }
  }

  /// A new tensor of `shape` drawn from `generator`.
  public func tensor(shape: [Int], using generator: inout SplitMix64) -> Tensor {
    let count = shape.reduce(1, *)
    switch self {
    case .zeros: return Tensor.zeros(shape)
    case .ones: return Tensor.ones(shape)
    case .glorotUniform, .heUniform, .lecunUniform:
      let limit = scale(forShape: shape) ?? 0
      let scalars = (0..<count).map { _ in (2 * generator.nextUnitFloat() - 1) * limit }
      return Tensor(shape: shape, scalars: scalars)
    case .glorotNormal, .heNormal, .lecunNormal, .heNormalFanOut:
      // Dividing by the standard deviation of a unit normal truncated to [-2, 2] makes the
      // truncated draws have the intended variance.
      let standardDeviation = (scale(forShape: shape) ?? 0) / 0.879_625_661_034_239_78
      let scalars = (0..<count).map { _ in
        Self.truncatedNormal(using: &generator) * standardDeviation
      }
      return Tensor(shape: shape, scalars: scalars)
    }
  }

  /// A unit normal draw, redrawn until it lies within two standard deviations.
  private static func truncatedNormal(using generator: inout SplitMix64) -> Float {
    while true {
      let value = generator.nextNormal()
      if abs(value) <= 2 { return value }
    }
  }
}
