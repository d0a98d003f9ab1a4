import Foundation
import SimilarityFileReading
import SimilarityTensors

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Saving and loading models.
///
/// A checkpoint directory holds two files:
///
/// - `architecture.json`: `{"format": "swift-similarity-architecture", "formatVersion": 1,
///   "model": <LayerConfiguration>}`, the layer types and hyper-parameters
///   (see ``LayerConfiguration``), so the model can be rebuilt without hints.
/// - `model.safetensors`: every parameter (trainable or not) under its dotted path, e.g.
///   `dense_1.kernel`, as `F32` (see ``Safetensors``).
///
/// Every file is written atomically: to a temporary file in the same directory, flushed with
/// `fsync`, then renamed over the destination, so a crash leaves either the old file or the
/// new one. Loading validates the files completely and throws ``CheckpointError`` naming the
/// file and what was expected and found.
public enum Checkpoint {
  /// The name of the weights file in a checkpoint directory.
  public static let weightsFileName = "model.safetensors"
  /// The name of the architecture file in a checkpoint directory.
  public static let architectureFileName = "architecture.json"
  /// The `"format"` value of an architecture file.
  public static let architectureFormat = "swift-similarity-architecture"
  /// The architecture format version this library writes and reads.
  public static let architectureFormatVersion = 1

  /// Writes `model`'s architecture and weights into `directory` (created if needed).
  public static func save(
    _ model: Sequential, to directory: URL, metadata: [String: String] = [:]
  ) throws(CheckpointError) {
    let architectureURL = directory.appendingPathComponent(architectureFileName)
    let configuration: Sequential.Configuration
    do {
      configuration = try model.sequentialConfiguration()
    } catch {
      throw .architecture(file: architectureURL.path, error)
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .io(file: directory.path, operation: "creating the directory", reason: "\(error)")
    }
    let file = ArchitectureFile(
      format: architectureFormat, formatVersion: architectureFormatVersion,
      model: .sequential(configuration))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json: Data
    do {
      json = try encoder.encode(file)
    } catch {
      throw .io(
        file: architectureURL.path, operation: "encoding the architecture", reason: "\(error)")
    }
    try writeAtomically(Array(json), to: architectureURL)
    try saveWeights(
      of: model, to: directory.appendingPathComponent(weightsFileName), metadata: metadata)
  }

