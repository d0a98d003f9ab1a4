/// Why imported weights were not applied to a model: every problem at once, so one run shows
/// everything a name map or a checkpoint gets wrong. Nothing was assigned when this is thrown.
public struct WeightImportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A tensor whose shape, in our layout, differs from the parameter it maps to.
  public struct ShapeMismatch: Equatable, Sendable {
    /// The file's tensor name.
    public var source: String
    /// Our parameter path.
    public var target: String
    /// The file's shape (its own layout).
    public var found: [Int]
    /// The file's shape after the layout change, or `nil` when the layout does not apply to a
    /// tensor of that rank.
    public var converted: [Int]?
    /// Our parameter's shape.
    public var expected: [Int]
  }

  /// The file.
  public var file: String
  /// Names the map or the model needs that the file lacks: `"<source> → <target>"` for map
  /// entries, `"<target>"` for parameters of the model no entry feeds.
  public var missing: [String] = []
  /// Tensors in the file that the map does not mention (and does not ignore).
  public var unexpected: [String] = []
  /// Tensors whose converted shape differs from their parameter's.
  public var shapeMismatches: [ShapeMismatch] = []
  /// Map targets the model does not have, and integer tensors mapped to float parameters:
  /// mistakes in the map itself.
  public var invalidEntries: [String] = []

  /// An empty report about `file`.
  public init(file: String) {
    self.file = file
  }

  /// Whether no problem was found.
  public var isEmpty: Bool {
    missing.isEmpty && unexpected.isEmpty && shapeMismatches.isEmpty && invalidEntries.isEmpty
  }

  /// `"<file>: cannot import weights: N missing: …; M unexpected: …; …"`.
  public var description: String {
    var parts: [String] = []
    if !missing.isEmpty {
      parts.append("\(missing.count) missing: \(missing.joined(separator: ", "))")
    }
    if !unexpected.isEmpty {
      parts.append("\(unexpected.count) unexpected: \(unexpected.joined(separator: ", "))")
    }
    if !shapeMismatches.isEmpty {
      let listed = shapeMismatches.map { m in
        "\(m.source) \(m.found)\(m.converted.map { " (ours \($0))" } ?? "") → \(m.target) expects \(m.expected)"
      }
      parts.append("\(shapeMismatches.count) shape mismatches: \(listed.joined(separator: ", "))")
    }
    if !invalidEntries.isEmpty {
      parts.append(
        "\(invalidEntries.count) invalid map entries: \(invalidEntries.joined(separator: ", "))")
    }
    return "\(file): cannot import weights: \(parts.joined(separator: "; "))"
  }
}
