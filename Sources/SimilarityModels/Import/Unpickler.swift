/// A restricted unpickler for PyTorch state dicts: a stack machine over the few opcodes that
/// `torch.save` writes for tensors, storages, ordered dicts, tuples, numbers and strings
/// (protocol 2, plus `FRAME`, `MEMOIZE`, `SHORT_BINUNICODE` and `STACK_GLOBAL` of protocol 4).
///
/// It never executes anything: globals must be on a whitelist (``PickleGlobal``), `REDUCE`
/// interprets the three whitelisted callables itself, and persistent ids become
/// ``TorchStorageReference`` values. Any other opcode or global is refused with an error naming
/// it and the file. The stack, the mark stack, the memo and string lengths are limited, and every
/// read is checked against the end of the bytes, so a hostile file can neither crash nor hang
/// the reader (each opcode consumes at least one byte).
struct Unpickler {
  /// The largest stack (values), memo (entries) and mark nesting accepted.
  static let maximumStack = 1 << 22
  static let maximumMemo = 1 << 22
  static let maximumMarks = 1 << 12

  private let bytes: [UInt8]
  private let file: String
  /// The read position in `bytes`.
  private(set) var position: Int
  private var stack: [PickleValue] = []
  private var marks: [Int] = []
  private var memo: [Int: PickleValue] = [:]

  /// Reads one pickle starting at `position` of `bytes`; `file` names the file in errors.
  init(_ bytes: [UInt8], at position: Int = 0, file: String) {
    self.bytes = bytes
    self.position = position
    self.file = file
  }

  /// Runs the pickle that starts at the current position to its `STOP` and returns its value;
  /// ``position`` is then just past the `STOP`.
  mutating func load() throws(TorchCheckpointError) -> PickleValue {
    stack = []
    marks = []
    memo = [:]
    while true {
      let start = position
      let opcode = try byte()
      switch opcode {
      case 0x80:  // PROTO
        let version = try byte()
        guard (2...5).contains(version) else {
          throw error(.malformed, "pickle protocol \(version) at byte \(start), expected 2 to 5")
        }
      case 0x95: _ = try take(8)  // FRAME: a length hint only
      case 0x2E:  // STOP
        guard stack.count == 1, marks.isEmpty else {
          throw error(
            .malformed,
            "the pickle ends at byte \(start) with \(stack.count) values on its stack, expected 1")
        }
        return stack[0]
      case 0x28:  // MARK
        guard marks.count < Self.maximumMarks else {
          throw limit("marks nested deeper than \(Self.maximumMarks)")
        }
        marks.append(stack.count)
      case 0x7D: try push(.dict(PickleDict()))  // EMPTY_DICT
      case 0x5D: try push(.list(PickleList()))  // EMPTY_LIST
      case 0x29: try push(.tuple([]))  // EMPTY_TUPLE
      case 0x4E: try push(.none)  // NONE
      case 0x88: try push(.bool(true))  // NEWTRUE
      case 0x89: try push(.bool(false))  // NEWFALSE
      case 0x4B: try push(.int(Int(try byte())))  // BININT1
      case 0x4D: try push(.int(Int(try littleEndian(2))))  // BININT2
      case 0x4A: try push(.int(Int(Int32(truncatingIfNeeded: try littleEndian(4)))))  // BININT
      case 0x8A: try push(try long1())  // LONG1
      case 0x47:  // BINFLOAT, big-endian
        let raw = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        try push(.float(Double(bitPattern: raw)))
      case 0x58: try push(.string(try string(length: Int(try littleEndian(4)))))  // BINUNICODE
      case 0x8C: try push(.string(try string(length: Int(try byte()))))  // SHORT_BINUNICODE
      case 0x74: try push(.tuple(try popToMark()))  // TUPLE
      case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
        try push(.tuple(try pop(Int(opcode) - 0x84)))
      case 0x63:  // GLOBAL: "module\nname\n"
        let module = try line()
        try push(.global(try global(module: module, name: try line())))
      case 0x93:  // STACK_GLOBAL
        let pair = try pop(2)
        guard case .string(let module) = pair[0], case .string(let name) = pair[1] else {
          throw error(.malformed, "STACK_GLOBAL at byte \(start) needs two strings")
        }
        try push(.global(try global(module: module, name: name)))
      case 0x51:  // BINPERSID
        try push(.storage(try persistentStorage(try pop(1)[0], at: start)))
      case 0x52:  // REDUCE
        let pair = try pop(2)
        try push(try reduce(pair[0], pair[1], at: start))
      case 0x62:  // BUILD: only an OrderedDict's attribute dict (`_metadata`), ignored
        let pair = try pop(2)
        guard case .dict = pair[0], case .dict = pair[1] else {
          throw error(
            .malformed, "BUILD at byte \(start) on a \(pair[0].kindName), expected a dict's state")
        }
        try push(pair[0])
      case 0x73:  // SETITEM
        let items = try pop(2)
        try setItems(items, at: start)
      case 0x75: try setItems(try popToMark(), at: start)  // SETITEMS
      case 0x61:  // APPEND
        try append(try pop(1), at: start)
      case 0x65: try append(try popToMark(), at: start)  // APPENDS
      case 0x71: try put(Int(try byte()))  // BINPUT
      case 0x72: try put(Int(try littleEndian(4)))  // LONG_BINPUT
      case 0x94: try put(memo.count)  // MEMOIZE
      case 0x68: try get(Int(try byte()), at: start)  // BINGET
      case 0x6A: try get(Int(try littleEndian(4)), at: start)  // LONG_BINGET
      default:
        throw error(
          .forbiddenOpcode(opcode),
          "pickle opcode 0x\(String(opcode, radix: 16))\(Self.opcodeName(opcode).map { " (\($0))" } ?? "") at byte \(start) is not allowed in a state dict"
        )
      }
    }
  }

