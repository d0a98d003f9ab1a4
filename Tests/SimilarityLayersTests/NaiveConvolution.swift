import SimilarityLayers

/// Plain loops (accumulating in Double) for the convolution layers: every layer's forward pass
/// is checked against one of these.
enum NaiveConvolution {
  /// Output extent and leading padding of a window along one axis (TensorFlow's rules).
  static func axis(_ n: Int, kernel: Int, stride: Int, dilation: Int, padding: Padding) -> (out: Int, pad: Int) {
    let span = dilation * (kernel - 1) + 1
    switch padding {
    case .valid: return ((n - span) / stride + 1, 0)
    case .same:
      let out = (n + stride - 1) / stride
      return (out, max((out - 1) * stride + span - n, 0) / 2)
    }
  }

  /// 3-D convolution of `[N, D, H, W, C]` with `[kd, kh, kw, C / groups, F]` (lower ranks: unit
  /// axes), in `groups` groups.
  static func conv3d(
    _ x: Tensor, _ w: Tensor, strides: [Int], padding: Padding, dilations: [Int], groups: Int = 1
  ) -> Tensor {
    let (n, c, f) = (x.shape[0], x.shape[4], w.shape[4])
    let sizes = (0..<3).map { axis(x.shape[$0 + 1], kernel: w.shape[$0], stride: strides[$0], dilation: dilations[$0], padding: padding) }
    let (inPart, outPart) = (c / groups, f / groups)
    var out: [Float] = []
    for b in 0..<n {
      for od in 0..<sizes[0].out {
        for oh in 0..<sizes[1].out {
          for ow in 0..<sizes[2].out {
            for o in 0..<f {
              let group = o / outPart
              var sum = 0.0
              for i in 0..<w.shape[0] {
                for j in 0..<w.shape[1] {
                  for k in 0..<w.shape[2] {
                    let id = od * strides[0] - sizes[0].pad + i * dilations[0]
                    let ih = oh * strides[1] - sizes[1].pad + j * dilations[1]
                    let iw = ow * strides[2] - sizes[2].pad + k * dilations[2]
                    guard id >= 0, id < x.shape[1], ih >= 0, ih < x.shape[2], iw >= 0, iw < x.shape[3] else { continue }
                    for ci in 0..<inPart {
                      sum += Double(x[b, id, ih, iw, group * inPart + ci]) * Double(w[i, j, k, ci, o])
                    }
                  }
                }
              }
              out.append(Float(sum))
            }
          }
        }
      }
    }
    return Tensor(shape: [n, sizes[0].out, sizes[1].out, sizes[2].out, f], scalars: out)
  }

  /// Transposed 3-D convolution of `[N, D, H, W, C]` with `[kd, kh, kw, F, C]` to `outSize`:
  /// every input element scattered through the kernel (the padding is the forward
  /// convolution's, from `outSize`).
  static func conv3dTranspose(
    _ y: Tensor, _ w: Tensor, outSize: [Int], strides: [Int], padding: Padding, dilations: [Int] = [1, 1, 1]
  ) -> Tensor {
    let (n, c, f) = (y.shape[0], y.shape[4], w.shape[3])
    let pads = (0..<3).map { axis(outSize[$0], kernel: w.shape[$0], stride: strides[$0], dilation: dilations[$0], padding: padding).pad }
    var out = [Double](repeating: 0, count: n * outSize.reduce(1, *) * f)
    for b in 0..<n {
      for d in 0..<y.shape[1] {
        for h in 0..<y.shape[2] {
          for wd in 0..<y.shape[3] {
            for i in 0..<w.shape[0] {
              for j in 0..<w.shape[1] {
                for k in 0..<w.shape[2] {
                  let od = d * strides[0] - pads[0] + i * dilations[0]
                  let oh = h * strides[1] - pads[1] + j * dilations[1]
                  let ow = wd * strides[2] - pads[2] + k * dilations[2]
                  guard od >= 0, od < outSize[0], oh >= 0, oh < outSize[1], ow >= 0, ow < outSize[2] else { continue }
                  let base = (((b * outSize[0] + od) * outSize[1] + oh) * outSize[2] + ow) * f
                  for o in 0..<f {
                    for ci in 0..<c {
                      out[base + o] += Double(y[b, d, h, wd, ci]) * Double(w[i, j, k, o, ci])
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n] + outSize + [f], scalars: out.map(Float.init))
  }

  /// Depthwise convolution of `[N, H, W, C]` with `[kh, kw, C, M]`.
  static func depthwise(
    _ x: Tensor, _ w: Tensor, strides: [Int], padding: Padding, dilations: [Int]
  ) -> Tensor {
    let (n, c, m) = (x.shape[0], x.shape[3], w.shape[3])
    let rows = axis(x.shape[1], kernel: w.shape[0], stride: strides[0], dilation: dilations[0], padding: padding)
    let columns = axis(x.shape[2], kernel: w.shape[1], stride: strides[1], dilation: dilations[1], padding: padding)
    var out: [Float] = []
    for b in 0..<n {
      for oh in 0..<rows.out {
        for ow in 0..<columns.out {
          for ch in 0..<c {
            for j in 0..<m {
              var sum = 0.0
              for p in 0..<w.shape[0] {
                for q in 0..<w.shape[1] {
                  let ih = oh * strides[0] - rows.pad + p * dilations[0]
                  let iw = ow * strides[1] - columns.pad + q * dilations[1]
                  guard ih >= 0, ih < x.shape[1], iw >= 0, iw < x.shape[2] else { continue }
                  sum += Double(x[b, ih, iw, ch]) * Double(w[p, q, ch, j])
                }
              }
              out.append(Float(sum))
            }
          }
        }
      }
    }
    return Tensor(shape: [n, rows.out, columns.out, c * m], scalars: out)
  }

  /// `x + bias` over the last axis.
  static func plusBias(_ x: Tensor, _ bias: Tensor?) -> Tensor {
    guard let bias else { return x }
    let c = bias.count
    return Tensor(shape: x.shape, scalars: x.scalars.enumerated().map { $0.element + bias.scalars[$0.offset % c] })
  }
}
