// swift-tools-version:6.0
import PackageDescription

// Targets form a DAG (see docs/ARCHITECTURE.md):
//   CSimilarityBLAS, CSimilarityZlib (system libraries), CSimilarityKernels (C, runtime SIMD dispatch)
//   SimilarityKernels  <- thread pool, RNG, GEMM backend, convolution, and the Swift face of every
//                         C kernel (the only module that imports CSimilarityKernels)
//   SimilarityTensors  <- Tensor + reverse-mode gradients
//   SimilarityLayers   <- layers, optimizers, models, safetensors checkpoints
//   SimilarityDatasets <- IDX (MNIST, Fashion-MNIST), .npy, image decoding (PNG, JPEG),
//                         data sources and the prefetching batch loader
//   SimilarityModels   <- ready-made architectures (ResNet, EfficientNet) and weight import
//                         (PyTorch, ONNX, Keras files)
//   SimilaritySearch   <- distances, exact and HNSW indexes (no training stack)
//   SimilarityIO       <- files: the one atomic writer, saved-folder ownership, bounded reads of
//                         regular files, strict JSON (Foundation only)
//   similarity         <- the command-line tool
let package = Package(
  name: "swift-similarity",
  products: [
    .library(name: "SimilarityIO", targets: ["SimilarityIO"]),
    .library(name: "SimilarityKernels", targets: ["SimilarityKernels"]),
    .library(name: "SimilarityTensors", targets: ["SimilarityTensors"]),
    .library(name: "SimilarityLayers", targets: ["SimilarityLayers"]),
    .library(name: "SimilarityDatasets", targets: ["SimilarityDatasets"]),
    .library(name: "SimilarityModels", targets: ["SimilarityModels"]),
    .library(name: "SimilaritySearch", targets: ["SimilaritySearch"]),
    .library(name: "SimilarityMetricLearning", targets: ["SimilarityMetricLearning"]),
    .library(name: "SimilarityEvaluation", targets: ["SimilarityEvaluation"]),
    .library(name: "SimilarityVisualization", targets: ["SimilarityVisualization"]),
    .library(name: "Similarity", targets: ["Similarity"]),
    .executable(name: "similarity", targets: ["similarity"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .systemLibrary(
      name: "CSimilarityBLAS", path: "Sources/CSimilarityBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CSimilarityPNG", path: "Sources/CSimilarityPNG", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(
      name: "CSimilarityZlib", path: "Sources/CSimilarityZlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CSimilarityJPEG", path: "Sources/CSimilarityJPEG",
      providers: [.apt(["libturbojpeg0-dev"])]),
    .target(name: "CSimilarityKernels", path: "Sources/CSimilarityKernels"),
    .target(name: "SimilarityIO"),
    .target(name: "SimilarityKernels", dependencies: ["CSimilarityBLAS", "CSimilarityKernels"]),
    .target(name: "SimilarityTensors", dependencies: ["SimilarityKernels"]),
    .target(name: "SimilarityLayers", dependencies: ["SimilarityTensors", "SimilarityIO"]),
    .target(
      name: "SimilarityDatasets",
      dependencies: [
        "CSimilarityZlib", "SimilarityIO", "CSimilarityPNG", "CSimilarityJPEG", "SimilarityKernels",
      ]),
    .target(name: "SimilarityModels", dependencies: ["SimilarityLayers", "SimilarityIO"]),
    .target(
      name: "SimilaritySearch",
      dependencies: ["SimilarityKernels", "SimilarityIO"]),
    .target(
      name: "SimilarityMetricLearning",
      dependencies: ["SimilarityKernels", "SimilarityTensors", "SimilarityLayers", "SimilaritySearch"]),
    .target(name: "SimilarityEvaluation"),
    .target(
      name: "SimilarityVisualization",
      dependencies: ["CSimilarityPNG", "SimilarityEvaluation", "SimilarityKernels", "SimilarityIO"]),
    .target(
      name: "Similarity",
      dependencies: [
        "SimilarityKernels", "SimilarityTensors", "SimilarityLayers", "SimilarityDatasets",
        "SimilaritySearch", "SimilarityMetricLearning", "SimilarityEvaluation",
        "SimilarityVisualization", "CSimilarityPNG", "SimilarityIO", "SimilarityModels",
      ]),
    .executableTarget(
      name: "similarity",
      dependencies: [
        "SimilarityKernels", "SimilarityTensors", "SimilarityLayers", "SimilarityDatasets",
        "SimilaritySearch", "SimilarityMetricLearning", "SimilarityEvaluation",
        "SimilarityVisualization", "Similarity", "SimilarityIO", "SimilarityModels",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Saves one kind of file over and over, for the kill -9 crash-safety test and script.
    .executableTarget(
      name: "similarity-save-loop",
      dependencies: [
        "Similarity", "SimilarityIO", "SimilarityLayers", "SimilaritySearch",
        "SimilarityVisualization",
      ]),
    .testTarget(name: "SimilarityIOTests", dependencies: ["SimilarityIO"]),
    .testTarget(name: "SimilarityKernelsTests", dependencies: ["SimilarityKernels"]),
    .testTarget(name: "SimilarityTensorsTests", dependencies: ["SimilarityTensors"]),
    .testTarget(
      name: "SimilarityLayersTests", dependencies: ["SimilarityLayers"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SimilarityDatasetsTests", dependencies: ["SimilarityDatasets"],
      resources: [.copy("Fixtures")]),
    .testTarget(name: "SimilaritySearchTests", dependencies: ["SimilaritySearch"]),
    .testTarget(
      name: "SimilarityModelsTests", dependencies: ["SimilarityModels"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "SimilarityMetricLearningTests",
      dependencies: ["SimilarityMetricLearning", "SimilarityKernels", "SimilarityTensors"]),
    .testTarget(name: "SimilarityEvaluationTests", dependencies: ["SimilarityEvaluation"]),
    .testTarget(
      name: "SimilarityCLITests",
      dependencies: ["similarity", "similarity-save-loop", "SimilarityModels", "SimilarityDatasets"]),
    .testTarget(name: "SimilarityTests", dependencies: ["Similarity"]),
    .testTarget(name: "SimilarityVisualizationTests", dependencies: ["SimilarityVisualization"]),
  ],
  swiftLanguageModes: [.v6]
)
