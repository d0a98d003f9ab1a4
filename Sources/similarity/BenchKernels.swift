import ArgumentParser
import SimilarityKernels
import SimilarityTensors

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `similarity bench kernels`: GFLOP/s of GEMM and Conv2D forward+backward on the shapes of the
/// two seed models (Keras siamese MLP, TF Similarity MNIST conv model).
struct BenchKernels: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernels",
    abstract: "GEMM and Conv2D forward+backward GFLOP/s on the seed models' shapes.",
    discussion: """
      Every figure is the minimum over --samples timings. One line per shape: \
      `<section> <name> <shape> ms=<min ms> gflops=<GFLOP/s>`, so scripts can parse it. \
      The BLAS kernel (OpenBLAS core type, set by OPENBLAS_CORETYPE) changes GEMM speed \
      about twofold and is printed first. scripts/bench-kernels.sh runs numpy and \
      TensorFlow on the same shapes and prints ratios.
      """)

  @Option(help: "Timed samples per shape; the minimum is reported.")
  var samples = 15

  @Option(help: "BLAS threads (default: the BLAS' own setting).")
  var blasThreads: Int?

  @Option(help: "Only run sections whose name contains this (gemm, conv, mlp).")
  var only: String?

  @Flag(
    inversion: .prefixedNo,
    help: "Split GEMMs and the conv batch over the thread pool with 1-thread BLAS calls (the library default); with --no-pool-split the BLAS threads itself.")
  var poolSplit = true

  @Flag(
    inversion: .prefixedNo,
    help: "Run eligible 3×3 convolutions (forward pass and both gradients) by Winograd F(2×2, 3×3) (the library default); GFLOP/s always count the direct algorithm's multiply-adds.")
  var winograd = true

  func run() throws {
    Conv2D.usesWinograd = winograd
    if let blasThreads { GEMM.setThreadCount(blasThreads) }
    GEMM.splitsOverThreadPool = poolSplit
    Conv2D.splitsBatchOverThreads = poolSplit
    print(
      "kernel=\(GEMM.kernelName) isa=\(InstructionSet.active) convolution=\(KernelFamily.convolution.variant()) blas_threads=\(GEMM.threadCount) pool_threads=\(ThreadPool.shared.threadCount) pool_split=\(poolSplit) winograd=\(winograd) samples=\(samples)"
    )
    print("variants: \(KernelFamily.summary())")
    let bench = KernelBenchmark(samples: samples)
    if only.map({ "gemm".contains($0) }) ?? true { bench.gemm() }
    if only.map({ "conv".contains($0) }) ?? true { bench.convolutions() }
    if only.map({ "mlp".contains($0) }) ?? true { bench.mlpStep() }
  }
}

/// The measurements behind `similarity bench kernels`.
struct KernelBenchmark {
  let samples: Int

  static func now() -> Double { monotonicSeconds() }

  /// The minimum wall time of `body` over `samples` runs, after one warm-up run, in seconds.
  func minimumTime(_ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    for _ in 0..<samples {
      let start = KernelBenchmark.now()
      body()
      best = min(best, KernelBenchmark.now() - start)
    }
    return best
  }

  static func format(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return "\(rounded)"
  }

  func report(_ section: String, _ name: String, _ shape: String, seconds: Double, flops: Double) {
    let ms = KernelBenchmark.format(seconds * 1e3, 4)
    let gflops = KernelBenchmark.format(flops / seconds / 1e9, 1)
    print("\(section) \(name) \(shape) ms=\(ms) gflops=\(gflops)")
  }

