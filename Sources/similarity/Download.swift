import ArgumentParser
import Foundation
import SimilarityDatasets

/// `similarity download mnist|fashion-mnist`: fetches a data set into the cache directory (or
/// `--to`), verifying each file's checksum before it is renamed into place.
struct Download: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Download MNIST or Fashion-MNIST into the cache directory (needs network access).")

  @Argument(help: "The data set: mnist or fashion-mnist.")
  var dataset: DatasetChoice

  @Option(help: "Directory to download into (default: the cache directory the loaders search).")
  var to: String?

  @Option(help: "A mirror to try before the built-in ones (a URL of a directory).")
  var mirror: String?

  func run() async throws {
    let target = dataset.dataset
    var mirrors = target.mirrors
    if let mirror {
      guard let url = URL(string: mirror), url.scheme != nil else {
        throw ValidationError("--mirror must be a URL such as https://host/path/, got \(mirror)")
      }
      mirrors.insert(url, at: 0)
    }
    let destination = try await target.download(
      to: to.map { URL(fileURLWithPath: $0) }, mirrors: mirrors)
    print("\(target.name) is in \(destination.path)")
  }
}
