import SimilarityKernels

// Element-wise loops over unsafe buffers, split over the thread pool when large.
//
// The scalar functions are small structs conforming to these protocols rather than closures:
// the loops are generic over them, so each op gets its own specialised, inlined loop (a
// closure would cost an indirect call per element, since the loop body crosses into the
// thread pool).

/// `y = f(x)`.
protocol UnaryScalarFunction {
  func callAsFunction(_ x: Float) -> Float
}

/// `z = f(x, y)`.
protocol BinaryScalarFunction {
  func callAsFunction(_ x: Float, _ y: Float) -> Float
}

/// A differentiable element-wise function: its value and its derivative from the input and
/// output element.
protocol DifferentiableScalarFunction: Sendable {
  func value(_ x: Float) -> Float
  func derivative(_ x: Float, _ y: Float) -> Float
}

/// Adapts a non-escaping closure for the generic loops (for ops off the hot path).
struct UnaryClosure: UnaryScalarFunction {
  let body: (Float) -> Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { body(x) }
}

struct BinaryClosure: BinaryScalarFunction {
  let body: (Float, Float) -> Float
  @inline(__always) func callAsFunction(_ x: Float, _ y: Float) -> Float { body(x, y) }
}

extension Tensor {
  /// `f(x[i])` for every element.
  @inline(__always)
  static func map<F: UnaryScalarFunction>(_ x: [Float], grain: Int, _ f: F) -> [Float] {
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

  /// `f(x[i])` for every element, with a closure.
  static func map(_ x: [Float], grain: Int, _ f: (Float) -> Float) -> [Float] {
    withoutActuallyEscaping(f) { map(x, grain: grain, UnaryClosure(body: $0)) }
  }

  /// `f(x[i], y[i])` for every element of two arrays of equal length.
  @inline(__always)
  static func zipMap<F: BinaryScalarFunction>(
    _ x: [Float], _ y: [Float], grain: Int, _ f: F
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

  /// `f(x[i], y[i])` for every element, with a closure.
  static func zipMap(
    _ x: [Float], _ y: [Float], grain: Int, _ f: (Float, Float) -> Float
  ) -> [Float] {
    withoutActuallyEscaping(f) { zipMap(x, y, grain: grain, BinaryClosure(body: $0)) }
  }

  /// `f(x[i], y[i], z[i])` for every element of three arrays of equal length.
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

  /// A unary element-wise primitive: the forward pass maps each element through `f.value`;
  /// the pullback multiplies the incoming gradient by `f.derivative(x, y)`.
  @inline(__always)
  func unaryOp<F: DifferentiableScalarFunction>(grain: Int, _ f: F) -> Tensor {
    let input = scalars
    let output = Tensor.map(input, grain: grain, ValueOf(f: f))
    return Tensor.recording(shape: shape, scalars: output, inputs: [self]) { gradient, _ in
      let g = gradient.scalars
      let n = g.count
      if n == 0 { return [gradient] }
      let dx = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
        let out = buffer.baseAddress!
        g.withUnsafeBufferPointer { pg in
          input.withUnsafeBufferPointer { px in
            output.withUnsafeBufferPointer { py in
              let (gs, xs, ys) = (pg.baseAddress!, px.baseAddress!, py.baseAddress!)
              ThreadPool.shared.parallelForChunks(n, minimumChunk: grain) { range in
                for i in range { out[i] = gs[i] * f.derivative(xs[i], ys[i]) }
              }
            }
          }
        }
        initialized = n
      }
      return [Tensor(shape: gradient.shape, scalars: dx)]
    }
  }
}

/// The value of a differentiable function as a plain unary function.
struct ValueOf<F: DifferentiableScalarFunction>: UnaryScalarFunction {
  let f: F
  @inline(__always) func callAsFunction(_ x: Float) -> Float { f.value(x) }
}
