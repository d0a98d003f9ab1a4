import Foundation
import SimilarityIO
import SimilarityTensors

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
/// Every file is written through SimilarityIO's `AtomicFile`: to a new temporary file in the
/// same directory, flushed with `fsync`, then renamed over the destination, so a crash leaves
/// either the old file or the new one (each file on its own: a crash between the two files of
/// ``save(_:to:metadata:)`` can leave a new architecture beside the old weights; saves that must
/// be consistent as a whole go through SimilarityIO's `SavedFolder`). Loading validates the files completely and throws ``CheckpointError`` naming the
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

  /// Writes `model`'s architecture and weights into `directory` (created if needed), replacing
  /// only `architecture.json` and `model.safetensors`. `model` is a ``Sequential`` or a
  /// ``Functional`` graph.
  public static func save(
    _ model: any NetworkModel, to directory: URL, metadata: [String: String] = [:]
  ) throws(CheckpointError) {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .io(file: directory.path, operation: "creating the directory", reason: "\(error)")
    }
    try writeArchitecture(of: model, to: directory.appendingPathComponent(architectureFileName))
    try saveWeights(
      of: model, to: directory.appendingPathComponent(weightsFileName), metadata: metadata)
  }

  /// Writes `model`'s architecture file (the `architecture.json` format) to `url`.
  public static func writeArchitecture(of model: any NetworkModel, to url: URL)
    throws(CheckpointError)
  {
    let configuration: LayerConfiguration
    do throws(ArchitectureError) {
      if let functional = model as? Functional {
        configuration = .functional(try functional.functionalConfiguration())
      } else if let sequential = model as? Sequential {
        configuration = .sequential(try sequential.sequentialConfiguration())
      } else {
        throw ArchitectureError.unserializableLayer(name: model.name, type: model.typeName)
      }
    } catch {
      throw .architecture(file: url.path, error)
    }
    let file = ArchitectureFile(
      format: architectureFormat, formatVersion: architectureFormatVersion,
      model: configuration)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json: Data
    do {
      json = try encoder.encode(file)
    } catch {
      throw .io(file: url.path, operation: "encoding the architecture", reason: "\(error)")
    }
    try write(Array(json), to: url)
  }

  /// Rebuilds the model saved in `directory` and loads its weights.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public static func loadSequential(
    from directory: URL, lambdas: [String: Lambda.Function] = [:]
  ) throws(CheckpointError) -> Sequential {
    try loadSequential(
      architecture: directory.appendingPathComponent(architectureFileName),
      weights: directory.appendingPathComponent(weightsFileName), lambdas: lambdas)
  }

  /// Rebuilds the model described by the architecture file `architectureURL` and loads its
  /// weights from the safetensors file `weights` (for folders that name their files, such as a
  /// saved similarity model).
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public static func loadSequential(
    architecture architectureURL: URL, weights: URL, lambdas: [String: Lambda.Function] = [:]
  ) throws(CheckpointError) -> Sequential {
    let path = architectureURL.path
    let configuration = try readArchitecture(architectureURL)
    guard case .sequential = configuration else {
      throw .corruptArchitecture(
        file: path, reason: "model is a \(configuration.typeName), expected a Sequential")
    }
    guard
      let model = try build(configuration, file: path, weights: weights, lambdas: lambdas)
        as? Sequential
    else { preconditionFailure("a Sequential configuration built another model") }
    return model
  }

  /// Rebuilds the model (a ``Sequential`` or a ``Functional`` graph) saved in `directory` and
  /// loads its weights.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public static func loadModel(
    from directory: URL, lambdas: [String: Lambda.Function] = [:]
  ) throws(CheckpointError) -> any NetworkModel {
    try loadModel(
      architecture: directory.appendingPathComponent(architectureFileName),
      weights: directory.appendingPathComponent(weightsFileName), lambdas: lambdas)
  }

  /// Rebuilds the model (a ``Sequential`` or a ``Functional`` graph) described by the
  /// architecture file `architectureURL` and loads its weights from the safetensors file
  /// `weights`.
  ///
  /// - Parameter lambdas: closures for ``Lambda`` layers, by registered function name.
  public static func loadModel(
    architecture architectureURL: URL, weights: URL, lambdas: [String: Lambda.Function] = [:]
  ) throws(CheckpointError) -> any NetworkModel {
    let path = architectureURL.path
    let configuration = try readArchitecture(architectureURL)
    return try build(configuration, file: path, weights: weights, lambdas: lambdas)
  }

  /// The model description in the architecture file `url`, format and version checked.
  private static func readArchitecture(_ url: URL) throws(CheckpointError) -> LayerConfiguration {
    let path = url.path
    let bytes = try readFile(url)
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
    do {
      return try decoder.decode(ArchitectureFile.self, from: Data(bytes)).model
    } catch let error as ArchitectureError {
      throw .architecture(file: path, error)
    } catch {
      throw corrupt(path, error, inexact)
    }
  }

  /// Plans `configuration`, compares the plan's parameters with the weights file's header,
  /// and only then builds the model and loads its weights.
  private static func build(
    _ configuration: LayerConfiguration, file path: String, weights: URL,
    lambdas: [String: Lambda.Function]
  ) throws(CheckpointError) -> any NetworkModel {
    // Check the whole architecture and compare it with the weights file's header before any
    // layer allocates its parameters.
    let parameters: [ArchitecturePlan.Parameter]
    do throws(ArchitectureError) {
      switch configuration {
      case .sequential(let c): parameters = try ArchitecturePlan(c, lambdas: lambdas).parameters
      case .functional(let c): parameters = try GraphPlan(c, lambdas: lambdas).parameters
      default:
        throw ArchitectureError.invalidConfiguration(
          type: configuration.typeName,
          reason: "the model must be a Sequential or a Functional")
      }
    } catch {
      throw .architecture(file: path, error)
    }
    try checkNamesAndShapes(
      expected: parameters.map { ($0.name, $0.shape) },
      stored: Safetensors.readHeader(at: weights.path), file: weights.path)
    let model: any NetworkModel
    do {
      switch configuration {
      case .functional(let c): model = try Functional(configuration: c, lambdas: lambdas)
      case .sequential(let c): model = try Sequential(configuration: c, lambdas: lambdas)
      default: preconditionFailure("checked above")
      }
    } catch {
      throw .architecture(file: path, error)
    }
    try loadWeights(into: model, from: weights)
    return model
  }

  /// Writes every parameter of `model` (trainable or not) to the safetensors file `url`.
  public static func saveWeights(
    of model: any Model, to url: URL, metadata: [String: String] = [:]
  ) throws(CheckpointError) {
    let tensors = model.namedParameters.map { (name: $0.name, tensor: $0.parameter.value) }
    try write(Safetensors.encode(tensors, metadata: metadata), to: url)
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

  /// Writes `bytes` to `url` through SimilarityIO's `AtomicFile`.
  static func write(_ bytes: [UInt8], to url: URL) throws(CheckpointError) {
    do {
      try AtomicFile.write(bytes, to: url)
    } catch {
      throw .io(file: error.path, operation: "writing", reason: error.reason)
    }
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
