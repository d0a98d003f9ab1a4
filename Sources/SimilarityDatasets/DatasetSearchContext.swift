import Foundation

/// Where the data set loaders look: the environment, the working directory and the cache.
/// `DatasetSearchContext.current` describes this process; tests build their own.
public struct DatasetSearchContext: Sendable {
  /// Environment variables (e.g. `MNIST_DIR`, `XDG_CACHE_HOME`, `HOME`).
  public var environment: [String: String]
  /// The directory `ImageDataset.SearchPath.relativeToWorkingDirectory` paths start from.
  public var currentDirectory: URL

  /// Creates a context from explicit values.
  public init(environment: [String: String], currentDirectory: URL) {
    self.environment = environment
    self.currentDirectory = currentDirectory
  }

  /// This process: its environment and its working directory.
  public static var current: DatasetSearchContext {
    DatasetSearchContext(
      environment: ProcessInfo.processInfo.environment,
      currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
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
