import Foundation
import Testing

@testable import SimilarityDatasets

/// Resizing, cropping, padding and channel conversion against TensorFlow
/// (scripts/golden/image_decoding.py → Fixtures/images/resize.json) and a naive loop.
@Suite struct ImageResizeTests {
  struct Golden: Decodable {
    struct Case: Decodable {
      struct Values: Decodable {
        var shape: [Int]
        var values: [Float]
      }
      var name: String
      var op: String
      var input: Values
      var size: [Int]
      var output: Values
    }
    var cases: [Case]
  }

  static let golden: [Golden.Case] = {
    guard let url = try? TestSupport.fixture("images/resize.json"),
      let data = try? Data(contentsOf: url),
      let golden = try? JSONDecoder().decode(Golden.self, from: data)
    else { return [] }
    return golden.cases
  }()

  @Test func goldenFileIsPresent() {
    #expect(Self.golden.count == 11)
  }

  @Test(arguments: golden.map(\.name)) func matchesTensorFlow(_ name: String) throws {
    let c = Self.golden.first { $0.name == name }!
    let input = FloatImage(
      height: c.input.shape[0], width: c.input.shape[1], channels: c.input.shape[2],
      values: c.input.values)
    let (h, w) = (c.size[0], c.size[1])
    let output: FloatImage
    switch c.op {
    case "bilinear": output = input.resized(height: h, width: w)
    case "pad":
      output = ImagePreprocessor(height: h, width: w, channels: input.channels, fit: .pad)
        .fitted(input)
    case "crop":
      output = ImagePreprocessor(height: h, width: w, channels: input.channels, fit: .centerCrop)
        .fitted(input)
    case "grey": output = input.converted(toChannels: 1)
    default:
      Issue.record("unknown op \(c.op)")
      return
    }
    #expect(output.shape == c.output.shape)
    let worst = zip(output.values, c.output.values).map { abs($0 - $1) }.max() ?? 0
    // Values are 0…255; float32 rounding of the interpolation differs by a few ulps at most.
    #expect(worst <= 1e-3, "\(name): largest difference \(worst)")
  }

  /// The textbook definition, in Double: sample (i + ½)·in/out − ½, clamp, interpolate.
  static func naive(_ image: FloatImage, _ height: Int, _ width: Int) -> [Float] {
    func sample(_ i: Int, _ output: Int, _ input: Int) -> (Int, Int, Double) {
      let p = (Double(i) + 0.5) * Double(input) / Double(output) - 0.5
      let lower = Int(p.rounded(.down))
      let t = p - p.rounded(.down)
      return (min(max(lower, 0), input - 1), min(max(lower + 1, 0), input - 1), t)
    }
    var out: [Float] = []
    for y in 0..<height {
      let (y0, y1, ty) = sample(y, height, image.height)
      for x in 0..<width {
        let (x0, x1, tx) = sample(x, width, image.width)
        for c in 0..<image.channels {
          let top = Double(image[y0, x0, c]) * (1 - tx) + Double(image[y0, x1, c]) * tx
          let bottom = Double(image[y1, x0, c]) * (1 - tx) + Double(image[y1, x1, c]) * tx
          out.append(Float(top * (1 - ty) + bottom * ty))
        }
      }
    }
    return out
  }

  @Test func matchesANaiveLoop() {
    var generator = LinearCongruential(seed: 5)
    for (h, w, c, oh, ow) in [(5, 7, 3, 3, 11), (12, 9, 1, 5, 4), (2, 2, 3, 7, 7), (31, 17, 3, 8, 30)] {
      let image = FloatImage(
        height: h, width: w, channels: c,
        values: (0..<(h * w * c)).map { _ in Float(generator.next() % 256) })
      let resized = image.resized(height: oh, width: ow)
      let expected = Self.naive(image, oh, ow)
      let worst = zip(resized.values, expected).map { abs($0 - $1) }.max()!
      #expect(worst <= 1e-3, "\(h)x\(w) → \(oh)x\(ow): \(worst)")
    }
  }

  @Test func cropPadAndConversionsByHand() {
    let image = FloatImage(height: 3, width: 4, channels: 1, values: (0..<12).map(Float.init))
    #expect(image.centerCropped(height: 1, width: 2).values == [5, 6])
    #expect(image.resized(height: 3, width: 4) == image)
    let padded = image.cropped(top: 0, left: 0, height: 1, width: 2).padded(height: 3, width: 4, value: -1)
    #expect(padded.values == [-1, -1, -1, -1, -1, 0, 1, -1, -1, -1, -1, -1])
    let rgb = image.converted(toChannels: 3)
    #expect(rgb.shape == [3, 4, 3])
    #expect(Array(rgb.values.prefix(6)) == [0, 0, 0, 1, 1, 1])
    let back = rgb.converted(toChannels: 1)
    // The BT.601 weights sum to 0.9999, not 1.
    for (a, b) in zip(back.values, image.values) { #expect(abs(a - 0.9999 * b) < 1e-4) }
    // 3 × 4 → 1 × 2: row centre 1.5·3 − ½ = 1 (row 1 exactly); column centres 0.5 and 2.5
    // (half-way between columns 0, 1 and 2, 3; no antialiasing, so rows 0 and 2 are ignored).
    #expect(image.resized(height: 1, width: 2).values == [4.5, 6.5])
  }

  @Test func preprocessorScalesAndConverts() {
    let bytes = DecodedImage(height: 2, width: 2, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 51, 51, 51])
    let unit = ImagePreprocessor(height: 2, width: 2, channels: 3, scaling: .unit).prepare(bytes)
    #expect(unit.values[0] == 1)
    #expect(abs(unit.values[9] - 0.2) < 1e-6)
    let raw = ImagePreprocessor(height: 4, width: 4, channels: 1, scaling: .raw).prepare(bytes)
    #expect(raw.shape == [4, 4, 1])
    #expect(abs(raw.values[0] - 0.2989 * 255) < 1e-3)
    #expect(abs(raw.values[15] - 0.9999 * 51) < 1e-3)
  }
}

/// A tiny deterministic generator for test data.
struct LinearCongruential {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
  }
}
