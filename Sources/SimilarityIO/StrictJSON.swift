/// A strict JSON (RFC 8259) checker run before decoding, because Foundation's decoders accept
/// what a file format must not: `JSONDecoder` silently keeps one of two equal keys, and reports
/// a number too large for a `Double` or for the field it is decoded into as "The given data was
/// not valid JSON", naming no field.
///
/// ``check(_:)`` rejects, with the line, column and the path of the value (`layers[2].config`):
/// malformed JSON, a key repeated in one object (compared after unescaping, so `"a"` and
/// `"\u0061"` are the same key), numbers beyond the range of a `Double`, and nesting deeper than
/// ``maximumDepth``. It returns the numbers a decoder may still refuse (fractions and integers
/// beyond 64 bits), so a later decoding failure can name them.
public enum StrictJSON {
  /// The deepest nesting of arrays and objects accepted.
  public static let maximumDepth = 256

  /// One number that only fits a floating-point field: a fraction, an exponent, or an integer
  /// beyond `Int64`.
  public struct InexactNumber: Equatable, Sendable {
    /// Where it is, e.g. `model.config.layers[1].config.units`.
    public var path: String
    /// The number as written.
    public var text: String
  }

  /// A violation: what, where (1-based line and column) and inside which value.
  public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    public var path: String

    /// `line 3, column 7 (at layers[2]): duplicate key "units"`.
    public var description: String {
      "line \(line), column \(column) (at \(path)): \(message)"
    }
  }

  /// Checks `bytes` and returns up to 16 numbers that are not 64-bit integers, in document order.
  public static func check(_ bytes: [UInt8]) throws(SyntaxError) -> [InexactNumber] {
    var scanner = Scanner(bytes: bytes)
    scanner.skipWhitespace()
    try scanner.value(depth: 0)
    scanner.skipWhitespace()
    guard scanner.index == bytes.count else {
      throw scanner.error("unexpected \(scanner.describeCurrent()) after the top-level value")
    }
    return scanner.inexact
  }
}

/// The recursive-descent scanner behind ``StrictJSON/check(_:)``.
private struct Scanner {
  enum Component {
    case key(String)
    case index(Int)
  }

  let bytes: [UInt8]
  var index = 0
  var path: [Component] = []
  var inexact: [StrictJSON.InexactNumber] = []

  init(bytes: [UInt8]) { self.bytes = bytes }

  var pathText: String {
    guard !path.isEmpty else { return "the top level" }
    var text = ""
    for component in path {
      switch component {
      case .key(let key): text += text.isEmpty ? key : ".\(key)"
      case .index(let i): text += "[\(i)]"
      }
    }
    return text
  }

  func error(_ message: String, at position: Int? = nil) -> StrictJSON.SyntaxError {
    let end = min(position ?? index, bytes.count)
    var line = 1
    var column = 1
    for byte in bytes[0..<end] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return StrictJSON.SyntaxError(message: message, line: line, column: column, path: pathText)
  }

  func describeCurrent() -> String {
    guard index < bytes.count else { return "end of data" }
    let byte = bytes[index]
    return byte >= 0x20 && byte < 0x7F
      ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
  }

