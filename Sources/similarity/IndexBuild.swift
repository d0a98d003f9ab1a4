import ArgumentParser
import SimilaritySearch
import SimilarityKernels

/// `similarity index build`: a new index file from a `.npy` matrix.
struct IndexBuild: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build an HNSW (default) or exact index from a .npy matrix and save it.")

  @OptionGroup var input: VectorInputOptions

  @Option(help: "cosine, euclidean, squaredEuclidean, manhattan, innerProduct or snr (aliases: l2, l1, ip, …).")
  var distance = "cosine"

  @Option(help: "Output index file (.simx); written atomically. A link to an index is followed; a directory, a device or one of the inputs is refused.")
  var out: String

  @Option(name: .customLong("m"), parsing: .unconditional, help: "HNSW M: links per node (layer 0 gets 2·M).")
  var maxConnections = 16

  @Option(parsing: .unconditional, help: "HNSW efConstruction.")
  var efConstruction = 200

  @Option(parsing: .unconditional, help: "HNSW default efSearch stored in the file.")
  var efSearch = 50

  @Option(help: "Seed of the HNSW level generator.")
  var seed: UInt64 = 0

  @Option(parsing: .unconditional, help: "Worker threads for the HNSW build (default: all processors).")
  var threads: Int?

  @Flag(help: "Build an exact (brute-force) index instead of HNSW.")
  var exact = false

  @Option(help: "Coordinates the HNSW build walks the graph in: original (default), or pca (principal axes of the vectors: an equivalent graph, found faster for high-dimensional data; not stored in the file).")
  var basis: TraversalBasis = .original

  func validate() throws {
    try OptionCheck.within(2...255, maxConnections, "--m")
    try OptionCheck.positive(efConstruction, "--ef-construction")
    try OptionCheck.positive(efSearch, "--ef-search")
    try OptionCheck.positive(threads, "--threads")
  }

  func run() throws {
    let distance = try IndexInput.distance(self.distance)
    try IndexInput.check(basis: basis, distance: distance, isHNSW: !exact, notHNSW: ", not --exact")
    let target = try OutputCheck.file("--out", out, inputs: input.paths)
    let data = try input.load()
    // The reader refuses files beyond these limits, so refuse to write them.
    guard data.dimension <= IndexFileLimits.maximumDimension else {
      throw ValidationError(
        "\(input.vectors): dimension \(data.dimension) exceeds the index file limit of "
          + "\(IndexFileLimits.maximumDimension)")
    }
    let index: any VectorIndex =
      exact
      ? ExactIndex(dimension: data.dimension, distance: distance)
      : HNSWIndex(dimension: data.dimension, distance: distance, maxConnections: maxConnections,
                  efConstruction: efConstruction, efSearch: efSearch, seed: seed,
                  capacity: data.rows)
    (index as? HNSWIndex)?.traversalBasis = basis
    let start = monotonicSeconds()
    try addRows(to: index, values: data.values, rows: data.rows, ids: data.ids,
                labels: data.labels, threads: threads ?? ProcessInfoThreads.count)
    let seconds = monotonicSeconds() - start
    try index.write(to: out)
    print("\(exact ? "exact" : "hnsw") index: \(index.count) × \(data.dimension), \(distance.rawValue), built in \(formatSeconds(seconds))\(basis == .original ? "" : " (principal-axes walk)") -> \(OutputCheck.describe(out, writing: target))")
  }
}

/// The processor count for default thread options.
enum ProcessInfoThreads {
  static var count: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
