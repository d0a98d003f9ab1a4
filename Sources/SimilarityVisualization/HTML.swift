import Foundation

/// Escaping and small builders for self-contained HTML pages.
public enum HTML {
  /// `text` with `& < > " '` replaced by entities, safe inside element content and quoted
  /// attribute values.
  public static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// A JSON string literal for `text` that is also safe inside an inline `<script>`: `<`, `>`,
  /// `&` and the line separators U+2028/U+2029 are written as `\uXXXX` escapes.
  public static func javaScriptString(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": literal += "\\\""
      case "\\": literal += "\\\\"
      case "\n": literal += "\\n"
      case "\r": literal += "\\r"
      case "\t": literal += "\\t"
      case "<", ">", "&", "\u{2028}", "\u{2029}":
        literal += String(format: "\\u%04x", scalar.value)
      default:
        if scalar.value < 0x20 {
          literal += String(format: "\\u%04x", scalar.value)
        } else {
          literal.unicodeScalars.append(scalar)
        }
      }
    }
    return literal + "\""
  }

  /// A `<table>` with a header row; every cell is escaped. Cells that parse as numbers are
  /// right-aligned.
  public static func table(headers: [String], rows: [[String]]) -> String {
    var html = "<table>\n<thead><tr>"
    for header in headers { html += "<th>\(escape(header))</th>" }
    html += "</tr></thead>\n<tbody>\n"
    for row in rows {
      html += "<tr>"
      for cell in row {
        let numeric = Double(cell) != nil
        html += numeric ? "<td class=\"num\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody>\n</table>\n"
  }

  /// `data:<mediaType>;base64,…` (RFC 2397) for inlining a resource in a self-contained page.
  public static func dataURI(_ bytes: [UInt8], mediaType: String) -> String {
    "data:\(mediaType);base64," + Data(bytes).base64EncodedString()
  }

  /// An `<img>` holding `raster` as an inline PNG data URI.
  public static func image(_ raster: Raster, alt: String) -> String {
    "<img src=\"\(PNGEncoder.dataURI(raster))\" width=\"\(raster.width)\" "
      + "height=\"\(raster.height)\" alt=\"\(escape(alt))\">"
  }

  /// A number with `digits` decimals, `-` for NaN and `∞` for infinities.
  public static func format(_ value: Double, digits: Int = 4) -> String {
    if value.isNaN { return "-" }
    if value.isInfinite { return value > 0 ? "∞" : "-∞" }
    return String(format: "%.\(digits)f", value)
  }
}
