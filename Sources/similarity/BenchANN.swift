import ArgumentParser
import Foundation
import SimilarityDatasets
import SimilarityKernels
import SimilaritySearch

/// `similarity bench ann`: exact and HNSW search on Fashion-MNIST or random vectors, with the
/// same protocol as the peers' `ann_bench.py` (hnswlib, faiss), so their figures can be compared
/// line by line.
struct BenchANN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ann",
    abstract: "Exact vs HNSW search: recall@k, QPS per efSearch, build time and memory.",
    discussion: """
      fashion-mnist: the 60k train images (raw pixels 0…255, 784-d) are the base and the 10k
      test images the queries. random: N × dim standard normal vectors normalised to unit length
      (like the peer script), with independent queries. Distance: Euclidean. Ground truth comes
      from the exact (GEMM) index. One `RESULT key=value …` line per measurement, in the peer
      script's format. QPS = queries / wall seconds of one batch call (best of --repeats).
      """)

  enum Dataset: String, ExpressibleByArgument {
    case fashionMNIST = "fashion-mnist"
    case random
    case clustered
  }

  @Option(help: "fashion-mnist, random (unit Gaussian directions) or clustered (a Gaussian mixture).")
  var dataset: Dataset = .fashionMNIST
  @Option(help: "Directory holding the Fashion-MNIST IDX files (default: the usual places).")
  var dataDir: String?
  @Option(help: "Base vectors for --dataset random.")
  var randomN = 1_000_000
  @Option(help: "Dimension for --dataset random.")
  var randomDim = 64
  @Option(help: "Number of queries.")
  var queries = 10_000
  @Option(help: "Truncate the base set (smoke tests).")
  var baseLimit: Int?
  @Option(name: .short, help: "Neighbours per query.")
  var k = 10
  @Option(name: .customLong("m"), help: "HNSW M.")
  var maxConnections = 16
  @Option(help: "HNSW efConstruction.")
  var efConstruction = 200
  @Option(help: "Comma-separated efSearch values.")
  var efs = "10,20,40,80,160"
  @Option(help: "Comma-separated query thread counts.")
  var threads = "1,2"
  @Option(help: "Threads for the HNSW build.")
  var buildThreads = 2
  @Option(help: "The exact index is timed on the first N queries.")
  var exactQueries = 2000
  @Option(help: "Each timed query batch runs this often; the best is kept.")
  var repeats = 2
  @Option(help: "Skip the build and load this index file instead (it must hold the same base).")
  var loadIndex: String?
  @Option(help: "Save the built index here.")
  var saveIndex: String?
  @Option(help: "Seed for random data and HNSW levels.")
  var seed: UInt64 = 12345

  @Option(help: "Comma-separated traversal precisions to time: float32, float16.")
  var traversal = "float32"

  @Option(help: "Mixture components for --dataset clustered.")
  var clusters = 1000

  @Option(help: "Write the base and query vectors as base.npy and queries.npy in this directory (to run peers on the same data).")
  var saveData: String?

  @Option(help: "Traversal precision of the build's candidate searches: float32 or float16.")
  var buildTraversal: TraversalPrecision = .float32

  @Option(help: "Coordinates the HNSW build walks the graph in: original, or pca (principal axes, fitted on the base set).")
  var basis: TraversalBasis = .original

  @Option(help: "Comma-separated coordinates to time the searches in: original, pca (default: the build's).")
  var searchBasis: String?

  func validate() throws {
    try OptionCheck.positive(randomN, "--random-n")
    try OptionCheck.within(1...IndexFileLimits.maximumDimension, randomDim, "--random-dim")
    try OptionCheck.positive(queries, "--queries")
    try OptionCheck.positive(baseLimit, "--base-limit")
    try OptionCheck.positive(k, "-k")
    try OptionCheck.within(2...255, maxConnections, "--m")
    try OptionCheck.positive(efConstruction, "--ef-construction")
    _ = try OptionCheck.positiveList(efs, "--efs")
    _ = try OptionCheck.positiveList(threads, "--threads")
    try OptionCheck.positive(buildThreads, "--build-threads")
    try OptionCheck.positive(exactQueries, "--exact-queries")
    try OptionCheck.positive(repeats, "--repeats")
    try OptionCheck.positive(clusters, "--clusters")
  }

  func run() throws {
    print("kernel=\(GEMM.kernelName) simd=\(DistanceKernels.isa) blas_threads=\(GEMM.threadCount)")
    print("variants: \(KernelFamily.summary())")
    let (name, base, dimension, query) = try loadData()
    let n = base.count / dimension
    let nq = query.count / dimension
    print("##### dataset \(name): base \(n) x \(dimension), queries \(nq), k=\(k)")
    let threadCounts = try OptionCheck.positiveList(threads, "--threads")
    if let saveData {
      let directory = URL(fileURLWithPath: saveData)
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try NPYFile.write(
        NPYArray(shape: [n, dimension], floats: base), to: directory.appendingPathComponent("base.npy"))
      try NPYFile.write(
        NPYArray(shape: [nq, dimension], floats: query),
        to: directory.appendingPathComponent("queries.npy"))
      print("SAVED \(saveData)/base.npy and queries.npy")
    }

    // HNSW build (or load).
    let rss0 = residentMiB()
    let index: HNSWIndex
    var build = 0.0
    var buildCPU = 0.0
    if let loadIndex {
      guard let loaded = try SimilaritySearch.loadIndex(from: loadIndex) as? HNSWIndex,
        loaded.count == n, loaded.dimension == dimension
      else { throw ValidationError("\(loadIndex) is not an HNSW index of this base set") }
      index = loaded
      index.traversalBasis = basis
      print("LOADED \(loadIndex) (M \(index.maxConnections), efConstruction \(index.efConstruction))")
    } else {
      index = HNSWIndex(dimension: dimension, distance: .euclidean,
                        maxConnections: maxConnections, efConstruction: efConstruction,
                        seed: seed, capacity: n)
      index.traversalPrecision = buildTraversal
      index.traversalBasis = basis
      let bar = ProgressBar(title: "Building", total: n)
      let start = monotonicSeconds()
      let cpu0 = processCPUSeconds()
      try index.add(vectors: base, ids: nil, labels: nil, payloads: nil, threads: buildThreads) {
        done, _ in bar.update(done)
      }
      build = monotonicSeconds() - start
      buildCPU = processCPUSeconds() - cpu0
      bar.finish("built in \(fmt(build, 2)) s")
    }
    let rss = residentMiB() - rss0
    let path = saveIndex ?? "/tmp/similarity-bench-ann-\(getpid()).simx"
    try index.write(to: path)
    let fileMiB = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1048576
    if saveIndex == nil { unlink(path) }
    // The index's irreducible part: float32 vectors plus layer-0 links ([count, 2M ids] per
    // slot) and upper-layer links; RSS growth over it is the overhead.
    let rawMiB = Double(index.structureBytes.vectorsAndLinks) / 1048576
    print("MEMORY vectors+links \(fmt(rawMiB, 1)) MiB; build RSS growth \(fmt(rss, 1)) MiB = \(fmt(100 * (rss / rawMiB - 1), 1))% overhead")
    print("BUILD swift_hnsw \(fmt(build, 2)) s wall, \(fmt(buildCPU, 2)) s cpu (\(buildThreads) threads, \(buildTraversal.rawValue) walk, \(basis.rawValue) basis); rss +\(fmt(rss, 0)) MiB; serialized \(fmt(fileMiB, 1)) MiB")

    // Timed HNSW searches first: the exact index's BLAS threads may keep spinning for a while
    // after a GEMM and would slow whatever runs next.
    var measured:
      [(basis: TraversalBasis, precision: TraversalPrecision, ef: Int, threads: Int, seconds: Double, cpu: Double, found: [[Neighbor]])] = []
    for (searchBasis, precision) in try searchBases().flatMap({ b in try traversalPrecisions().map { (b, $0) } }) {
      index.traversalBasis = searchBasis
      index.traversalPrecision = precision
      for ef in try OptionCheck.positiveList(efs, "--efs") {
        index.efSearch = max(ef, k)
        for t in threadCounts {
          var found = [[Neighbor]]()
          let (seconds, cpu) = try bestWithCPU {
            found = try index.search(queries: query, k: k, threads: t)
          }
          measured.append((searchBasis, precision, ef, t, seconds, cpu, found))
        }
      }
    }

    // Exact: ground truth (all queries), then timed on the first exactQueries.
    let exact = ExactIndex(dimension: dimension, distance: .euclidean)
    try exact.add(vectors: base)
    let truth = try exact.search(queries: query, k: k)
    let timedRows = min(exactQueries, nq)
    let timedQueries = Array(query[0..<(timedRows * dimension)])
    for t in threadCounts {
      let seconds = try best { _ = try exact.search(queries: timedQueries, k: k, threads: t) }
      emit(name, "swift_exact", ef: "-", threads: t, recall: 1, recallTie: 1,
           qps: Double(timedRows) / seconds, build: 0, mem: Double(base.count * 4) / 1048576,
           note: "first \(timedRows) queries in \(fmt(seconds, 2))s")
    }
    // The same exact search scored in bfloat16 with float32 re-ranking (where the CPU has
    // AVX512_BF16); its recall against the float32 ground truth is measured, not assumed.
    exact.scoringPrecision = .bfloat16
    if exact.scoringPrecision == .bfloat16 {
      var found: [[Neighbor]] = []
      for t in threadCounts {
        let seconds = try best { found = try exact.search(queries: timedQueries, k: k, threads: t) }
        let (recall, recallTie) = recalls(found, Array(truth.prefix(timedRows)))
        emit(name, "swift_exact_bf16", ef: "-", threads: t, recall: recall, recallTie: recallTie,
             qps: Double(timedRows) / seconds, build: 0, mem: Double(base.count * 6) / 1048576,
             note: "first \(timedRows) queries in \(fmt(seconds, 2))s")
      }
    }


    for m in measured {
      let (recall, recallTie) = recalls(m.found, truth)
      let lib = (m.precision == .float32 ? "swift_hnsw" : "swift_hnsw_f16") + (m.basis == .original ? "" : "_pca")
      emit(name, lib, ef: "\(m.ef)", threads: m.threads, recall: recall,
           recallTie: recallTie, qps: Double(nq) / m.seconds, build: build, mem: fileMiB,
           note: "build_basis=\(basis.rawValue) cpu_us=\(fmt(1e6 * m.cpu / Double(nq), 1)) cpu_build_s=\(fmt(buildCPU, 2)) rss_mib=\(fmt(rss, 0))")
    }
  }

  private func searchBases() throws -> [TraversalBasis] {
    guard let searchBasis else { return [basis] }
    return try Self.parseList(searchBasis, option: "--search-basis")
  }

  private func traversalPrecisions() throws -> [TraversalPrecision] {
    try Self.parseList(traversal, option: "--traversal")
  }

  /// The comma-separated raw values of `list` as `T`s, or an error naming the option, the bad
  /// value and the accepted ones.
  private static func parseList<T: RawRepresentable & CaseIterable>(_ list: String, option: String)
    throws -> [T] where T.RawValue == String
  {
    try list.split(separator: ",").map { name in
      guard let value = T(rawValue: String(name)) else {
        throw ValidationError(
          "\(option): '\(name)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return value
    }
  }

  private func loadData() throws -> (String, [Float], Int, [Float]) {
    switch dataset {
    case .fashionMNIST:
      let directory = dataDir.map { URL(fileURLWithPath: $0) }
      let train = try ImageDataset.fashionMNIST.load(.train, from: directory)
      let test = try ImageDataset.fashionMNIST.load(.test, from: directory)
      var base = train.pixels.map(Float.init)
      let d = train.pixelsPerImage
      if let baseLimit { base = Array(base.prefix(baseLimit * d)) }
      let q = Array(test.pixels.prefix(min(queries, test.count) * d).map(Float.init))
      return ("fashion", base, d, q)
    case .random:
      var rng = SplitMix64(seed: seed)
      func unit(_ count: Int) -> [Float] {
        var v = [Float](repeating: 0, count: count * randomDim)
        for r in 0..<count {
          var norm: Float = 0
          for j in 0..<randomDim {
            let x = rng.nextNormal()
            v[r * randomDim + j] = x
            norm += x * x
          }
          let scale = 1 / norm.squareRoot()
          for j in 0..<randomDim { v[r * randomDim + j] *= scale }
        }
        return v
      }
      let n = baseLimit.map { min($0, randomN) } ?? randomN
      return ("random\(n / 1000)k_d\(randomDim)", unit(n), randomDim, unit(queries))
    case .clustered:
      // A Gaussian mixture: `clusters` centres ~ N(0, I) in randomDim dimensions, each point a
      // uniformly chosen centre plus N(0, 0.35² I); queries are fresh draws from the mixture.
      var rng = SplitMix64(seed: seed)
      let centres = (0..<(clusters * randomDim)).map { _ in rng.nextNormal() }
      func draw(_ count: Int) -> [Float] {
        var v = [Float](repeating: 0, count: count * randomDim)
        for r in 0..<count {
          let c = Int(rng.next() % UInt64(clusters))
          for j in 0..<randomDim {
            v[r * randomDim + j] = centres[c * randomDim + j] + 0.35 * rng.nextNormal()
          }
        }
        return v
      }
      let n = baseLimit.map { min($0, randomN) } ?? randomN
      return ("clustered\(n / 1000)k_d\(randomDim)_c\(clusters)", draw(n), randomDim, draw(queries))
    }
  }

  /// Id recall@k, and tie-aware recall: a returned item counts when its distance is within the
  /// k-th true distance (Fashion-MNIST distances are integers, so ties are common).
  private func recalls(_ found: [[Neighbor]], _ truth: [[Neighbor]]) -> (Double, Double) {
    var hits = 0
    var tieHits = 0
    var total = 0
    for (f, t) in zip(found, truth) {
      let ids = Set(t.map(\.id))
      hits += f.filter { ids.contains($0.id) }.count
      let kth = Double(t.last?.distance ?? 0)
      let limit = kth * kth * (1 + 1e-5) + 1e-6
      tieHits += f.filter { Double($0.distance) * Double($0.distance) <= limit }.count
      total += t.count
    }
    return (Double(hits) / Double(total), Double(tieHits) / Double(total))
  }

  /// Best wall time over `repeats` runs and the process CPU seconds of that run.
  private func bestWithCPU(_ body: () throws -> Void) throws -> (Double, Double) {
    var best = (Double.infinity, 0.0)
    for _ in 0..<max(1, repeats) {
      let start = monotonicSeconds()
      let cpu0 = processCPUSeconds()
      try body()
      let wall = monotonicSeconds() - start
      if wall < best.0 { best = (wall, processCPUSeconds() - cpu0) }
    }
    return best
  }

  private func best(_ body: () throws -> Void) throws -> Double {
    var best = Double.infinity
    for _ in 0..<max(1, repeats) {
      let start = monotonicSeconds()
      try body()
      best = min(best, monotonicSeconds() - start)
    }
    return best
  }

  private func emit(
    _ dataset: String, _ lib: String, ef: String, threads: Int, recall: Double, recallTie: Double,
    qps: Double, build: Double, mem: Double, note: String
  ) {
    print("RESULT dataset=\(dataset)  lib=\(lib)  ef=\(ef)  threads=\(threads)  recall=\(fmt(recall, 4))  recall_tie=\(fmt(recallTie, 4))  qps=\(fmt(qps, 1))  build_s=\(fmt(build, 2))  mem_mib=\(fmt(mem, 1))  note=\(note)")
  }

  private func fmt(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }

  private func residentMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1048576
  }

  private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
      + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
  }
}

extension TraversalPrecision: ExpressibleByArgument {}
extension TraversalBasis: ExpressibleByArgument {}
extension ScoringPrecision: ExpressibleByArgument {}