  // MARK: - Bytes

  private mutating func byte() throws(TorchCheckpointError) -> UInt8 {
    guard position < bytes.count else { throw truncated() }
    defer { position += 1 }
    return bytes[position]
  }

  private mutating func take(_ count: Int) throws(TorchCheckpointError) -> ArraySlice<UInt8> {
    guard count >= 0, count <= bytes.count - position else { throw truncated(needing: count) }
    defer { position += count }
    return bytes[position..<position + count]
  }

  private mutating func littleEndian(_ count: Int) throws(TorchCheckpointError) -> UInt64 {
    try take(count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
  }

  private mutating func string(length: Int) throws(TorchCheckpointError) -> String {
    let start = position
    let raw = try take(length)
    guard let text = String(validating: raw, as: UTF8.self) else {
      throw error(.malformed, "the \(length)-byte string at byte \(start) is not valid UTF-8")
    }
    return text
  }

  /// A newline-terminated ASCII line of `GLOBAL` (at most 256 bytes).
  private mutating func line() throws(TorchCheckpointError) -> String {
    let start = position
    let end = bytes[start..<min(bytes.count, start + 256)].firstIndex(of: 0x0A)
    guard let end else {
      throw position + 256 <= bytes.count
        ? error(.malformed, "the GLOBAL name at byte \(start) is longer than 256 bytes")
        : truncated()
    }
    position = end + 1
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// `LONG1`: a length byte, then that many little-endian two's-complement bytes.
  private mutating func long1() throws(TorchCheckpointError) -> PickleValue {
    let count = Int(try byte())
    let raw = Array(try take(count))
    guard count <= 8 else { return .bigInt(raw) }
    guard count > 0 else { return .int(0) }
    let negative = raw[count - 1] & 0x80 != 0
    var value: UInt64 = negative ? ~0 : 0
    for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
    return .int(Int(Int64(bitPattern: value)))
  }

  // MARK: - Stack

  private mutating func push(_ value: PickleValue) throws(TorchCheckpointError) {
    guard stack.count < Self.maximumStack else {
      throw limit("more than \(Self.maximumStack) values on the stack")
    }
    stack.append(value)
  }

  private mutating func pop(_ count: Int) throws(TorchCheckpointError) -> [PickleValue] {
    guard stack.count - (marks.last ?? 0) >= count else {
      throw error(
        .malformed,
        "an opcode before byte \(position) needs \(count) values, the stack has \(stack.count - (marks.last ?? 0))"
      )
    }
    defer { stack.removeLast(count) }
    return Array(stack.suffix(count))
  }

  private mutating func popToMark() throws(TorchCheckpointError) -> [PickleValue] {
    guard let mark = marks.popLast() else {
      throw error(.malformed, "an opcode before byte \(position) needs a MARK, none is open")
    }
    defer { stack.removeSubrange(mark...) }
    return Array(stack[mark...])
  }

  private mutating func put(_ index: Int) throws(TorchCheckpointError) {
    guard let top = stack.last, stack.count > (marks.last ?? 0) else {
      throw error(.malformed, "a memo put before byte \(position) with nothing to store")
    }
    guard memo.count < Self.maximumMemo || memo[index] != nil else {
      throw limit("more than \(Self.maximumMemo) memo entries")
    }
    memo[index] = top
  }

  private mutating func get(_ index: Int, at start: Int) throws(TorchCheckpointError) {
    guard let value = memo[index] else {
      throw error(.malformed, "memo entry \(index) fetched at byte \(start) was never stored")
    }
    try push(value)
  }

  private mutating func setItems(_ items: [PickleValue], at start: Int) throws(TorchCheckpointError)
  {
    guard items.count.isMultiple(of: 2), case .dict(let dict) = stack.last else {
      throw error(.malformed, "SETITEM(S) at byte \(start) without a dict and key-value pairs")
    }
    for pair in stride(from: 0, to: items.count, by: 2) {
      switch items[pair] {
      case .string, .int: dict.entries.append((items[pair], items[pair + 1]))
      default:
        throw error(
          .malformed,
          "a dict key at byte \(start) is a \(items[pair].kindName), expected a str or an int")
      }
    }
  }

  private mutating func append(_ items: [PickleValue], at start: Int) throws(TorchCheckpointError) {
    guard case .list(let list) = stack.last else {
      throw error(.malformed, "APPEND(S) at byte \(start) without a list")
    }
    list.items += items
  }

  // MARK: - Globals, persistent ids, REDUCE

  private func global(module: String, name: String) throws(TorchCheckpointError) -> PickleGlobal {
    guard let global = PickleGlobal(module: module, name: name) else {
      throw error(
        .forbiddenGlobal("\(module).\(name)"),
        "the pickle names the global \(module).\(name); only collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and torch.*Storage are allowed (nothing is executed)"
      )
    }
    return global
  }

  /// `('storage', torch.XStorage, key, location, numel[, view_metadata])`.
  private func persistentStorage(_ id: PickleValue, at start: Int) throws(TorchCheckpointError)
    -> TorchStorageReference
  {
    guard case .tuple(let items) = id, items.count == 5 || items.count == 6,
      case .string("storage") = items[0], case .global(.storageType(let dtype)) = items[1],
      case .string(let key) = items[2], case .string = items[3], case .int(let count) = items[4],
      count >= 0
    else {
      throw error(
        .malformed,
        "the persistent id at byte \(start) is a \(id.kindName), expected ('storage', torch.<Type>Storage, key, location, numel)"
      )
    }
    if items.count == 6, case .none = items[5] {
    } else if items.count == 6 {
      throw error(
        .malformed,
        "storage '\(key)' at byte \(start) is a view of another storage, which is not supported")
    }
    return TorchStorageReference(dtype: dtype, key: key, count: count)
  }

  private func reduce(_ callable: PickleValue, _ arguments: PickleValue, at start: Int)
    throws(TorchCheckpointError) -> PickleValue
  {
    guard case .global(let global) = callable, case .tuple(let args) = arguments else {
      throw error(
        .malformed,
        "REDUCE at byte \(start) calls a \(callable.kindName), expected a whitelisted global")
    }
    switch global {
    case .orderedDict where args.isEmpty:
      return .dict(PickleDict())
    case .rebuildTensorV2 where (6...7).contains(args.count):
      guard case .storage(let storage) = args[0], case .int(let offset) = args[1],
        let shape = Self.integers(args[2]), let strides = Self.integers(args[3]),
        shape.count == strides.count
      else {
        throw error(
          .malformed,
          "_rebuild_tensor_v2 at byte \(start) needs (storage, offset, size, stride, …), found (\(args.map(\.kindName).joined(separator: ", ")))"
        )
      }
      return .tensor(
        TorchTensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
    case .rebuildParameter where (3...4).contains(args.count):
      guard case .tensor = args[0] else {
        throw error(
          .malformed,
          "_rebuild_parameter at byte \(start) wraps a \(args[0].kindName), expected a tensor")
      }
      return args[0]
    default:
      throw error(
        .malformed,
        "REDUCE at byte \(start): \(global.qualifiedName) with \(args.count) arguments is not part of a state dict"
      )
    }
  }

  private static func integers(_ value: PickleValue) -> [Int]? {
    guard case .tuple(let items) = value else { return nil }
    var result: [Int] = []
    for item in items {
      guard case .int(let n) = item else { return nil }
      result.append(n)
    }
    return result
  }

  // MARK: - Errors

  private func error(_ kind: TorchCheckpointError.Kind, _ reason: String) -> TorchCheckpointError {
    TorchCheckpointError(kind, file: file, reason)
  }

  private func limit(_ what: String) -> TorchCheckpointError {
    error(.limitExceeded, "the pickle has \(what) (at byte \(position))")
  }

  private func truncated(needing count: Int = 1) -> TorchCheckpointError {
    error(
      .truncated,
      "truncated: the pickle needs \(count) more byte(s) at byte \(position), the data ends at byte \(bytes.count)"
    )
  }

  /// Names of common opcodes this reader refuses, for messages.
  static func opcodeName(_ opcode: UInt8) -> String? {
    switch opcode {
    case 0x69: "INST"
    case 0x6F: "OBJ"
    case 0x81: "NEWOBJ"
    case 0x92: "NEWOBJ_EX"
    case 0x82, 0x83, 0x84: "EXT"
    case 0x64: "DICT"
    case 0x6C: "LIST"
    case 0x53: "STRING"
    case 0x54, 0x55: "BINSTRING"
    case 0x42, 0x43, 0x8E: "BINBYTES"
    case 0x56: "UNICODE"
    case 0x49: "INT"
    case 0x4C: "LONG"
    case 0x46: "FLOAT"
    case 0x50: "PERSID"
    case 0x67: "GET"
    case 0x70: "PUT"
    case 0x30: "POP"
    case 0x31: "POP_MARK"
    case 0x32: "DUP"
    default: nil
    }
  }
}
