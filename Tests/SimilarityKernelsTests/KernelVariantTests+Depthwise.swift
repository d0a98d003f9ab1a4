import CSimilarityKernels
import Testing

@testable import SimilarityKernels

extension KernelVariantTests {
  /// The depthwise kernels (forward, input gradient, filter gradient) at every level the CPU
  /// runs against the portable C, and the portable C against a Double loop, over geometries
  /// that hit the vector tails: channel counts around the 8- and 16-lane widths, output rows
  /// shorter and longer than the 8-column block, strides, dilations, kernels wider than 4 taps.
  @Test func depthwiseKernelsAgreeWithThePortableCode() {
    var generator = SplitMix64(seed: 15)
    // (height, width, channels, kh, kw, sh, sw, dh, dw)
    let shapes: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = [
      (5, 5, 1, 3, 3, 1, 1, 1, 1), (7, 12, 8, 3, 3, 1, 1, 1, 1), (6, 19, 17, 3, 3, 1, 1, 1, 1),
      (9, 9, 16, 3, 3, 2, 2, 1, 1), (11, 14, 24, 5, 5, 1, 2, 1, 1), (9, 11, 33, 3, 3, 1, 1, 2, 2),
      (4, 30, 40, 2, 6, 1, 1, 1, 1), (3, 3, 7, 3, 3, 1, 1, 1, 1), (8, 21, 48, 1, 1, 1, 1, 1, 1),
    ]
    for (h, w, c, kh, kw, sh, sw, dh, dw) in shapes {
      var g = csim_depthwise_geometry(
        height: h, width: w, channels: c, kernel_height: kh, kernel_width: kw, stride_height: sh,
        stride_width: sw, dilation_height: dh, dilation_width: dw,
        output_height: (h - (kh - 1) * dh - 1) / sh + 1, output_width: (w - (kw - 1) * dw - 1) / sw + 1,
        image_height: h, image_width: w, image_top: 0, image_left: 0)
      let (oh, ow) = (g.output_height, g.output_width)
      let x = Self.random(h * w * c, &generator)
      let f = Self.random(kh * kw * c, &generator)
      let bias = Self.random(c, &generator)
      let dy = Self.random(oh * ow * c, &generator)
      // Double oracles.
      var y = [Double](repeating: 0, count: oh * ow * c)
      var dx = [Double](repeating: 0, count: h * w * c)
      var df = [Double](repeating: 0.5, count: kh * kw * c)  // accumulated onto 0.5
      for r in 0..<oh {
        for s in 0..<ow {
          for ch in 0..<c {
            var sum = Double(bias[ch])
            for i in 0..<kh {
              for j in 0..<kw {
                let input = ((r * sh + i * dh) * w + s * sw + j * dw) * c + ch
                let tap = (i * kw + j) * c + ch
                let gradient = Double(dy[(r * ow + s) * c + ch])
                sum += Double(x[input]) * Double(f[tap])
                dx[input] += gradient * Double(f[tap])
                df[tap] += gradient * Double(x[input])
              }
            }
            y[(r * ow + s) * c + ch] = sum
          }
        }
      }
      let terms = kh * kw + 1
      let rows = oh * ow * kh * kw
      for level in InstructionSet.runnable {
        let at = Int32(level.rawValue)
        let name = "\(level) \(h)x\(w)x\(c) k\(kh)x\(kw) s\(sh)x\(sw) d\(dh)x\(dw)"
        var out = [Float](repeating: .nan, count: oh * ow * c)
        csim_depthwise_at(at, 0, &g, x, f, bias, &out)
        #expect(zip(out, y).allSatisfy { Self.close($0, $1, terms: terms, magnitude: Double(terms)) }, "\(name) forward")
        var gradientInput = [Float](repeating: .nan, count: h * w * c)
        csim_depthwise_at(at, 1, &g, dy, f, nil, &gradientInput)
        #expect(zip(gradientInput, dx).allSatisfy { Self.close($0, $1, terms: terms, magnitude: Double(terms)) }, "\(name) input gradient")
        // A region inside the buffer, reaching one row past it (zeros there).
        var region = g
        (region.image_top, region.image_left, region.image_height, region.image_width) = (1, min(2, w - 1), h, w - min(2, w - 1))
        var gradientRegion = [Float](repeating: .nan, count: region.image_height * region.image_width * c)
        csim_depthwise_at(at, 1, &region, dy, f, nil, &gradientRegion)
        var regionOK = true
        for r in 0..<region.image_height {
          for q in 0..<region.image_width {
            for ch in 0..<c {
              let value = gradientRegion[(r * region.image_width + q) * c + ch]
              let (R, Q) = (r + region.image_top, q + region.image_left)
              let expected = R < h ? dx[(R * w + Q) * c + ch] : 0
              regionOK = regionOK && Self.close(value, expected, terms: terms, magnitude: Double(terms))
            }
          }
        }
        #expect(regionOK, "\(name) input gradient region")
        // The forward pass over that region as the image: the buffer zero around it.
        var zeroed = x
        var image: [Float] = []
        for R in 0..<h {
          for Q in 0..<w {
            let inside = R >= region.image_top && Q >= region.image_left
            for ch in 0..<c {
              if inside { image.append(x[(R * w + Q) * c + ch]) } else { zeroed[(R * w + Q) * c + ch] = 0 }
            }
          }
        }
        region.image_height = h - region.image_top  // exactly the buffer's remaining rows
        var fromImage = [Float](repeating: .nan, count: oh * ow * c)
        csim_depthwise_at(at, 0, &region, image, f, bias, &fromImage)
        var fromBuffer = [Float](repeating: .nan, count: oh * ow * c)
        csim_depthwise_at(0, 0, &g, zeroed, f, bias, &fromBuffer)
        #expect(zip(fromImage, fromBuffer).allSatisfy { abs($0 - $1) <= 1e-5 * Float(terms) }, "\(name) forward region")
        var gradientFilter = [Float](repeating: 0.5, count: kh * kw * c)
        csim_depthwise_at(at, 2, &g, x, dy, nil, &gradientFilter)
        #expect(zip(gradientFilter, df).allSatisfy { Self.close($0, $1, terms: rows, magnitude: Double(rows)) }, "\(name) filter gradient")
        if level != .portable {
          var portable = [Float](repeating: 0, count: oh * ow * c)
          csim_depthwise_at(0, 0, &g, x, f, bias, &portable)
          #expect(zip(out, portable).allSatisfy { abs($0 - $1) <= 1e-5 * Float(terms) }, "\(name) vs portable")
        }
      }
    }
    #expect(KernelFamily.depthwise.variant(at: .portable) == "portable")
    #expect(KernelFamily.depthwise.variant(at: .avx2) == (InstructionSet.supported >= .avx2 ? "avx2" : "portable"))
  }
}
