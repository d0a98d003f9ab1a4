extension Sequential {
  /// The model as Keras' `model.summary()` prints it for a sequential model (the `tf.keras`
  /// 2.9–2.12 layout: 65 columns, column stops at 29 and 55, a blank line after each layer,
  /// totals with thousands separators). The library returns the text; it never prints.
  ///
  /// ```
  /// Model: "sequential"
  /// _________________________________________________________________
  ///  Layer (type)                Output Shape              Param #
  /// =================================================================
  ///  flatten (Flatten)           (None, 784)               0
  ///  …
  /// =================================================================
  /// Total params: 133,504
  /// Trainable params: 133,504
  /// Non-trainable params: 0
  /// _________________________________________________________________
  /// ```
  ///
  /// `style` `.withMemory` gives the totals as tf_keras 2.13+ prints them
  /// (`Total params: 133504 (521.50 KB)`). Lines keep Keras' trailing spaces; the text ends
  /// with a newline.
  public func summary(style: SummaryStyle = .grouped) -> String {
    let lineLength = 65
    let stops = [29, 55, 65]
    var lines = ["Model: \"\(name)\""]
    lines.append(String(repeating: "_", count: lineLength))
    lines += SummaryTable.row(["Layer (type)", "Output Shape", "Param #"], stops: stops)
    lines.append(String(repeating: "=", count: lineLength))
    for (layer, shape) in zip(layers, layerOutputShapes) {
      let fields = [
        "\(layer.name) (\(type(of: layer).typeName))", pythonTuple(shape),
        "\(layer.parameterCount)",
      ]
      lines += SummaryTable.row(fields, stops: stops)
      lines.append(String(repeating: " ", count: lineLength))
    }
    lines.append(String(repeating: "=", count: lineLength))
    lines += style.totalsLines(total: parameterCount, trainable: trainableParameterCount)
    lines.append(String(repeating: "_", count: lineLength))
    return lines.joined(separator: "\n") + "\n"
  }
}

/// Keras' fixed-width summary rows.
enum SummaryTable {
  /// One table row, wrapped onto more lines when a field is wider than its column.
  ///
  /// Column `i` spans `stops[i-1]..<stops[i]`; every column but the last keeps two spaces
  /// free at its end, and the first starts with one space.
  static func row(_ fields: [String], stops: [Int]) -> [String] {
    var remaining = fields.map { Array($0) }
    var lines: [String] = []
    repeat {
      var line = ""
      for column in remaining.indices {
        let start = column == 0 ? 0 : stops[column - 1]
        let isLast = column == stops.count - 1
        let width = stops[column] - start - (isLast ? 0 : 3)
        let piece = remaining[column].prefix(width)
        remaining[column].removeFirst(piece.count)
        if column == 0 { line += " " }
        line += String(piece)
        if !isLast { line += "  " }
        line += String(repeating: " ", count: max(0, stops[column] - line.count))
      }
      lines.append(line)
    } while remaining.contains { !$0.isEmpty }
    return lines
  }

  /// `133504` → `"133,504"`.
  static func grouped(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var result = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return value < 0 ? "-" + result : result
  }
}
