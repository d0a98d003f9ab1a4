/// The header of a `.npy` file: a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader: Equatable {
  var descr: String
  var fortranOrder: Bool
  var shape: [Int]

  /// The dict literal NumPy writes for this header (without padding).
  var dictLiteral: String {
    let dims: String
    switch shape.count {
    case 0: dims = "()"
    case 1: dims = "(\(shape[0]),)"
    default: dims = "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
    let order = fortranOrder ? "True" : "False"
    return "{'descr': '\(descr)', 'fortran_order': \(order), 'shape': \(dims), }"
  }

  /// Parses a header dict; `file` is used in error messages.
  static func parse(_ bytes: [UInt8], file: String) throws -> NPYHeader {
    var parser = Parser(bytes: bytes, file: file)
    return try parser.parseHeader()
  }

  /// A recursive-descent parser for the small subset of Python literals NumPy headers use.
  private struct Parser {
    let bytes: [UInt8]
    let file: String
    var position = 0

    init(bytes: [UInt8], file: String) {
      self.bytes = bytes
      self.file = file
    }

    private enum Value {
      case string(String)
      case bool(Bool)
      case tuple([Int])
    }

    mutating func parseHeader() throws -> NPYHeader {
      skipWhitespace()
      try expect(UInt8(ascii: "{"))
      var values: [String: Value] = [:]
      while true {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
          position += 1
          break
        }
        let key = try parseString()
        guard values[key] == nil else { throw malformed("the key '\(key)' appears twice") }
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        values[key] = try parseValue()
        skipWhitespace()
        if peek() == UInt8(ascii: ",") {
          position += 1
        } else if peek() != UInt8(ascii: "}") {
          throw malformed("expected ',' or '}' at byte \(position), found \(describePeek())")
        }
      }
      skipWhitespace()
      guard position == bytes.count else {
        throw malformed("unexpected \(describePeek()) after the closing '}'")
      }
      let expectedKeys: Set = ["descr", "fortran_order", "shape"]
      guard Set(values.keys) == expectedKeys else {
        throw malformed(
          "expected exactly the keys descr, fortran_order, shape; found "
            + values.keys.sorted().joined(separator: ", "))
      }
      guard case .string(let descr) = values["descr"] else {
        throw malformed("'descr' must be a string")
      }
      guard case .bool(let fortranOrder) = values["fortran_order"] else {
        throw malformed("'fortran_order' must be True or False")
      }
      guard case .tuple(let shape) = values["shape"] else {
        throw malformed("'shape' must be a tuple of integers")
      }
      return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    private mutating func parseValue() throws -> Value {
      switch peek() {
      case UInt8(ascii: "'"), UInt8(ascii: "\""):
        return .string(try parseString())
      case UInt8(ascii: "("):
        return .tuple(try parseTuple())
      default:
        if consume("True") { return .bool(true) }
        if consume("False") { return .bool(false) }
        throw malformed("unexpected value at byte \(position): \(describePeek())")
      }
    }

    private mutating func parseString() throws -> String {
      guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
        throw malformed(
          "expected a quoted key or string at byte \(position), found \(describePeek())")
      }
      position += 1
      let start = position
      while let byte = peek(), byte != quote {
        guard byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "\n") else {
          throw malformed("escapes and line breaks are not allowed in strings")
        }
        position += 1
      }
      guard peek() == quote else {
        throw malformed("unterminated string starting at byte \(start)")
      }
      position += 1
      return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
    }

    private mutating func parseTuple() throws -> [Int] {
      try expect(UInt8(ascii: "("))
      var items: [Int] = []
      while true {
        skipWhitespace()
        if peek() == UInt8(ascii: ")") {
          position += 1
          break
        }
        items.append(try parseInteger())
        skipWhitespace()
        if peek() == UInt8(ascii: ",") {
          position += 1
        } else if peek() != UInt8(ascii: ")") {
          throw malformed(
            "expected ',' or ')' in the shape at byte \(position), found \(describePeek())")
        }
      }
      // Python writes a one-element tuple as "(3,)"; "(3)" is just a parenthesised integer.
      return items
    }

    private mutating func parseInteger() throws -> Int {
      let start = position
      var value = 0
      while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
        guard !overflow1, !overflow2 else { throw malformed("a shape dimension is too large") }
        value = sum
        position += 1
      }
      guard position > start else {
        throw malformed(
          "expected a non-negative integer in the shape at byte \(start), found \(describePeek())")
      }
      // Python 2 wrote long integers with an L suffix, e.g. (3L, 4L).
      if peek() == UInt8(ascii: "L") { position += 1 }
      return value
    }

    private func peek() -> UInt8? {
      position < bytes.count ? bytes[position] : nil
    }

    private func describePeek() -> String {
      guard let byte = peek() else { return "the end of the header" }
      if byte >= 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
      return "byte 0x" + String(byte, radix: 16)
    }

    private mutating func skipWhitespace() {
      while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
        position += 1
      }
    }

    private mutating func expect(_ byte: UInt8) throws {
      guard peek() == byte else {
        let wanted = Character(Unicode.Scalar(byte))
        throw malformed("expected '\(wanted)' at byte \(position), found \(describePeek())")
      }
      position += 1
    }

    private mutating func consume(_ word: String) -> Bool {
      let wordBytes = Array(word.utf8)
      guard position + wordBytes.count <= bytes.count,
        Array(bytes[position..<(position + wordBytes.count)]) == wordBytes
      else { return false }
      position += wordBytes.count
      return true
    }

    private func malformed(_ reason: String) -> NPYError {
      .malformedHeader(file: file, reason: reason)
    }
  }
}
