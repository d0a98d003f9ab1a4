import Foundation
import Testing

@testable import SimilarityModels

/// Forward passes against tf_keras' own EfficientNetB0 and TF Similarity's
/// ResNet18Sim on 32×32 images, with every weight set by one formula on both sides
/// (`scripts/golden/backbone_forward.py`, which documents it): the pooled features agree.
@Suite struct BackboneForwardTests {
  /// The script's formula for the parameter `path` (`layer.weight`) of `shape`.
  static func formula(_ path: String, shape: [Int]) -> Tensor {
    let s = Double(path.utf8.reduce(0) { $0 + Int($1) } % 997)
    let count = shape.reduce(1, *)
    let weight = path.split(separator: ".").last.map(String.init) ?? ""
    let values = (0..<count).map { i -> Float in
      let u = sin(0.1 * s + 0.61 * Double(i))
      let v: Double =
        switch weight {
        case "kernel": 1.7 * u / Double(shape.dropLast().reduce(1, *)).squareRoot()
        case "depthwise_kernel": 1.7 * u / Double(shape[0] * shape[1]).squareRoot()
        case "bias": 0.05 * u
        case "gamma": 1 + 0.1 * u
        case "beta", "moving_mean": 0.1 * u
        case "moving_variance": 1 + 0.25 * (1 + u)
        case "mean": 0.45 + 0.05 * u
        case "variance": 0.06 + 0.01 * u
        default: 0  // count
        }
      return Float(v)
    }
    return Tensor(shape: shape, scalars: values)
  }

  /// The script's two 32×32×3 images, values in [7.5, 247.5].
  static func images() -> Tensor {
    let n = 32 * 32 * 3
    var values: [Float] = []
    for b in 0..<2 {
      let frequency = 0.13 + 0.04 * Double(b)
      for i in 0..<n {
        let angle = frequency * Double(i)
        values.append(Float(127.5 + 120 * sin(angle)))
      }
    }
    return Tensor(shape: [2, 32, 32, 3], scalars: values)
  }

  @Test(arguments: [Backbone.efficientNetB0, .resNet18])
  func pooledFeaturesEqualKeras(backbone: Backbone) throws {
    let line = try #require(
      try ModelFixtures.text("backbone_forward.tsv").split(separator: "\n")
        .first { $0.hasPrefix(backbone.rawValue + "\t") })
    let expected = line.split(separator: "\t")[1].split(separator: ",").map { Float($0)! }
    let model = try backbone.make(inputSize: (32, 32), top: .pooled(.average))
    for (path, parameter) in model.namedParameters {
      parameter.value = Self.formula(path, shape: parameter.shape)
    }
    let preprocessing = try #require(model.preprocessing)
    let output = model(preprocessing(Self.images()))
    #expect(output.count == expected.count)
    let scale = expected.map(abs).max() ?? 1
    let error = zip(output.scalars, expected).map { abs($0 - $1) }.max() ?? .infinity
    #expect(error <= 1e-4 * scale, "\(backbone): largest difference \(error), values up to \(scale)")
  }
}
