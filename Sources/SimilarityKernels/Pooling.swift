import CSimilarityKernels

/// Max and average pooling over one NHWC image (`[height, width, channels]`), with the
/// window, strides and padding of a ``Conv2DGeometry`` (padded positions are ignored).
public enum Pooling {
  /// Valid window rows (or columns) for output position `o`: `lower..<upper` in input
  /// coordinates.
  @inline(__always)
  static func window(_ o: Int, stride: Int, pad: Int, size: Int, extent: Int) -> Range<Int> {
    let start = o * stride - pad
    return Swift.max(start, 0)..<Swift.min(start + size, extent)
  }

  /// Max pooling of one image; `positions` receives, for every output element, the offset
  /// inside the image of the input element that won (the first in window order on ties).
  public static func maxForward(
    _ g: Conv2DGeometry, image: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    positions: UnsafeMutablePointer<Int32>
  ) {
    let c = g.channels
    for oh in 0..<g.outputHeight {
      let rows = window(oh, stride: g.strideHeight, pad: g.padTop, size: g.kernelHeight, extent: g.height)
      for ow in 0..<g.outputWidth {
        let columns = window(ow, stride: g.strideWidth, pad: g.padLeft, size: g.kernelWidth, extent: g.width)
        let out = output + (oh * g.outputWidth + ow) * c
        let best = positions + (oh * g.outputWidth + ow) * c
        out.update(repeating: -.infinity, count: c)
        best.update(repeating: -1, count: c)
        var first: Int32 = 1
        for ih in rows {
          for iw in columns {
            // The window's first element initialises the maximum; later ones win when larger.
            let offset = (ih * g.width + iw) * c
            csim_max_pool_merge(image + offset, Int32(offset), c, first, out, best)
            first = 0
          }
        }
      }
    }
  }

  /// Adds each output gradient to the input position that won the max.
  public static func maxBackward(
    count: Int, gradient: UnsafePointer<Float>, positions: UnsafePointer<Int32>,
    imageGradient: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count { imageGradient[Int(positions[i])] += gradient[i] }
  }

  /// Average pooling of one image; each window is divided by its number of valid (unpadded)
  /// elements, as Keras does for `same` padding.
  public static func averageForward(
    _ g: Conv2DGeometry, image: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    for oh in 0..<g.outputHeight {
      let rows = window(oh, stride: g.strideHeight, pad: g.padTop, size: g.kernelHeight, extent: g.height)
      for ow in 0..<g.outputWidth {
        let columns = window(ow, stride: g.strideWidth, pad: g.padLeft, size: g.kernelWidth, extent: g.width)
        let out = output + (oh * g.outputWidth + ow) * c
        out.update(repeating: 0, count: c)
        for ih in rows {
          for iw in columns {
            let input = image + (ih * g.width + iw) * c
            for ci in 0..<c { out[ci] += input[ci] }
          }
        }
        let scale = 1 / Float(Swift.max(rows.count * columns.count, 1))
        for ci in 0..<c { out[ci] *= scale }
      }
    }
  }

  /// Spreads each output gradient evenly over the valid elements of its window.
  public static func averageBackward(
    _ g: Conv2DGeometry, gradient: UnsafePointer<Float>, imageGradient: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    for oh in 0..<g.outputHeight {
      let rows = window(oh, stride: g.strideHeight, pad: g.padTop, size: g.kernelHeight, extent: g.height)
      for ow in 0..<g.outputWidth {
        let columns = window(ow, stride: g.strideWidth, pad: g.padLeft, size: g.kernelWidth, extent: g.width)
        let scale = 1 / Float(Swift.max(rows.count * columns.count, 1))
        let grad = gradient + (oh * g.outputWidth + ow) * c
        for ih in rows {
          for iw in columns {
            let destination = imageGradient + (ih * g.width + iw) * c
            for ci in 0..<c { destination[ci] += grad[ci] * scale }
          }
        }
      }
    }
  }
}
