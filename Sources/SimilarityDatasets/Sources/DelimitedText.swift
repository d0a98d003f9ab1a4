/// Records of CSV or TSV text (RFC 4180 quoting: a field in double quotes may hold the
/// delimiter, line breaks and `""` for a quote). Lines may end in `\n` or `\r\n`; blank lines
/// are skipped.
struct DelimitedText {
  /// One record: its fields and the 1-based line where it starts.
  struct Record: Equatable {
    var fields: [String]
    var line: Int
  }

  /// Why the text could not be split.
  struct Failure: Error, Equatable {
    var line: Int
    var reason: String
  }

  /// Tab when the first line holds a tab outside quotes, comma otherwise.
  static func delimiter(of text: [UInt8]) -> UInt8 {
    var quoted = false
    for byte in text {
      if byte == UInt8(ascii: "\"") { quoted.toggle() }
      if !quoted && byte == UInt8(ascii: "\n") { break }
      if !quoted && byte == UInt8(ascii: "\t") { return UInt8(ascii: "\t") }
    }
    return UInt8(ascii: ",")
  }

  /// The records of `text` (UTF-8; a leading byte-order mark is skipped).
  static func records(_ text: [UInt8], delimiter: UInt8) throws(Failure) -> [Record] {
    var bytes = text[...]
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    let quote = UInt8(ascii: "\"")
    let newline = UInt8(ascii: "\n")
    let carriageReturn = UInt8(ascii: "\r")
    var records: [Record] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1
    var start = 1
    var quoted = false
    var wasQuoted = false
    var index = bytes.startIndex
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func endRecord() {
      endField()
      if !(fields.count == 1 && fields[0].isEmpty) {
        records.append(Record(fields: fields, line: start))
      }
      fields.removeAll()
    }
    while index < bytes.endIndex {
      let byte = bytes[index]
      index += 1
      if quoted {
        if byte == quote {
          if index < bytes.endIndex && bytes[index] == quote {
            field.append(quote)
            index += 1
          } else {
            quoted = false
            wasQuoted = true
          }
        } else {
          if byte == newline { line += 1 }
          field.append(byte)
        }
        continue
      }
      switch byte {
      case quote:
        guard field.isEmpty && !wasQuoted else {
          throw Failure(line: line, reason: "a quote inside an unquoted field; quote the whole "
            + "field and double the quotes inside it")
        }
        quoted = true
      case delimiter:
        endField()
      case newline:
        endRecord()
        line += 1
        start = line
      case carriageReturn where index < bytes.endIndex && bytes[index] == newline:
        continue
      default:
        guard !wasQuoted else {
          throw Failure(line: line, reason: "text after a closing quote")
        }
        field.append(byte)
      }
    }
    guard !quoted else { throw Failure(line: start, reason: "a quoted field is never closed") }
    if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
    return records
  }
}
