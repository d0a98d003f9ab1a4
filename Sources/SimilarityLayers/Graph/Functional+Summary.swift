extension Functional {
  /// The model as `tf_keras` 2.13–2.21's `model.summary()` prints it. A graph that is a plain
  /// chain (one call per depth, each on one tensor, no layer called twice) gets the
  /// sequential layout (65 columns, stops at 29 and 55); any other graph gets the functional
  /// layout (98 columns, stops at 29, 58 and 68) with a "Connected to" column listing the
  /// tensors each call of the layer takes (`['input_1[0][0]']`; a shared layer lists every
  /// call). ``InputLayer`` rows show their shape as a list, `[(None, 8, 8, 16)]`; a layer whose
  /// calls give different shapes shows `multiple`. The totals lines follow `style`:
  /// `Total params: 4,768` by default, `Total params: 4768 (18.62 KB)` with `.withMemory`
  /// (byte for byte what tf_keras 2.21 prints). The library returns the text; it never prints.
  ///
  /// ```
  /// Model: "model"
  /// __________________________________________________________________________________________________
  ///  Layer (type)                Output Shape                 Param #   Connected to
  /// ==================================================================================================
  ///  input_1 (InputLayer)        [(None, 8, 8, 16)]           0         []
  ///  …
  /// ```
  ///
  /// Lines keep Keras' trailing spaces; the text ends with a newline. The rows work for any
  /// ``Layer`` (its ``Layer/typeName``, output shapes and ``Model/parameterCount``).
  public func summary(style: SummaryStyle = .grouped) -> String {
    let sequentialLike = topology.isSequentialLike
    let lineLength = sequentialLike ? 65 : 98
    let stops = sequentialLike ? [29, 55, 65] : [29, 58, 68, 98]
    var header = ["Layer (type)", "Output Shape", "Param #"]
    if !sequentialLike { header.append("Connected to") }
    var lines = ["Model: \"\(name)\"", String(repeating: "_", count: lineLength)]
    lines += KerasSummaryRow.lines(header, stops: stops)
    lines.append(String(repeating: "=", count: lineLength))
    for layer in layers {
      var fields = [
        "\(layer.name) (\(layer.typeName))", outputShapeText(of: layer), "\(layer.parameterCount)",
      ]
      if !sequentialLike { fields.append(connectionsText(of: layer)) }
      lines += KerasSummaryRow.lines(fields, stops: stops)
      lines.append(String(repeating: " ", count: lineLength))
    }
    lines.append(String(repeating: "=", count: lineLength))
    lines += style.totalsLines(
      total: parameterCount, trainable: trainableParameterCount,
      nonTrainableInt64: layers.filter { $0 is Normalization }.count)
    lines.append(String(repeating: "_", count: lineLength))
    return lines.joined(separator: "\n") + "\n"
  }

  /// Keras' `layer.output_shape`: the shapes of its calls if they agree, else `multiple`.
  private func outputShapeText(of layer: any Layer) -> String {
    let calls = topology.nodesOfLayer[ObjectIdentifier(layer)] ?? []
    let texts = Set(calls.map { node in
      node.isInput || node.outputShapes.count > 1
        ? "[" + node.outputShapes.map(pythonTuple).joined(separator: ", ") + "]"
        : pythonTuple(node.outputShapes[0])
    })
    return texts.count == 1 ? texts.first! : "multiple"
  }

  /// The tensors every call of `layer` takes, as a Python list of `name[node][tensor]`.
  private func connectionsText(of layer: any Layer) -> String {
    let calls = topology.nodesOfLayer[ObjectIdentifier(layer)] ?? []
    let references = calls.flatMap { $0.inputs.map { "'\(reference($0).text)'" } }
    return "[" + references.joined(separator: ", ") + "]"
  }

}

/// `tf_keras`' `print_row`: fixed-width columns, a field too long for its column continues
/// on the next line, broken after `),`, `},`, `],` or `',` when one occurs in the part that
/// fits.
enum KerasSummaryRow {
  /// The printed lines of one row; column `i` ends at `stops[i]`.
  static func lines(_ fields: [String], stops: [Int]) -> [String] {
    var remaining = fields.map { Array($0) }
    var lines: [String] = []
    let last = stops.count - 1
    while remaining.contains(where: { !$0.isEmpty }) {
      var line: [Character] = []
      for column in remaining.indices {
        let start = column > 0 ? stops[column - 1] : 0
        let space = column != last ? 2 : 0
        var cutoff = stops[column] - start - space - (column != last ? 1 : 0)
        var fit = Array(remaining[column].prefix(max(0, cutoff)))
        let breaks = ["),", "},", "],", "',"].compactMap { firstRange(of: Array($0), in: fit) }
        if let earliest = breaks.min() {
          cutoff = earliest
          fit = Array(fit.prefix(cutoff))
        }
        if column == 0 { line.append(" ") }
        line += fit
        line += Array(repeating: " ", count: space)
        remaining[column] = Array(remaining[column].dropFirst(max(0, cutoff)))
        line += Array(repeating: " ", count: max(0, stops[column] - line.count))
      }
      lines.append(String(line))
    }
    return lines
  }

  /// The end of the first occurrence of `pattern` in `text` (Python's `find(x) + len(x)`).
  private static func firstRange(of pattern: [Character], in text: [Character]) -> Int? {
    guard text.count >= pattern.count else { return nil }
    for start in 0...(text.count - pattern.count)
    where text[start..<(start + pattern.count)].elementsEqual(pattern) {
      return start + pattern.count
    }
    return nil
  }
}