  static func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.randomUniform(shape: shape, lowerBound: -1, upperBound: 1, using: &generator)
  }

  /// GEMMs of the Dense layers: forward `X•W` (NN), weight gradient `Xᵀ•G` (TN) and input
  /// gradient `G•Wᵀ` (NT), through `GEMM.parallelMultiply` as the tensor ops call it.
  func gemm() {
    let layers: [(String, Int, Int, Int)] = [
      ("mlp1_b128", 128, 784, 128), ("mlp2_b128", 128, 128, 128),
      ("mlp1_b256", 256, 784, 128), ("mlp2_b256", 256, 128, 128),
      ("conv_dense64_b60", 60, 4096, 64),
    ]
    for (name, batch, input, output) in layers {
      let x = KernelBenchmark.random([batch, input], seed: 1).scalars
      let w = KernelBenchmark.random([input, output], seed: 2).scalars
      let g = KernelBenchmark.random([batch, output], seed: 3).scalars
      let flops = 2.0 * Double(batch * input * output)
      var c = [Float](repeating: 0, count: max(batch * output, input * output, batch * input))
      let nn = minimumTime {
        GEMM.parallelMultiply(.none, .none, m: batch, n: output, k: input, a: x, lda: input, b: w, ldb: output, c: &c, ldc: output)
      }
      report("gemm", name, "NN_\(batch)x\(input)x\(output)", seconds: nn, flops: flops)
      let tn = minimumTime {
        GEMM.parallelMultiply(.transposed, .none, m: input, n: output, k: batch, a: x, lda: input, b: g, ldb: output, c: &c, ldc: output)
      }
      report("gemm", name, "TN_\(input)x\(batch)x\(output)", seconds: tn, flops: flops)
      let nt = minimumTime {
        GEMM.parallelMultiply(.none, .transposed, m: batch, n: input, k: output, a: g, lda: output, b: w, ldb: output, c: &c, ldc: input)
      }
      report("gemm", name, "NT_\(batch)x\(output)x\(input)", seconds: nt, flops: flops)
    }
  }

  /// Conv2D layers of the TF Similarity MNIST model at batch 60: forward, then the input and
  /// filter gradients (three GEMM-sized passes), through the Tensor API.
  func convolutions() {
    let layers: [(String, [Int], Int)] = [
      ("conv1", [60, 28, 28, 1], 32), ("conv2", [60, 26, 26, 32], 32),
      ("conv3", [60, 12, 12, 32], 64), ("conv4", [60, 10, 10, 64], 64),
    ]
    var totalSeconds = 0.0
    var totalFlops = 0.0
    for (name, input, output) in layers {
      let x = KernelBenchmark.random(input, seed: 4)
      let w = KernelBenchmark.random([3, 3, input[3], output], seed: 5)
      let (oh, ow) = (input[1] - 2, input[2] - 2)
      let seed = KernelBenchmark.random([input[0], oh, ow, output], seed: 6)
      let passFlops = 2.0 * Double(input[0] * oh * ow * 9 * input[3] * output)
      let forward = minimumTime { _ = x.conv2d(filter: w) }
      let both = minimumTime {
        let (xv, wv) = (x.variable(), w.variable())
        _ = xv.conv2d(filter: wv).gradients(of: [xv, wv], seed: seed)
      }
      let shape = "\(input.map(String.init).joined(separator: "x"))->\(output)"
      report("conv_fwd", name, shape, seconds: forward, flops: passFlops)
      report("conv_fwdbwd", name, shape, seconds: both, flops: 3 * passFlops)
      totalSeconds += both
      totalFlops += 3 * passFlops
    }
    report("conv_fwdbwd", "all4", "sum", seconds: totalSeconds, flops: totalFlops)
  }

  /// One training step of the siamese MLP tower (Dense 784→128→128→128, ReLU, batch 2×128):
  /// forward and backward through the Tensor API, against the time of its GEMMs alone.
  func mlpStep() {
    let batch = 256
    let widths = [784, 128, 128, 128]
    let x = KernelBenchmark.random([batch, 784], seed: 7)
    var weights: [Tensor] = []
    var biases: [Tensor] = []
    for i in 0..<3 {
      weights.append(KernelBenchmark.random([widths[i], widths[i + 1]], seed: 10 + UInt64(i)) * 0.05)
      biases.append(Tensor.zeros([widths[i + 1]]))
    }
    let step = minimumTime {
      let parameters = (weights + biases).map { $0.variable() }
      var h = x
      for i in 0..<3 {
        h = h.matmul(parameters[i]).addingBias(parameters[3 + i])
        if i < 2 { h = h.relu() }
      }
      let loss = h.squared().mean()
      _ = loss.gradients(of: parameters)
    }
    var flops = 0.0
    // The first layer needs no input gradient: 2 GEMMs; the others 3.
    for i in 0..<3 { flops += Double(i == 0 ? 2 : 3) * 2 * Double(batch * widths[i] * widths[i + 1]) }
    report("mlp", "siamese_tower_step", "b\(batch)_784-128-128-128", seconds: step, flops: flops)
  }
}