  /// Rebuilds the model saved in `directory` and loads its weights.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public static func loadSequential(
    from directory: URL, lambdas: [String: Lambda.Function] = [:]
  ) throws(CheckpointError) -> Sequential {
    let architectureURL = directory.appendingPathComponent(architectureFileName)
    let path = architectureURL.path
    let bytes = try readFile(architectureURL)
    let decoder = JSONDecoder()
    let inexact: [StrictJSON.InexactNumber]
    do {
      inexact = try StrictJSON.check(bytes)
    } catch {
      throw .corruptArchitecture(file: path, reason: error.description)
    }
    let version: ArchitectureFile.Header
    do {
      version = try decoder.decode(ArchitectureFile.Header.self, from: Data(bytes))
    } catch {
      throw corrupt(path, error, inexact)
    }
    guard version.format == architectureFormat else {
      throw .corruptArchitecture(
        file: path, reason: "format is \"\(version.format)\", expected \"\(architectureFormat)\"")
    }
    guard version.formatVersion == architectureFormatVersion else {
      throw .unsupportedFormatVersion(
        file: path, expected: architectureFormatVersion, found: version.formatVersion)
    }
    let file: ArchitectureFile
    do {
      file = try decoder.decode(ArchitectureFile.self, from: Data(bytes))
    } catch let error as ArchitectureError {
      throw .architecture(file: path, error)
    } catch {
      throw corrupt(path, error, inexact)
    }
    guard case .sequential(let configuration) = file.model else {
      throw .corruptArchitecture(
        file: path, reason: "model is a \(file.model.typeName), expected a Sequential")
    }
    // Check the whole architecture and compare it with the weights file's header before any
    // layer allocates its parameters.
    let plan: ArchitecturePlan
    do {
      plan = try ArchitecturePlan(configuration, lambdas: lambdas)
    } catch {
      throw .architecture(file: path, error)
    }
    let weightsURL = directory.appendingPathComponent(weightsFileName)
    try checkNamesAndShapes(
      expected: plan.parameters.map { ($0.name, $0.shape) },
      stored: Safetensors.readHeader(at: weightsURL.path), file: weightsURL.path)
    let model: Sequential
    do {
      model = try Sequential(configuration: configuration, lambdas: lambdas)
    } catch {
      throw .architecture(file: path, error)
    }
    try loadWeights(into: model, from: weightsURL)
    return model
  }

  /// Writes every parameter of `model` (trainable or not) to the safetensors file `url`.
  public static func saveWeights(
    of model: any Model, to url: URL, metadata: [String: String] = [:]
  ) throws(CheckpointError) {
    let tensors = model.namedParameters.map { (name: $0.name, tensor: $0.parameter.value) }
    try writeAtomically(Safetensors.encode(tensors, metadata: metadata), to: url)
  }

  /// Replaces every parameter of `model` with the tensor of the same name in the safetensors
  /// file `url`. Nothing is changed unless the file has exactly the model's parameters with
  /// the model's shapes.
  ///
  /// - Returns: the file's `__metadata__`.
  @discardableResult
  public static func loadWeights(into model: any Model, from url: URL) throws(CheckpointError)
    -> [String: String]
  {
    let path = url.path
    let parameters = model.namedParameters
    // The header alone says whether the file fits; only then is the data section read.
    try checkNamesAndShapes(
      expected: parameters.map { ($0.name, $0.parameter.shape) },
      stored: Safetensors.readHeader(at: path), file: path)
    let contents = try Safetensors.read(at: path)
    let stored = Dictionary(
      contents.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    for (name, parameter) in parameters {
      if let tensor = stored[name] { parameter.value = tensor }
    }
    return contents.metadata
  }

  // MARK: - Files

  /// The largest `architecture.json` read (16 MiB).
  static let maximumArchitectureBytes = 16 << 20

  static func readFile(_ url: URL) throws(CheckpointError) -> [UInt8] {
    do {
      return try RegularFile.contents(
        of: url.path, expected: "a regular architecture.json file",
        what: "an architecture description", limit: maximumArchitectureBytes)
    } catch {
      throw .io(file: url.path, operation: "reading", reason: error.reason)
    }
  }

  /// Throws unless `stored` has exactly the `expected` tensor names, each with its shape.
  static func checkNamesAndShapes(
    expected: [(name: String, shape: [Int])], stored: Safetensors.Header, file: String
  ) throws(CheckpointError) {
    let shapes = Dictionary(
      stored.entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    let missing = expected.map(\.name).filter { shapes[$0] == nil }
    if !missing.isEmpty { throw .missingTensors(file: file, names: missing) }
    let expectedNames = Set(expected.map(\.name))
    let unexpected = stored.entries.map(\.name).filter { !expectedNames.contains($0) }
    if !unexpected.isEmpty { throw .unexpectedTensors(file: file, names: unexpected) }
    for (name, shape) in expected where shapes[name] != shape {
      throw .shapeMismatch(file: file, tensor: name, expected: shape, found: shapes[name]!)
    }
  }

  private static func corrupt(
    _ path: String, _ error: any Error, _ inexact: [StrictJSON.InexactNumber]
  ) -> CheckpointError {
    let reason = (error as? DecodingError).map {
      JSONFile.describe($0, inexactNumbers: inexact)
    } ?? "\(error)"
    return .corruptArchitecture(file: path, reason: reason)
  }

  /// Writes `bytes` to a temporary file beside `url`, fsyncs it, renames it over `url` and
  /// fsyncs the directory.
  static func writeAtomically(_ bytes: [UInt8], to url: URL) throws(CheckpointError) {
    let path = url.path
    let directory = url.deletingLastPathComponent().path
    let temporary =
      "\(directory)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
      throw .io(file: temporary, operation: "creating a temporary file", reason: errnoDescription())
    }
    var written = 0
    let failure: String? = bytes.withUnsafeBytes { buffer -> String? in
      while written < buffer.count {
        let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          return "write: \(errnoDescription())"
        }
        written += result
      }
      return fsync(descriptor) == 0 ? nil : "fsync: \(errnoDescription())"
    }
    let closed = close(descriptor) == 0
    if let failure = failure ?? (closed ? nil : "close: \(errnoDescription())") {
      unlink(temporary)
      throw .io(file: path, operation: "writing", reason: failure)
    }
    guard rename(temporary, path) == 0 else {
      let reason = errnoDescription()
      unlink(temporary)
      throw .io(file: path, operation: "renaming \(temporary) into place", reason: reason)
    }
    let directoryDescriptor = open(directory, O_RDONLY)
    if directoryDescriptor >= 0 {
      _ = fsync(directoryDescriptor)
      close(directoryDescriptor)
    }
  }

  private static func errnoDescription() -> String {
    String(cString: strerror(errno))
  }
}

/// The contents of `architecture.json`.
struct ArchitectureFile: Codable {
  /// Just the fields needed to decide whether the rest can be read.
  struct Header: Codable {
    var format: String
    var formatVersion: Int
  }

  var format: String
  var formatVersion: Int
  var model: LayerConfiguration
}
