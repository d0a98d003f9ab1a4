import SimilarityIO

/// A PyTorch checkpoint (`.pth`/`.pt`) read natively, without Python: the state dict's tensors
/// in file order.
///
/// Both of `torch.save`'s containers are read:
/// - the zip format (PyTorch ≥ 1.6): `<name>/data.pkl` holds the pickled state dict,
///   `<name>/data/<key>` each storage's little-endian bytes;
/// - the legacy format: five pickles in a row (the magic number 119547037146038801333356,
///   protocol version 1001, `sys_info`, the state dict, the list of storage keys), then for each
///   key an int64 element count and the elements.
///
/// The pickles go through a restricted unpickler (see ``TorchCheckpointError``): only tensors,
/// storages, ordered dicts, tuples, numbers and strings are accepted, nothing is executed. Each
/// tensor's size, stride and storage offset are honoured (checkpoints converted from TensorFlow
/// store 4-D weights non-contiguously). Nested dicts (`{"model": state_dict}`) are flattened with
/// dotted names; values that are not tensors (an epoch number) are listed in ``skipped``.
///
/// ```swift
/// let checkpoint = try TorchCheckpoint(contentsOf: "efficientnet-lite0.pth")
/// let stem = checkpoint["_conv_stem.weight"]   // shape [32, 3, 3, 3]
/// ```
public struct TorchCheckpoint: Sendable {
  /// The container a checkpoint was read from.
  public enum Format: Sendable, Equatable {
    case zip
    case legacy
  }

  /// The container format.
  public let format: Format
  /// The state dict's tensors in file order.
  public let tensors: [TorchTensor]
  /// Keys of state-dict values that are not tensors (numbers, strings), which were skipped.
  public let skipped: [String]

  /// The largest checkpoint read (8 GiB).
  public static let maximumBytes = 8 << 30
  /// How deeply dicts may nest inside the state dict.
  static let maximumNesting = 8
  /// The legacy format's first pickle: `LONG1` of 119547037146038801333356.
  static let legacyMagic: [UInt8] = [108, 252, 156, 70, 249, 32, 106, 168, 80, 25]

  /// The tensor named `name`, if any.
  public subscript(name: String) -> TorchTensor? {
    tensors.first { $0.name == name }
  }

