import SimilarityKernels

// Element-wise loops over unsafe buffers, split over the thread pool when large. The closures
// are inlined into each caller, so every op gets its own specialised loop.
extension Tensor {
  /// `f(x[i])` for every element.
  @inline(__always)
  static func map(_ x: [Float], grain: Int, _ f: (Float) -> Float) -> [Float] {
    let n = x.count
    if n == 0 { return [] }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      x.withUnsafeBufferPointer { source in
        let s = source.baseAddress!
        ThreadPool.shared.parallelForChunks(n, minimumChunk: grain) { range in
          for i in range { out[i] = f(s[i]) }
        }
      }
      initialized = n
    }
  }

  /// `f(x[i], y[i])` for every element of two arrays of equal length.
  @inline(__always)
  static func zipMap(
    _ x: [Float], _ y: [Float], grain: Int, _ f: (Float, Float) -> Float
  ) -> [Float] {
    let n = x.count
    precondition(y.count == n, "zipMap: \(n) vs \(y.count) elements")
    if n == 0 { return [] }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeBufferPointer { ys in
          let (px, py) = (xs.baseAddress!, ys.baseAddress!)
          ThreadPool.shared.parallelForChunks(n, minimumChunk: grain) { range in
            for i in range { out[i] = f(px[i], py[i]) }
          }
        }
      }
      initialized = n
    }
  }

  /// `f(x[i], y[i], z[i])` for every element of three arrays of equal length.
  @inline(__always)
  static func zipMap(
    _ x: [Float], _ y: [Float], _ z: [Float], grain: Int, _ f: (Float, Float, Float) -> Float
  ) -> [Float] {
    let n = x.count
    precondition(y.count == n && z.count == n, "zipMap: \(n), \(y.count), \(z.count) elements")
    if n == 0 { return [] }
    return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      let out = buffer.baseAddress!
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeBufferPointer { ys in
          z.withUnsafeBufferPointer { zs in
            let (px, py, pz) = (xs.baseAddress!, ys.baseAddress!, zs.baseAddress!)
            ThreadPool.shared.parallelForChunks(n, minimumChunk: grain) { range in
              for i in range { out[i] = f(px[i], py[i], pz[i]) }
            }
          }
        }
      }
      initialized = n
    }
  }

  /// A unary element-wise primitive: `forward` maps each element; `derivative(x, y)` gives
  /// `dy/dx` from the input and output element, and the pullback multiplies it by the
  /// incoming gradient.
  @inline(__always)
  func unaryOp(
    grain: Int, _ forward: (Float) -> Float,
    derivative: @escaping @Sendable (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    let input = scalars
    let output = Tensor.map(input, grain: grain, forward)
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      let g = gradient.scalars
      let dx = [Float](unsafeUninitializedCapacity: g.count) { buffer, initialized in
        for i in 0..<g.count { buffer[i] = g[i] * derivative(input[i], output[i]) }
        initialized = g.count
      }
      return [Tensor(shape: gradient.shape, scalars: dx)]
    }
  }
}
