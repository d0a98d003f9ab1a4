import ArgumentParser
import SimilarityKernels
import SimilarityLayers
import SimilarityTensors

/// `similarity bench conv-layers`: forward and forward + backward times of the convolution
/// layers of issue #15 at typical shapes, through the layer API (input and parameter
/// gradients). scripts/bench-conv-layers.sh runs the same Keras layers in TensorFlow in the same
/// run and prints the ratios.
struct BenchConvLayers: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conv-layers",
    abstract: "Forward and forward+backward ms of Conv1D, Conv3D, Conv2DTranspose, DepthwiseConv2D and SeparableConv2D.",
    discussion: """
      Every figure is the minimum over --samples timings after one warm-up run. One line per \
      layer: `layer <name> <input shape> fwd_ms=<ms> fwdbwd_ms=<ms>`, so scripts can parse it. \
      The backward pass computes the gradients of the input and of every parameter, seeded \
      with a fixed random output gradient. The shapes are the ones scripts/bench-conv-layers.sh \
      gives TensorFlow (`similarity bench conv-layers --list` prints them).
      """)

  @Option(help: "Timed samples per layer; the minimum is reported.")
  var samples = 10

  @Option(help: "Only run layers whose name contains this.")
  var only: String?

  @Flag(help: "Print the benchmark's layers and shapes (name, Keras constructor, input shape) and exit.")
  var list = false

  /// One benchmarked layer: its name, the Keras constructor the peer script evaluates, the
  /// input shape, and our layer.
  struct Case: Sendable {
    var name: String
    var keras: String
    var input: [Int]
    var make: @Sendable () -> any Layer
  }

  static let cases: [Case] = [
    Case(name: "depthwise3x3_112x112x32", keras: "DepthwiseConv2D(3, padding='same')", input: [16, 112, 112, 32]) {
      DepthwiseConv2D(kernelSize: (3, 3), padding: .same)
    },
    Case(name: "depthwise3x3_56x56x144", keras: "DepthwiseConv2D(3, padding='same')", input: [16, 56, 56, 144]) {
      DepthwiseConv2D(kernelSize: (3, 3), padding: .same)
    },
    Case(name: "separable3x3_56x56_64to128", keras: "SeparableConv2D(128, 3, padding='same')", input: [16, 56, 56, 64]) {
      SeparableConv2D(filters: 128, kernelSize: (3, 3), padding: .same)
    },
    Case(name: "conv1d_k5_1024x64", keras: "Conv1D(64, 5, padding='same')", input: [32, 1024, 64]) {
      Conv1D(filters: 64, kernelSize: 5, padding: .same)
    },
    Case(name: "conv3d_3x3x3_16x32x32x16", keras: "Conv3D(16, 3, padding='same')", input: [4, 16, 32, 32, 16]) {
      Conv3D(filters: 16, kernelSize: (3, 3, 3), padding: .same)
    },
    Case(name: "conv2dtranspose4x4s2_16x16x128", keras: "Conv2DTranspose(64, 4, strides=2, padding='same')", input: [16, 16, 16, 128]) {
      Conv2DTranspose(filters: 64, kernelSize: (4, 4), strides: (2, 2), padding: .same)
    },
  ]

  func run() throws {
    if list {
      for c in Self.cases {
        print("\(c.name)\t\(c.keras)\t\(c.input.map(String.init).joined(separator: ","))")
      }
      return
    }
    print(
      "isa=\(InstructionSet.active) depthwise=\(KernelFamily.depthwise.variant()) convolution=\(KernelFamily.convolution.variant()) blas=\(GEMM.kernelName) pool_threads=\(ThreadPool.shared.threadCount) samples=\(samples)")
    print("variants: \(KernelFamily.summary())")
    let bench = KernelBenchmark(samples: samples)
    for c in Self.cases where only.map({ c.name.contains($0) }) ?? true {
      let layer = c.make()
      layer.build(inputShape: [nil] + c.input.dropFirst().map { Optional($0) }, seed: 1)
      let x = KernelBenchmark.random(c.input, seed: 2)
      let outputShape = layer(x).shape
      let seed = KernelBenchmark.random(outputShape, seed: 3)
      let parameters = layer.parameters
      let forward = bench.minimumTime { _ = layer(x) }
      let both = bench.minimumTime {
        let originals = parameters.map(\.value)
        let variables = originals.map { $0.variable() }
        for (parameter, variable) in zip(parameters, variables) { parameter.value = variable }
        let input = x.variable()
        _ = layer(input).gradients(of: [input] + variables, seed: seed)
        for (parameter, original) in zip(parameters, originals) { parameter.value = original }
      }
      let shape = c.input.map(String.init).joined(separator: "x")
      print(
        "layer \(c.name) \(shape) fwd_ms=\(KernelBenchmark.format(forward * 1e3, 3)) fwdbwd_ms=\(KernelBenchmark.format(both * 1e3, 3))")
    }
  }
}