  /// Reads the checkpoint at `path` (either container).
  ///
  /// - Throws: ``TorchCheckpointError`` naming the file: unreadable, neither container, a
  ///   refused opcode or global, a truncated pickle or storage, a view outside its storage.
  public init(contentsOf path: String) throws(TorchCheckpointError) {
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.contents(
        of: path, expected: "a regular PyTorch checkpoint (.pth/.pt) file",
        what: "a PyTorch checkpoint", limit: Self.maximumBytes)
    } catch {
      throw TorchCheckpointError(
        error.kind == .truncated ? .truncated : .io, file: path, error.reason)
    }
    try self.init(bytes: bytes, file: path)
  }

  /// Reads a checkpoint from its bytes; `file` names it in errors.
  public init(bytes: [UInt8], file: String) throws(TorchCheckpointError) {
    if bytes.starts(with: ZipArchive.signature) {
      format = .zip
      (tensors, skipped) = try Self.readZip(bytes, file: file)
    } else if bytes.starts(with: [0x80, 0x02, 0x8A, 0x0A] + Self.legacyMagic) {
      format = .legacy
      (tensors, skipped) = try Self.readLegacy(bytes, file: file)
    } else {
      throw TorchCheckpointError(
        .notACheckpoint, file: file,
        "is not a PyTorch checkpoint: expected a zip archive (PK\\x03\\x04) or the legacy magic-number pickle, found \(bytes.prefix(4).map { String($0, radix: 16) }) at the start"
      )
    }
  }

  // MARK: - Containers

  private static func readZip(_ bytes: [UInt8], file: String) throws(TorchCheckpointError)
    -> ([TorchTensor], [String])
  {
    let archive = try ZipArchive(bytes, file: file)
    let pickles = archive.entries.filter { $0.name.hasSuffix("/data.pkl") || $0.name == "data.pkl" }
    guard pickles.count == 1, let pickle = pickles.first else {
      throw TorchCheckpointError(
        .malformed, file: file,
        "the zip archive has \(pickles.count) data.pkl entries, expected exactly one (a torch.save archive)"
      )
    }
    let root = String(pickle.name.dropLast("data.pkl".count))
    var unpickler = Unpickler(Array(bytes[pickle.data]), file: file)
    let stateDict = try unpickler.load()
    var storages: [String: Range<Int>] = [:]
    for entry in archive.entries where entry.name.hasPrefix(root + "data/") {
      storages[String(entry.name.dropFirst(root.count + 5))] = entry.data
    }
    return try tensors(of: stateDict, bytes: bytes, storages: storages, file: file)
  }

  private static func readLegacy(_ bytes: [UInt8], file: String) throws(TorchCheckpointError)
    -> ([TorchTensor], [String])
  {
    func refuse(_ reason: String) -> TorchCheckpointError {
      TorchCheckpointError(.malformed, file: file, "legacy checkpoint: \(reason)")
    }
    var unpickler = Unpickler(bytes, file: file)
    _ = try unpickler.load()  // the magic number, checked by the caller
    guard case .int(1001) = try unpickler.load() else {
      throw refuse("the protocol version pickle is not 1001")
    }
    guard case .dict(let systemInfo) = try unpickler.load() else {
      throw refuse("the third pickle is not the sys_info dict")
    }
    for (key, value) in systemInfo.entries {
      if case .string("little_endian") = key, case .bool(false) = value {
        throw refuse("the checkpoint was saved big-endian, which is not supported")
      }
    }
    let stateDict = try unpickler.load()
    guard case .list(let keyList) = try unpickler.load() else {
      throw refuse("the fifth pickle is not the list of storage keys")
    }
    // The element size of each storage comes from the tensors that use it.
    var declared: [String: TorchStorageReference] = [:]
    try collectStorages(stateDict, into: &declared, file: file)
    var storages: [String: Range<Int>] = [:]
    var cursor = unpickler.position
    for item in keyList.items {
      guard case .string(let key) = item else {
        throw refuse("a storage key is a \(item.kindName), expected a str")
      }
      guard let storage = declared[key] else {
        throw refuse("storage '\(key)' in the key list is used by no tensor")
      }
      guard cursor <= bytes.count - 8 else {
        throw TorchCheckpointError(
          .truncated, file: file,
          "truncated: storage '\(key)' needs an 8-byte element count at byte \(cursor), the file has \(bytes.count) bytes"
        )
      }
      let count = bytes[cursor..<cursor + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard count == UInt64(storage.count) else {
        throw refuse(
          "storage '\(key)' holds \(count) elements, its tensors declare \(storage.count)")
      }
      guard let length = [storage.count, storage.dtype.elementSize].checkedProduct(),
        length <= bytes.count - cursor - 8
      else {
        throw TorchCheckpointError(
          .truncated, file: file,
          "truncated: storage '\(key)' declares \(storage.count) \(storage.dtype.rawValue) elements at byte \(cursor + 8), the file has \(bytes.count) bytes"
        )
      }
      storages[key] = cursor + 8..<cursor + 8 + length
      cursor += 8 + length
    }
    return try tensors(of: stateDict, bytes: bytes, storages: storages, file: file)
  }

  // MARK: - The state dict

  /// Every storage the state dict's tensors use, by key; one key must not be declared with
  /// two types or sizes.
  private static func collectStorages(
    _ value: PickleValue, into storages: inout [String: TorchStorageReference],
    file: String
  ) throws(TorchCheckpointError) {
    for (_, tensor) in try namedTensors(value, file: file).tensors {
      if let known = storages[tensor.storage.key], known != tensor.storage {
        throw TorchCheckpointError(
          .malformed, file: file,
          "storage '\(known.key)' is declared as \(known.count) \(known.dtype.rawValue) and as \(tensor.storage.count) \(tensor.storage.dtype.rawValue)"
        )
      }
      storages[tensor.storage.key] = tensor.storage
    }
  }

  /// The tensor references of a state dict with dotted names (nested dicts flattened), and the
  /// names of values that are not tensors.
  private static func namedTensors(_ value: PickleValue, file: String) throws(TorchCheckpointError)
    -> (tensors: [(String, TorchTensorReference)], skipped: [String])
  {
    guard case .dict = value else {
      throw TorchCheckpointError(
        .malformed, file: file, "the pickled object is a \(value.kindName), expected a state dict")
    }
    var tensors: [(String, TorchTensorReference)] = []
    var skipped: [String] = []
    func walk(_ value: PickleValue, prefix: String, depth: Int) throws(TorchCheckpointError) {
      switch value {
      case .tensor(let reference): tensors.append((prefix, reference))
      case .dict(let dict):
        guard depth < maximumNesting else {
          throw TorchCheckpointError(
            .limitExceeded, file: file,
            "dicts nest deeper than \(maximumNesting) levels at '\(prefix)'")
        }
        for (key, item) in dict.entries {
          let name: String
          switch key {
          case .string(let text): name = text
          case .int(let number): name = String(number)
          default: name = "?"
          }
          try walk(item, prefix: prefix.isEmpty ? name : "\(prefix).\(name)", depth: depth + 1)
        }
      default: skipped.append(prefix)
      }
    }
    try walk(value, prefix: "", depth: 0)
    return (tensors, skipped)
  }

  /// Gathers every tensor of `stateDict` from the storages' byte ranges in `bytes`.
  private static func tensors(
    of stateDict: PickleValue, bytes: [UInt8], storages: [String: Range<Int>], file: String
  ) throws(TorchCheckpointError) -> ([TorchTensor], [String]) {
    let (references, skipped) = try namedTensors(stateDict, file: file)
    var result: [TorchTensor] = []
    for (name, reference) in references {
      let storage = reference.storage
      guard let range = storages[storage.key] else {
        throw TorchCheckpointError(
          .malformed, file: file,
          "tensor '\(name)' uses storage '\(storage.key)', which the file does not contain")
      }
      guard let length = [storage.count, storage.dtype.elementSize].checkedProduct(),
        length == range.count
      else {
        throw TorchCheckpointError(
          .truncated, file: file,
          "storage '\(storage.key)' of tensor '\(name)' declares \(storage.count) \(storage.dtype.rawValue) elements, the file holds \(range.count) bytes for it"
        )
      }
      result.append(try TorchTensor.gather(reference, name: name, data: bytes[range], file: file))
    }
    return (result, skipped)
  }
}
