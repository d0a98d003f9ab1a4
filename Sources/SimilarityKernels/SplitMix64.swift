/// A small, fast, seedable pseudo-random generator (Steele, Lea & Flood 2014,
/// "Fast splittable pseudorandom number generators").
///
/// Every random choice in swift-similarity (initialisers, dropout masks, shuffling, samplers,
/// HNSW levels) draws from a generator like this one, so identical seeds give identical runs.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The internal state; advancing it by the golden-ratio increment gives the next output.
  public private(set) var state: UInt64

  /// Creates a generator whose whole future output is determined by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// Returns the next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform `Float` in `[0, 1)` built from the top 24 bits.
  public mutating func nextUnitFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A standard normal `Float` (Box–Muller on two uniforms).
  public mutating func nextNormal() -> Float {
    // 1 - u keeps the argument of log in (0, 1].
    let u1 = 1 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// Derives an independent generator for a sub-task (e.g. one per layer) from this one.
  public mutating func split() -> SplitMix64 {
    SplitMix64(seed: next())
  }
}

// Foundation-free log/cos through the C library the toolchain always links.
#if canImport(Glibc)
  import Glibc
  @inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
  @inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
  import Darwin
  @inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
  @inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
