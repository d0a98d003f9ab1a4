// libFuzzer harness for every reader of untrusted files (scripts/fuzz.sh builds and runs it).
//
//   SimilarityFuzz TARGET [libFuzzer flags] [corpus dirs]   (or FUZZ_TARGET=TARGET)
//   SimilarityFuzz --write-seeds DIR                         small valid files of each kind
//
// In-memory readers decode the input directly; path-based loaders read it from a file in
// FUZZ_SHM (a tmpfs folder) beside fixed valid files of a small saved model. Whatever loads is
// exercised a little, and any inconsistency is a `fatalError`, which libFuzzer reports as a crash.
import Foundation
import Similarity
import SimilarityIO
import SimilarityModels

#if canImport(Glibc)
  import Glibc
#endif

enum FuzzTarget: String, CaseIterable {
  case npy, simx, safetensors, architecture, manifest, calibration, run, siamese, idx, gzip, png
  case torch
}

nonisolated(unsafe) var target = FuzzTarget.npy
/// The tmpfs folder holding the fixed files and the fuzzed one.
nonisolated(unsafe) var shm = "/dev/shm/similarity-fuzz-\(getpid())"

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("fuzz invariant: \(message())") }
}

/// Writes `bytes` to `path` with plain system calls (this runs once per execution).
func put(_ bytes: [UInt8], at path: String) {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  check(fd >= 0, "cannot open \(path)")
  var done = 0
  while done < bytes.count {
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
    check(n > 0, "cannot write \(path)")
    done += n
  }
  close(fd)
}

/// The bytes with their last 8 replaced by the FNV-1a 64 checksum of the rest (as .simx files
/// end), so mutations reach the validation behind the checksum.
func withIndexChecksum(_ input: [UInt8]) -> [UInt8] {
  var bytes = input
  guard bytes.count > 8 else { return bytes }
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in bytes[0..<(bytes.count - 8)] { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
  for i in 0..<8 { bytes[bytes.count - 8 + i] = UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i))) }
  return bytes
}

/// CRC-32 (the PNG and gzip polynomial), bitwise.
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}

/// The bytes with every whole PNG chunk's CRC recomputed, so mutations of a chunk reach the
/// decoder instead of stopping at libpng's CRC check.
func withChunkCRCs(_ input: [UInt8]) -> [UInt8] {
  var bytes = input
  var offset = 8
  while offset + 12 <= bytes.count {
    let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    guard length <= bytes.count - offset - 12 else { break }
    let end = offset + 8 + length
    let crc = crc32(bytes[(offset + 4)..<end])
    for i in 0..<4 { bytes[end + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(i))) }
    offset = end + 4
  }
  return bytes
}

/// The folders of the path-based targets, made once with the library's own writers.
enum Fixture {
  static var architectureFolder: URL { URL(fileURLWithPath: shm + "/architecture") }
  static var modelFolder: URL { URL(fileURLWithPath: shm + "/model") }
  static var runFolder: URL { URL(fileURLWithPath: shm + "/run") }

  /// A Dense embedding of 16 inputs, as in the SimilarityTests.
  static func embedding() -> Sequential {
    Sequential(seed: 1) {
      Input(shape: [16])
      Dense(units: 12, activation: .relu)
      MetricEmbedding(units: 4)
    }
  }

  /// 3 classes of 6 points in 16 dimensions.
  static func examples() -> (ExampleMatrix, [Int]) {
    var state: UInt64 = 3
    var values: [Float] = []
    var labels: [Int] = []
    for row in 0..<18 {
      labels.append(row % 3)
      for column in 0..<16 {
        let centre: Float = column % 3 == row % 3 ? 2 : 0
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        values.append(centre + Float(state >> 54) / 1024)
      }
    }
    return (ExampleMatrix(values: values, exampleShape: [16]), labels)
  }

  static func make() throws {
    for folder in [architectureFolder, modelFolder, runFolder] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    try Checkpoint.save(embedding(), to: architectureFolder)
    let model = SimilarityModel(embedding: embedding())
    let (examples, labels) = examples()
    try model.index(examples, labels: labels)
    try model.calibrate(examples, labels: labels)
    try model.save(to: modelFolder)
  }
}

