import CSimilarityKernels

/// The SIMD instruction-set levels the C kernels are compiled for, ordered: a CPU that runs a
/// level runs every lower one. Each kernel family is dispatched once, at load, on
/// ``active``: the best level the CPU runs, or the level the `SIMILARITY_ISA` environment
/// variable names (`portable`, `avx2` or `avx512`), so every variant can be tested and
/// benchmarked on a machine that runs it.
public enum InstructionSet: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  /// Plain C without intrinsics: every CPU (arm64 included).
  case portable = 0
  /// AVX2 + FMA + F16C (x86-64 since Haswell / Zen).
  case avx2 = 1
  /// AVX-512 F + BW (x86-64: Skylake-SP, Ice Lake, Zen 4 and later).
  case avx512 = 2

  /// The environment variable that forces a level.
  public static let environmentVariable = "SIMILARITY_ISA"

  /// `portable`, `avx2` or `avx512`: the value `SIMILARITY_ISA` takes.
  public var name: String { String(cString: csim_isa_name(Int32(rawValue))) }
  public var description: String { name }

  /// The level named `name`, or `nil`.
  public init?(name: String) {
    let level = csim_isa_parse(name)
    guard level >= 0, let value = InstructionSet(rawValue: Int(level)) else { return nil }
    self = value
  }

  /// The best level this CPU runs.
  public static var supported: InstructionSet { InstructionSet(rawValue: Int(csim_isa_supported()))! }

  /// The level the dispatched kernels use.
  public static var active: InstructionSet { InstructionSet(rawValue: Int(csim_isa_active()))! }

  /// Every level this CPU runs, lowest first: the variants a test can compare.
  public static var runnable: [InstructionSet] { allCases.filter { $0 <= supported } }

  /// Whether the CPU has AVX512_BF16 (bfloat16 dot products) besides AVX-512.
  public static var hasAVX512BFloat16: Bool { csim_cpu_has_avx512_bf16() != 0 }

  /// Checks `SIMILARITY_ISA`: unset, empty or a level this CPU runs is fine; an unknown name or
  /// a level the CPU cannot run throws (the kernels then run at ``supported``, so a program that
  /// ignores the error is still correct, only not what was asked for). Call it at start-up.
  public static func checkEnvironment() throws(InstructionSetError) {
    let status = csim_isa_request_status()
    guard status == Int32(CSIM_ISA_REQUEST_UNKNOWN) || status == Int32(CSIM_ISA_REQUEST_UNSUPPORTED)
    else { return }
    let value = getenvString(environmentVariable) ?? ""
    throw InstructionSetError(
      value: value, unknown: status == Int32(CSIM_ISA_REQUEST_UNKNOWN), supported: supported)
  }

  public static func < (a: InstructionSet, b: InstructionSet) -> Bool { a.rawValue < b.rawValue }
}

/// `SIMILARITY_ISA` names no level, or one this CPU cannot run.
public struct InstructionSetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The variable's value.
  public var value: String
  /// True when the value is no level's name; false when the CPU cannot run that level.
  public var unknown: Bool
  /// The best level the CPU runs.
  public var supported: InstructionSet

  public var description: String {
    let runnable = InstructionSet.allCases.filter { $0 <= supported }.map(\.name)
    if unknown {
      return "\(InstructionSet.environmentVariable)=\(value): unknown instruction set; expected "
        + "one of portable, avx2, avx512 (this CPU runs \(runnable.joined(separator: ", ")))"
    }
    return "\(InstructionSet.environmentVariable)=\(value): this CPU cannot run \(value); it runs "
      + runnable.joined(separator: ", ")
  }
}

/// A family of C kernels dispatched on its own; ``variant(at:)`` says which code it runs.
public enum KernelFamily: Int, CaseIterable, Sendable, CustomStringConvertible {
  /// float32 reductions: L2², dot, L1 and their early-abandoning forms (search, losses).
  case distance = 0
  /// Distances to float16 rows (the HNSW float16 walk).
  case half = 1
  /// The selection pass of exact search.
  case scan = 2
  /// bfloat16 scores of exact search.
  case bfloat16 = 3
  /// CSR compression and sparse products (first layers fed with mostly-zero images).
  case sparse = 4
  /// Sparse-row affine layers (inference).
  case affine = 5
  /// The max-pooling merge.
  case pooling = 6
  /// RMSprop and Adam updates.
  case optimizer = 7
  /// Direct convolution (callers fall back to im2col + GEMM where it is `none`).
  case convolution = 8
  /// Winograd F(2×2, 3×3) convolution (likewise).
  case winograd = 9
  /// Depthwise convolution (DepthwiseConv2D, SeparableConv2D).
  case depthwise = 10

  public var description: String { String(cString: csim_kernel_family_name(Int32(rawValue))) }

  /// `distance=avx2 half=avx2 …`: every family's variant at `level`, for benchmark headers.
  public static func summary(at level: InstructionSet = .active) -> String {
    allCases.map { "\($0)=\($0.variant(at: level))" }.joined(separator: " ")
  }

  /// The variant this family runs at `level` (limited to what the CPU runs): `portable`, `avx2`,
  /// `avx512`, `avx512bf16`, or `none` where it has no code at that level.
  public func variant(at level: InstructionSet = .active) -> String {
    String(cString: csim_kernel_variant(Int32(rawValue), Int32(level.rawValue)))
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private func getenvString(_ name: String) -> String? {
  guard let value = getenv(name) else { return nil }
  return String(cString: value)
}
