/// A value on the restricted unpickler's stack: only what a PyTorch state dict holds. Lists and
/// dicts are boxes, because pickles fill them after they were memoized (`SETITEMS` on a dict
/// that `BINGET` may fetch again).
indirect enum PickleValue {
  case none
  case bool(Bool)
  case int(Int)
  /// An integer too large for `Int` (`LONG1`), as its little-endian two's-complement bytes.
  case bigInt([UInt8])
  case float(Double)
  case string(String)
  case tuple([PickleValue])
  case list(PickleList)
  case dict(PickleDict)
  /// A whitelisted global, never called: REDUCE interprets it.
  case global(PickleGlobal)
  /// A storage named by a persistent id.
  case storage(TorchStorageReference)
  /// A tensor built by `torch._utils._rebuild_tensor_v2` (or `_rebuild_parameter`).
  case tensor(TorchTensorReference)

  /// A short description for error messages.
  var kindName: String {
    switch self {
    case .none: "None"
    case .bool: "bool"
    case .int, .bigInt: "int"
    case .float: "float"
    case .string: "str"
    case .tuple(let items): "tuple of \(items.count)"
    case .list: "list"
    case .dict: "dict"
    case .global(let global): global.qualifiedName
    case .storage: "storage"
    case .tensor: "tensor"
    }
  }
}

/// A mutable list on the unpickler's stack.
final class PickleList {
  var items: [PickleValue] = []
}

/// A mutable, insertion-ordered dict on the unpickler's stack (string or integer keys).
final class PickleDict {
  var entries: [(key: PickleValue, value: PickleValue)] = []
}

/// The only globals a state-dict pickle may name.
enum PickleGlobal: Equatable {
  case orderedDict
  case rebuildTensorV2
  case rebuildParameter
  case storageType(TorchDType)

  /// Resolves `module` and `name`, or `nil` when the pair is not whitelisted.
  init?(module: String, name: String) {
    switch (module, name) {
    case ("collections", "OrderedDict"): self = .orderedDict
    case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
    case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
    case ("torch", _):
      guard let dtype = TorchDType(rawValue: name) else { return nil }
      self = .storageType(dtype)
    default: return nil
    }
  }

  /// `module.name`.
  var qualifiedName: String {
    switch self {
    case .orderedDict: "collections.OrderedDict"
    case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
    case .rebuildParameter: "torch._utils._rebuild_parameter"
    case .storageType(let dtype): "torch.\(dtype.rawValue)"
    }
  }
}

/// A storage named in a pickle: `('storage', torch.FloatStorage, key, location, numel, …)`.
struct TorchStorageReference: Equatable {
  var dtype: TorchDType
  var key: String
  /// Elements the pickle declares; checked against the stored data.
  var count: Int
}

/// A tensor view of a storage, as `_rebuild_tensor_v2(storage, offset, size, stride, …)`
/// describes it.
struct TorchTensorReference: Equatable {
  var storage: TorchStorageReference
  var offset: Int
  var shape: [Int]
  var strides: [Int]
}