  mutating func skipWhitespace() {
    while index < bytes.count,
      [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index])
    {
      index += 1
    }
  }

  mutating func expect(_ literal: String) throws(StrictJSON.SyntaxError) {
    for byte in literal.utf8 {
      guard index < bytes.count, bytes[index] == byte else {
        throw error("expected '\(literal)', found \(describeCurrent())")
      }
      index += 1
    }
  }

  mutating func value(depth: Int) throws(StrictJSON.SyntaxError) {
    guard index < bytes.count else { throw error("expected a value, found end of data") }
    switch bytes[index] {
    case UInt8(ascii: "{"): try object(depth: depth + 1)
    case UInt8(ascii: "["): try array(depth: depth + 1)
    case UInt8(ascii: "\""): _ = try string()
    case UInt8(ascii: "t"): try expect("true")
    case UInt8(ascii: "f"): try expect("false")
    case UInt8(ascii: "n"): try expect("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
    default: throw error("expected a value, found \(describeCurrent())")
    }
  }

  mutating func object(depth: Int) throws(StrictJSON.SyntaxError) {
    guard depth <= StrictJSON.maximumDepth else {
      throw error("nested deeper than \(StrictJSON.maximumDepth) arrays and objects")
    }
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return
    }
    var keys: Set<String> = []
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("expected a string key, found \(describeCurrent())")
      }
      let keyStart = index
      let key = try string()
      guard keys.insert(key).inserted else {
        throw error("duplicate key \"\(key)\" (each key may appear once in an object)", at: keyStart)
      }
      skipWhitespace()
      try expect(":")
      skipWhitespace()
      path.append(.key(key))
      try value(depth: depth)
      path.removeLast()
      skipWhitespace()
      guard index < bytes.count else { throw error("expected ',' or '}', found end of data") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else {
        throw error("expected ',' or '}', found \(describeCurrent())")
      }
      index += 1
      return
    }
  }

  mutating func array(depth: Int) throws(StrictJSON.SyntaxError) {
    guard depth <= StrictJSON.maximumDepth else {
      throw error("nested deeper than \(StrictJSON.maximumDepth) arrays and objects")
    }
    index += 1
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return
    }
    var element = 0
    while true {
      skipWhitespace()
      path.append(.index(element))
      try value(depth: depth)
      path.removeLast()
      element += 1
      skipWhitespace()
      guard index < bytes.count else { throw error("expected ',' or ']', found end of data") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else {
        throw error("expected ',' or ']', found \(describeCurrent())")
      }
      index += 1
      return
    }
  }

  /// A string's value with escapes resolved (invalid UTF-8 is left to the decoder).
  mutating func string() throws(StrictJSON.SyntaxError) -> String {
    index += 1
    var scalars = String.UnicodeScalarView()
    var raw: [UInt8] = []
    func flush() {
      scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
      raw.removeAll(keepingCapacity: true)
    }
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        flush()
        return String(scalars)
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { throw error("unterminated string") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): raw.append(escape)
        case UInt8(ascii: "b"): raw.append(0x08)
        case UInt8(ascii: "f"): raw.append(0x0C)
        case UInt8(ascii: "n"): raw.append(0x0A)
        case UInt8(ascii: "r"): raw.append(0x0D)
        case UInt8(ascii: "t"): raw.append(0x09)
        case UInt8(ascii: "u"):
          flush()
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
            bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
          {
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else {
              throw error("\\u escape: a high surrogate must be followed by a low surrogate")
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          // A lone surrogate has no scalar; keep it distinct from every real character.
          scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default:
          throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
        }
      case 0..<0x20:
        throw error("control character 0x\(String(byte, radix: 16)) inside a string (escape it)")
      default:
        raw.append(byte)
      }
    }
  }

  mutating func hex4() throws(StrictJSON.SyntaxError) -> UInt32 {
    var code: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let digit = hexDigit(bytes[index]) else {
        throw error("\\u must be followed by four hexadecimal digits")
      }
      code = code << 4 | digit
      index += 1
    }
    return code
  }

  func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  mutating func digits() -> Int {
    let start = index
    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
      index += 1
    }
    return index - start
  }

  mutating func number() throws(StrictJSON.SyntaxError) {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    let integerStart = index
    guard digits() > 0 else { throw error("expected digits in a number", at: start) }
    if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
      throw error("a number cannot start with 0 followed by digits", at: start)
    }
    var isInteger = true
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      isInteger = false
      guard digits() > 0 else { throw error("expected digits after the decimal point", at: start) }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      isInteger = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard digits() > 0 else { throw error("expected digits in the exponent", at: start) }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(text), value.isFinite else {
      throw error("the number \(text) is out of range (beyond ±1.8e308)", at: start)
    }
    if (!isInteger || Int64(text) == nil) && inexact.count < 16 {
      inexact.append(StrictJSON.InexactNumber(path: pathText, text: text))
    }
  }
}