func fuzzNPY(_ bytes: [UInt8]) {
  guard let array = try? NPYFile.decode(Data(bytes), file: "fuzz.npy") else { return }
  check(array.shape.allSatisfy { $0 >= 0 }, "negative dimension \(array.shape)")
  check(array.count == array.shape.reduce(1, *), "\(array.count) elements for \(array.shape)")
  check(array.floats.count == array.count, "floats")
  let encoded = NPYFile.encode(array)
  guard let again = try? NPYFile.decode(encoded, file: "again.npy") else {
    fatalError("fuzz invariant: a decoded .npy does not decode after encoding")
  }
  check(NPYFile.encode(again) == encoded, "encode(decode(encode(a))) != encode(a)")
}

func fuzzSIMX(_ bytes: [UInt8]) {
  let path = shm + "/fuzz.simx"
  put(withIndexChecksum(bytes), at: path)
  guard let index = try? loadIndex(from: path) else { return }
  let query = [Float](repeating: 0.5, count: index.dimension)
  if let found = try? index.search(query, k: 3, filter: nil) {
    check(found.count <= min(3, index.count), "\(found.count) results from \(index.count) items")
  }
  if let hnsw = index as? HNSWIndex {
    let problems = hnsw.checkInvariants()
    check(problems.isEmpty, "HNSW invariants: \(problems.prefix(3))")
  }
}

func fuzzSafetensors(_ bytes: [UInt8]) {
  guard let contents = try? Safetensors.decode(bytes, file: "fuzz.safetensors") else { return }
  for (name, tensor) in contents.tensors {
    check(tensor.scalars.count == tensor.shape.reduce(1, *), "\(name): \(tensor.shape)")
  }
  let encoded = Safetensors.encode(contents.tensors, metadata: contents.metadata)
  guard let again = try? Safetensors.decode(encoded, file: "again.safetensors") else {
    fatalError("fuzz invariant: decoded safetensors do not decode after encoding")
  }
  check(again.tensors.map(\.name) == contents.tensors.map(\.name), "names")
  check(again.tensors.map(\.tensor.shape) == contents.tensors.map(\.tensor.shape), "shapes")
}

func fuzzArchitecture(_ bytes: [UInt8]) {
  let folder = Fixture.architectureFolder
  put(bytes, at: folder.appendingPathComponent(Checkpoint.architectureFileName).path)
  guard let model = try? Checkpoint.loadModel(from: folder) else { return }
  for (name, parameter) in model.namedParameters {
    let value = parameter.value
    check(value.scalars.count == value.shape.reduce(1, *), "\(name): \(value.shape)")
  }
}

func fuzzManifest(_ bytes: [UInt8]) {
  let folder = Fixture.modelFolder
  put(bytes, at: folder.appendingPathComponent("manifest.json").path)
  guard let model = try? SimilarityModel.load(from: folder) else { return }
  let size = model.inputShape.reduce(1, *)
  check(model.index.dimension == model.dimension, "index \(model.index.dimension) vs \(model.dimension)")
  guard size >= 1, size <= 1 << 16 else { return }
  let query = ExampleMatrix(values: [Float](repeating: 0.5, count: size), exampleShape: model.inputShape)
  do {
    let found = try model.lookup(query, k: 3)
    check(found.count == 1 && found[0].count <= min(3, model.index.count), "lookup results")
  } catch {
    fatalError("fuzz invariant: a loaded model cannot look up: \(error)")
  }
}

func fuzzCalibration(_ bytes: [UInt8]) {
  // As SavedModelManifest.readCalibration: strict JSON, then the decoder and validate().
  guard (try? JSONFile.check(bytes, path: "calibration.json", what: "a calibration")) != nil,
    let calibration = try? Calibration(jsonData: Data(bytes))
  else { return }
  do {
    _ = try Calibration(jsonData: try calibration.jsonData())
  } catch {
    fatalError("fuzz invariant: a loaded calibration does not load after saving: \(error)")
  }
}

func fuzzRun(_ bytes: [UInt8]) {
  put(bytes, at: Fixture.runFolder.appendingPathComponent(TrainingRun.fileName).path)
  _ = try? TrainingRun.read(from: Fixture.runFolder)
}

func fuzzSiamese(_ bytes: [UInt8]) {
  put(bytes, at: Fixture.runFolder.appendingPathComponent(SiameseRun.fileName).path)
  _ = try? SiameseRun.read(from: Fixture.runFolder)
}

func fuzzIDX(_ bytes: [UInt8]) {
  guard let array = try? IDXFile.decode(Data(bytes), file: "fuzz.idx") else { return }
  let count = array.shape.reduce(1, *)
  check(array.bytes.count == count * array.dataType.itemSize, "\(array.bytes.count) bytes for \(array.shape)")
}

