/// Counts of predicted against true labels, with a column for queries predicted as unknown
/// (`nil`, see ``Matcher``), and the per-class scores derived from it.
///
/// Rows are true labels and columns predicted labels, both in the order of ``labels``; column
/// ``labels``.count is "unknown". An unknown prediction is never right: it lowers the row's
/// recall and the accuracy, and no column's precision.
public struct ConfusionMatrix: Hashable, Codable, Sendable {
  /// Scores of one class.
  public struct ClassScores: Hashable, Codable, Sendable {
    /// The class.
    public var label: Int
    /// Queries predicted as `label` that are `label`, over all predicted as `label`.
    public var precision: Float
    /// Queries of `label` predicted as `label`, over all queries of `label`.
    public var recall: Float
    /// Harmonic mean of precision and recall (0 when both are 0).
    public var f1: Float
    /// Number of queries whose true label is `label`.
    public var support: Int
  }

  /// Every label that occurs as a true or a predicted label, ascending.
  public var labels: [Int]
  /// `counts[row][column]`: queries of true label `labels[row]` predicted as `labels[column]`,
  /// or as unknown when `column == labels.count`. `labels.count` rows of `labels.count + 1`.
  public var counts: [[Int]]

  /// Counts the predictions.
  /// - Throws: ``EvaluationError`` when the two arrays differ in length or are empty.
  /// - Complexity: O(n + c²) for n queries and c labels.
  public init(trueLabels: [Int], predictedLabels: [Int?]) throws {
    guard trueLabels.count == predictedLabels.count else {
      throw EvaluationError.predictionCountMismatch(
        trueLabels: trueLabels.count, predictedLabels: predictedLabels.count)
    }
    guard !trueLabels.isEmpty else { throw EvaluationError.noQueries }
    labels = Array(Set(trueLabels).union(predictedLabels.compactMap { $0 })).sorted()
    let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    let unknown = labels.count
    counts = Array(repeating: Array(repeating: 0, count: labels.count + 1), count: labels.count)
    for (truth, prediction) in zip(trueLabels, predictedLabels) {
      // Both lookups succeed: `labels` holds every true and every predicted label.
      let row = position[truth] ?? 0
      let column = prediction.flatMap { position[$0] } ?? unknown
      counts[row][column] += 1
    }
  }

  /// The number of queries counted.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

  /// Queries of true label `trueLabel` predicted as `predicted` (`nil` for unknown); 0 for
  /// labels that do not occur.
  public func count(trueLabel: Int, predicted: Int?) -> Int {
    guard let row = labels.firstIndex(of: trueLabel) else { return 0 }
    guard let predicted else { return counts[row][labels.count] }
    guard let column = labels.firstIndex(of: predicted) else { return 0 }
    return counts[row][column]
  }

  /// Each row divided by its sum, so a row gives the distribution of predictions for a true
  /// label; a label that never occurs as a true label has a row of zeros.
  public var rowNormalized: [[Float]] {
    counts.map { row in
      let sum = Double(row.reduce(0, +))
      return row.map { Float(divideNoNaN(Double($0), sum)) }
    }
  }

  /// Fraction of queries predicted correctly; unknown predictions count as wrong.
  public var accuracy: Float {
    let correct = labels.indices.reduce(0) { $0 + counts[$1][$1] }
    return Float(divideNoNaN(Double(correct), Double(total)))
  }

  /// Fraction of queries predicted as unknown.
  public var unknownRate: Float {
    let unknown = counts.reduce(0) { $0 + $1[labels.count] }
    return Float(divideNoNaN(Double(unknown), Double(total)))
  }

  /// Precision, recall, F1 and support of every label, in the order of ``labels``. Divisions by
  /// zero give 0.
  public var classScores: [ClassScores] {
    labels.indices.map { i in
      let correct = Double(counts[i][i])
      let predicted = Double(counts.reduce(0) { $0 + $1[i] })
      let support = counts[i].reduce(0, +)
      let precision = divideNoNaN(correct, predicted)
      let recall = divideNoNaN(correct, Double(support))
      let f1 = divideNoNaN(2 * precision * recall, precision + recall)
      return ClassScores(
        label: labels[i], precision: Float(precision), recall: Float(recall), f1: Float(f1),
        support: support)
    }
  }

  /// The unweighted mean of the classes' F1 over labels that occur as true labels.
  public var macroF1: Float {
    let scored = classScores.filter { $0.support > 0 }
    return Float(divideNoNaN(Double(scored.reduce(0) { $0 + $1.f1 }), Double(scored.count)))
  }
}
