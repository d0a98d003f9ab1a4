import Foundation

/// Where the data set loaders look: the environment, the working directory, the package root
/// and the cache. `DatasetSearchContext.current` describes this process; tests build their own.
public struct DatasetSearchContext: Sendable {
  /// Environment variables (e.g. `MNIST_DIR`, `XDG_CACHE_HOME`, `HOME`).
  public var environment: [String: String]
  /// The directory relative paths such as `../shared/datasets/mnist` start from.
  public var currentDirectory: URL
  /// The swift-similarity checkout this library was built from, when it still exists.
  public var packageRoot: URL?

  /// Creates a context from explicit values.
  public init(environment: [String: String], currentDirectory: URL, packageRoot: URL?) {
    self.environment = environment
    self.currentDirectory = currentDirectory
    self.packageRoot = packageRoot
  }

  /// This process: its environment, its working directory and the checkout it was built from.
  public static var current: DatasetSearchContext {
    // This file is <root>/Sources/SimilarityDatasets/DatasetSearchContext.swift.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let hasManifest = FileManager.default.fileExists(
      atPath: root.appendingPathComponent("Package.swift").path)
    return DatasetSearchContext(
      environment: ProcessInfo.processInfo.environment,
      currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
      packageRoot: hasManifest ? root : nil)
  }

  /// `$XDG_CACHE_HOME/swift-similarity`, or `~/.cache/swift-similarity` when it is unset.
  public var cacheRoot: URL {
    let base: URL
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      base = URL(fileURLWithPath: xdg)
    } else {
      let home =
        environment["HOME"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.homeDirectoryForCurrentUser
      base = home.appendingPathComponent(".cache")
    }
    return base.appendingPathComponent("swift-similarity")
  }
}
