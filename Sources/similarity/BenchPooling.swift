import ArgumentParser
import SimilarityKernels
import SimilarityTensors

/// `similarity bench pooling`: forward and forward+backward times of 1-D and 3-D max and
/// average pooling at typical shapes (scripts/bench-pooling.sh runs TensorFlow beside it).
struct BenchPooling: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pooling",
    abstract: "1-D and 3-D pooling forward and forward+backward milliseconds.",
    discussion: """
      Every figure is the minimum over --samples timings after a warm-up. One line per case: \
      `pooling <name> <shape> fwd_ms=<ms> fwdbwd_ms=<ms>`, so scripts can parse it; the \
      backward pass is seeded with a fixed random output gradient. \
      scripts/bench-pooling.sh runs TensorFlow on the same shapes and prints ratios.
      """)

  @Option(help: "Timed samples per case; the minimum is reported.")
  var samples = 20

  /// The benchmark cases: name, input shape, window (depth, height, width), max or average.
  static let cases: [(name: String, shape: [Int], window: (Int, Int, Int), max: Bool)] = [
    ("max_pooling1d_p2", [32, 1024, 64], (1, 1, 2), true),
    ("average_pooling1d_p2", [32, 1024, 64], (1, 1, 2), false),
    ("max_pooling3d_p222", [4, 16, 32, 32, 16], (2, 2, 2), true),
    ("average_pooling3d_p222", [4, 16, 32, 32, 16], (2, 2, 2), false),
  ]

  func run() throws {
    print("isa=\(InstructionSet.active) pool_threads=\(ThreadPool.shared.threadCount) samples=\(samples)")
    print("variants: \(KernelFamily.summary())")
    let bench = KernelBenchmark(samples: samples)
    for c in Self.cases {
      let x = KernelBenchmark.random(c.shape, seed: 1)
      let op: (Tensor) -> Tensor
      if c.shape.count == 3 {
        op = c.max
          ? { $0.maxPool1d(poolSize: c.window.2, stride: c.window.2) }
          : { $0.averagePool1d(poolSize: c.window.2, stride: c.window.2) }
      } else {
        op = c.max
          ? { $0.maxPool3d(poolSize: c.window, strides: c.window) }
          : { $0.averagePool3d(poolSize: c.window, strides: c.window) }
      }
      let gradient = KernelBenchmark.random(op(x).shape, seed: 2)
      let forward = bench.minimumTime { _ = op(x) }
      let both = bench.minimumTime {
        let variable = x.variable()
        _ = op(variable).gradients(of: [variable], seed: gradient)
      }
      let shape = c.shape.map(String.init).joined(separator: "x")
      print(
        "pooling \(c.name) \(shape) fwd_ms=\(KernelBenchmark.format(forward * 1e3, 4)) fwdbwd_ms=\(KernelBenchmark.format(both * 1e3, 4))"
      )
    }
  }
}