func fuzzGzip(_ bytes: [UInt8]) {
  let data = Data(bytes)
  let limit = 1 << 20
  let whole = try? Gzip.decompress(data, file: "fuzz.gz", maximumBytes: limit)
  if let whole { check(whole.count <= limit, "\(whole.count) bytes past the limit") }
  if let prefix = try? Gzip.prefix(64, of: data, file: "fuzz.gz") {
    check(prefix.count <= 64, "prefix of \(prefix.count) bytes")
    if let whole { check(whole.prefix(64) == prefix, "the prefix differs from the whole") }
  }
}

func fuzzPNG(_ bytes: [UInt8]) {
  guard let image = try? PNGImage.decode(withChunkCRCs(bytes), path: "fuzz.png") else { return }
  check([1, 3].contains(image.channels), "\(image.channels) channels")
  check(image.pixels.count == image.height * image.width * image.channels, "pixel count")
}

func fuzzTorch(_ bytes: [UInt8]) {
  guard let checkpoint = try? TorchCheckpoint(bytes: bytes, file: "fuzz.pt") else { return }
  var floats: [(name: String, shape: [Int], values: [Float])] = []
  for tensor in checkpoint.tensors {
    check(tensor.values.count == tensor.shape.reduce(1, *), "\(tensor.name): \(tensor.shape)")
    if let values = tensor.floats { floats.append((tensor.name, tensor.shape, values)) }
  }
  let names = floats.map(\.name)
  guard Set(names).count == names.count else { return }  // zipBytes names each tensor once
  guard let again = try? TorchCheckpoint(bytes: TorchCheckpoint.zipBytes(floats), file: "again.pt")
  else { fatalError("fuzz invariant: a read checkpoint does not read after writing") }
  check(again.tensors.map(\.name) == names, "names")
  check(again.tensors.map(\.shape) == floats.map(\.shape), "shapes")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
  switch target {
  case .npy: fuzzNPY(bytes)
  case .simx: fuzzSIMX(bytes)
  case .safetensors: fuzzSafetensors(bytes)
  case .architecture: fuzzArchitecture(bytes)
  case .manifest: fuzzManifest(bytes)
  case .calibration: fuzzCalibration(bytes)
  case .run: fuzzRun(bytes)
  case .siamese: fuzzSiamese(bytes)
  case .idx: fuzzIDX(bytes)
  case .gzip: fuzzGzip(bytes)
  case .png: fuzzPNG(bytes)
  case .torch: fuzzTorch(bytes)
  }
  return 0
}

func complain(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Takes the target (or `--write-seeds DIR`) off the front of the arguments before libFuzzer
/// parses them, and makes the fixed files.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
  var arguments = (0..<Int(argc.pointee)).map { String(cString: argv.pointee![$0]!) }
  func drop(_ count: Int) {
    let vector = argv.pointee!
    for i in 1..<(Int(argc.pointee) - count + 1) { vector[i] = vector[i + count] }
    argc.pointee -= CInt(count)
    arguments.removeSubrange(1..<(1 + count))
  }
  if let folder = ProcessInfo.processInfo.environment["FUZZ_SHM"] { shm = folder }
  do {
    if arguments.count >= 3, arguments[1] == "--write-seeds" {
      try Fixture.make()
      try writeSeeds(to: URL(fileURLWithPath: arguments[2]))
      exit(0)
    }
    var name = ProcessInfo.processInfo.environment["FUZZ_TARGET"]
    if arguments.count >= 2, let chosen = FuzzTarget(rawValue: arguments[1]) {
      name = chosen.rawValue
      drop(1)
    }
    guard let name, let chosen = FuzzTarget(rawValue: name) else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
      complain("usage: SimilarityFuzz TARGET [libFuzzer flags] (TARGET: \(names))")
      exit(2)
    }
    target = chosen
    try Fixture.make()
  } catch {
    complain("SimilarityFuzz: cannot set up \(shm): \(error)")
    exit(1)
  }
  return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links executables against `<module>_main`; hand control to libFuzzer's driver, which
/// calls `LLVMFuzzerInitialize` first.
@_cdecl("SimilarityFuzz_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  var count = argc
  var arguments = argv
  return LLVMFuzzerRunDriver(&count, &arguments) { data, size in testOneInput(data, size) }
}
