import Foundation
import SimilarityKernels
import Testing

@testable import SimilarityDatasets

/// Each deterministic augmentation transform with fixed parameters against TensorFlow's own
/// op on the same image (Fixtures/augmentation.json, written by
/// scripts/golden/augmentation.py), Gaussian blur against a naive 2-D convolution.
@Suite struct AugmentationGoldenTests {
  struct Fixture: Decodable {
    struct Input: Decodable {
      var shape: [Int]
      var values: [Float]
    }
    struct Matrix: Decodable {
      var kind: String
      var height: Int
      var width: Int
      var angle: Float?
      var zoom_x: Float?
      var zoom_y: Float?
      var dx: Float?
      var dy: Float?
      var transform: [Float]
    }
    struct Case: Decodable {
      var op: String
      var horizontal: Bool?
      var vertical: Bool?
      var transform: [Float]?
      var fill_mode: String?
      var interpolation: String?
      var fill_value: Float?
      var factor: Float?
      var delta: Float?
      var threshold: Float?
      var lower: Float?
      var upper: Float?
      var output: [Float]
    }
    var input: Input
    var matrices: [Matrix]
    var cases: [Case]
  }

  static let fixture: Fixture = {
    let url = try! TestSupport.fixture("augmentation.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  static var input: ImageBuffer {
    let s = fixture.input.shape
    return ImageBuffer(height: s[0], width: s[1], channels: s[2], values: fixture.input.values)
  }

  /// The largest absolute difference (infinite for different counts).
  static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }

  /// What TensorFlow computed for one case.
  static func transformed(_ c: Fixture.Case) -> ImageBuffer? {
    let image = input
    switch c.op {
    case "flip":
      return ImageTransforms.flipped(image, horizontal: c.horizontal!, vertical: c.vertical!)
    case "projective":
      return ImageTransforms.projected(
        image, transform: c.transform!, fillMode: FillMode(rawValue: c.fill_mode!)!,
        interpolation: Interpolation(rawValue: c.interpolation!)!, fillValue: c.fill_value!)
    case "contrast": return ImageTransforms.contrastAdjusted(image, factor: c.factor!)
    case "brightness": return ImageTransforms.brightnessAdjusted(image, delta: c.delta!)
    case "saturation": return ImageTransforms.saturationAdjusted(image, factor: c.factor!)
    case "hue": return ImageTransforms.hueAdjusted(image, delta: c.delta!)
    case "grayscale": return ImageTransforms.grayscaled(image)
    case "solarize":
      return ImageTransforms.solarized(
        image, threshold: c.threshold!, range: ValueRange(c.lower!, c.upper!))
    default: return nil
    }
  }

  @Test func everyTransformMatchesTensorFlow() throws {
    var seen: Set<String> = []
    for c in Self.fixture.cases {
      let result = try #require(Self.transformed(c), "unknown op \(c.op)")
      seen.insert(c.op)
      let tolerance: Float = c.op == "flip" ? 0 : 2e-6
      #expect(
        Self.maxDifference(result.values, c.output) <= tolerance,
        "\(c.op) \(c.fill_mode ?? "") \(c.interpolation ?? "") \(c.factor ?? c.delta ?? c.threshold ?? 0)")
    }
    #expect(seen == ["flip", "projective", "contrast", "brightness", "saturation", "hue", "grayscale", "solarize"])
    // All four fill modes and both interpolations were checked, for every matrix.
    #expect(Self.fixture.cases.filter { $0.op == "projective" }.count == 7 * 4 * 2)
  }

  @Test func transformMatricesAreKerasOnes() {
    for m in Self.fixture.matrices {
      let ours: [Float]
      switch m.kind {
      case "rotation": ours = ImageTransforms.rotationTransform(angle: m.angle!, height: m.height, width: m.width)
      case "zoom":
        ours = ImageTransforms.zoomTransform(zoomX: m.zoom_x!, zoomY: m.zoom_y!, height: m.height, width: m.width)
      default: ours = ImageTransforms.translationTransform(dx: m.dx!, dy: m.dy!)
      }
      #expect(Self.maxDifference(ours, m.transform) <= 1e-5, "\(m.kind)")
    }
    #expect(Set(Self.fixture.matrices.map(\.kind)) == ["rotation", "zoom", "translation"])
  }

  /// The blur as a plain 2-D convolution with an explicitly mirrored border.
  static func naiveBlur(_ image: ImageBuffer, size: Int, sigma: Double) -> [Float] {
    let r = size / 2
    var kernel = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
    var total = 0.0
    for i in 0..<size {
      for j in 0..<size {
        let d2 = Double((i - r) * (i - r) + (j - r) * (j - r))
        kernel[i][j] = Foundation.exp(-d2 / (2 * sigma * sigma))
        total += kernel[i][j]
      }
    }
    func mirror(_ i: Int, _ n: Int) -> Int {
      // Walk |i| steps from pixel 0, bouncing off the first and last pixels.
      guard n > 1 else { return 0 }
      var position = 0
      var step = i < 0 ? -1 : 1
      for _ in 0..<abs(i) {
        if position + step < 0 || position + step >= n { step = -step }
        position += step
      }
      return position
    }
    var out = [Float](repeating: 0, count: image.values.count)
    for y in 0..<image.height {
      for x in 0..<image.width {
        for c in 0..<image.channels {
          var sum = 0.0
          for i in 0..<size {
            for j in 0..<size {
              let sy = mirror(y + i - r, image.height)
              let sx = mirror(x + j - r, image.width)
              sum += kernel[i][j] * Double(image[sy, sx, c])
            }
          }
          out[(y * image.width + x) * image.channels + c] = Float(sum / total)
        }
      }
    }
    return out
  }

  @Test func gaussianBlurIsANaiveConvolution() {
    for (size, sigma) in [(1, 1.0), (3, 0.8), (5, 1.5), (9, 2.0), (13, 3.0)] {
      let ours = ImageTransforms.gaussianBlurred(Self.input, size: size, sigma: Float(sigma))
      #expect(Self.maxDifference(ours.values, Self.naiveBlur(Self.input, size: size, sigma: sigma)) <= 1e-5,
        "size \(size) sigma \(sigma)")
    }
    // A constant image stays constant; a 1-tap blur is the identity.
    let flat = ImageBuffer(height: 4, width: 5, channels: 2, values: [Float](repeating: 0.75, count: 40))
    #expect(Self.maxDifference(ImageTransforms.gaussianBlurred(flat, size: 7, sigma: 2).values, flat.values) <= 1e-6)
    #expect(ImageTransforms.gaussianBlurred(Self.input, size: 1, sigma: 1).values == Self.input.values)
  }
}
