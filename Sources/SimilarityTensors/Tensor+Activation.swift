import SimilarityKernels

extension Tensor {
  /// `max(x, 0)` element-wise. Derivative: 1 where `x > 0`, else 0.
  public func relu() -> Tensor {
    let output = Tensor.map(scalars, grain: ParallelGrain.cheap, Relu())
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      // The output is positive exactly where the input is.
      let dx = Tensor.zipMap(gradient.scalars, output, grain: ParallelGrain.cheap, ReluGradient())
      return [Tensor(shape: gradient.shape, scalars: dx)]
    }
  }

  /// Leaky ReLU (Keras `LeakyReLU`): `x` for `x > 0`, else `alpha · x`.
  public func leakyRelu(alpha: Float = 0.3) -> Tensor {
    unaryOp(grain: ParallelGrain.cheap, LeakyRelu(alpha: alpha))
  }

  /// GELU, `x · Φ(x)` (exact, with `erf`) or its tanh approximation when `approximate`.
  public func gelu(approximate: Bool = false) -> Tensor {
    approximate
      ? unaryOp(grain: ParallelGrain.transcendental, GeluTanh())
      : unaryOp(grain: ParallelGrain.transcendental, Gelu())
  }

  /// Softmax along `axis`: `eˣ / Σ eˣ`, stable (the maximum is subtracted first).
  /// Derivative: `y · (g − Σ g·y)`.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis, "softmax(alongAxis:)")
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    let output = Tensor.softmaxKernel(scalars, outer: outer, extent: extent, inner: inner, log: false)
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      let g = gradient.scalars
      var dx = [Float](repeating: 0, count: g.count)
      for o in 0..<outer {
        for i in 0..<inner {
          var dot: Float = 0
          for j in 0..<extent {
            let p = (o * extent + j) * inner + i
            dot += g[p] * output[p]
          }
          for j in 0..<extent {
            let p = (o * extent + j) * inner + i
            dx[p] = output[p] * (g[p] - dot)
          }
        }
      }
      return [Tensor(shape: gradient.shape, scalars: dx)]
    }
  }

  /// `log(softmax(x))` along `axis`, computed as `x − logSumExp(x)`.
  /// Derivative: `g − softmax · Σ g`.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis, "logSoftmax(alongAxis:)")
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    let output = Tensor.softmaxKernel(scalars, outer: outer, extent: extent, inner: inner, log: true)
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      let g = gradient.scalars
      var dx = [Float](repeating: 0, count: g.count)
      for o in 0..<outer {
        for i in 0..<inner {
          var total: Float = 0
          for j in 0..<extent { total += g[(o * extent + j) * inner + i] }
          for j in 0..<extent {
            let p = (o * extent + j) * inner + i
            dx[p] = g[p] - ScalarMath.exp(output[p]) * total
          }
        }
      }
      return [Tensor(shape: gradient.shape, scalars: dx)]
    }
  }

  /// Softmax (or log-softmax) over the middle axis of `[outer, extent, inner]`.
  static func softmaxKernel(
    _ x: [Float], outer: Int, extent: Int, inner: Int, log: Bool
  ) -> [Float] {
    var y = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { ys in
        for o in 0..<outer {
          for i in 0..<inner {
            let base = o * extent * inner + i
            var m = -Float.infinity
            for j in 0..<extent { m = Swift.max(m, xs[base + j * inner]) }
            if !m.isFinite { m = 0 }
            var total: Float = 0
            for j in 0..<extent {
              let e = ScalarMath.exp(xs[base + j * inner] - m)
              ys[base + j * inner] = e
              total += e
            }
            if log {
              let shift = m + ScalarMath.log(total)
              for j in 0..<extent { ys[base + j * inner] = xs[base + j * inner] - shift }
            } else {
              let scale = 1 / total
              for j in 0..<extent { ys[base + j * inner] *= scale }
            }
          }
        }
      }
    }
    return y
  }
}
