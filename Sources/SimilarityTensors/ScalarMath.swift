// Foundation-free scalar math for the element-wise kernels, through the C library that the
// toolchain always links.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@usableFromInline
enum ScalarMath {
  @inline(__always) @usableFromInline static func exp(_ x: Float) -> Float { expf(x) }
  @inline(__always) @usableFromInline static func log(_ x: Float) -> Float { logf(x) }
  @inline(__always) @usableFromInline static func log1p(_ x: Float) -> Float { log1pf(x) }
  @inline(__always) @usableFromInline static func tanh(_ x: Float) -> Float { tanhf(x) }
  @inline(__always) @usableFromInline static func erf(_ x: Float) -> Float { erff(x) }
  @inline(__always) @usableFromInline static func pow(_ x: Float, _ y: Float) -> Float {
    powf(x, y)
  }
}

/// Work thresholds (in elements) above which element-wise loops are split over the
/// ``ThreadPool``: a chunk should take a few microseconds so the pool's ~0.2 µs hand-off
/// pays off (numeric-facts §7).
@usableFromInline
enum ParallelGrain {
  /// Cheap ops (add, multiply, compare): ~0.3 ns per element.
  @usableFromInline static let cheap = 32_768
  /// Transcendental ops (exp, log, tanh, erf): ~2–5 ns per element.
  @usableFromInline static let transcendental = 4_096
}
