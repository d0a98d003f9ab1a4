import Foundation

/// The distance thresholds at which a matcher reaches the best value of a classification metric
/// and the requested targets, with every metric's curve over all candidate thresholds.
///
/// This is TF Similarity's `MemoryEvaluator.calibrate` / `CalibrationResults`:
/// 1. each query's lookups give a derived label and distance (``MatchStrategy``);
/// 2. the candidate thresholds are the sorted unique derived distances, rounded to 8 decimal
///    places;
/// 3. ``MatchCounts`` counts tp/fp/tn/fn at every candidate in one sweep and every
///    ``ClassificationMetric`` is computed at every candidate;
/// 4. ``optimal`` is the **last** argmax of the calibration metric (last argmin for
///    ``ClassificationMetric/falsePositiveRate``): among equally good thresholds, the largest;
/// 5. each ``CalibrationTarget`` gets the cutpoint chosen by ``CalibrationTarget``'s rule, or
///    none when no candidate reaches it — it is then listed in ``unreachedTargets`` and
///    `calibration[target]` is `nil`; calibration does not fail.
///
/// One deliberate difference: TF Similarity takes the candidates from *all* lookup distances,
/// including neighbours that never decide a match (and, for majority vote, never equal a derived
/// distance). Here they are the derived distances, the only places where the counts change, so
/// "last argmax" cannot land on a distance beyond every derived distance with the same counts.
/// With one lookup per query the two coincide.
///
/// A calibration is `Codable`; ``jsonData()`` writes the form saved in a model directory.
public struct Calibration: Hashable, Codable, Sendable {
  /// The metric optimised for ``optimal``.
  public var metric: ClassificationMetric
  /// The strategy that derived each query's label and distance.
  public var strategy: MatchStrategy
  /// The cutpoint at the best value of ``metric``.
  public var optimal: Cutpoint
  /// The targets that were requested, in order.
  public var targets: [CalibrationTarget]
  /// One cutpoint per reached target, in the order of ``targets``, named after its target.
  public var cutpoints: [Cutpoint]
  /// The candidate distance thresholds, ascending.
  public var thresholds: [Float]
  /// Every classification metric at every candidate threshold.
  public var curves: [ClassificationMetric: [Float]]

  /// Calibrates a distance threshold on labelled queries and their lookups.
  ///
  /// - Parameters:
  ///   - queryLabels: the true label of each calibration query.
  ///   - lookups: one list per query, ranked nearest first; the strategy uses every lookup given.
  ///   - metric: the metric whose best value gives ``optimal`` (TF Similarity's default is F1).
  ///   - targets: values of metrics to reach, such as `.precision(atLeast: 0.99)`.
  ///   - strategy: how each query's label and distance are derived.
  /// - Throws: ``EvaluationError`` for mismatched counts, no queries, an empty or unsorted
  ///   lookup list, or a NaN distance; ``CalibrationError/invalidTarget(_:)`` for a target
  ///   outside [0, 1].
  /// - Complexity: O(n·k + n log n) for n queries of k lookups.
  public init(
    queryLabels: [Int], lookups: [[LookupResult]], optimizing metric: ClassificationMetric = .f1,
    targets: [CalibrationTarget] = [], strategy: MatchStrategy = .nearest
  ) throws {
    try InputValidation.check(queryCount: queryLabels.count, lookups: lookups)
    for target in targets { try target.validate() }
    let derived = lookups.map { strategy.derivedMatch(from: $0) }
    let thresholds = Array(Set(derived.map { roundedDistance($0.distance) })).sorted()
    let counts = MatchCounts(queryLabels: queryLabels, derived: derived, thresholds: thresholds)
    let curves = Dictionary(
      uniqueKeysWithValues: ClassificationMetric.allCases.map { ($0, $0.values(for: counts)) })

    func cutpoint(named name: String, at index: Int, valueOf chooser: ClassificationMetric)
      -> Cutpoint
    {
      Cutpoint(
        name: name, distance: thresholds[index], value: curves[chooser, default: []][index],
        metrics: curves.mapValues { $0[index] })
    }

    let curve = curves[metric, default: []]
    let best = metric.isMaximized ? curve.max() : curve.min()
    // Non-empty: there is at least one query, hence at least one threshold.
    let optimalIndex = curve.lastIndex { $0 == best } ?? curve.count - 1
    self.metric = metric
    self.strategy = strategy
    self.optimal = cutpoint(named: "optimal", at: optimalIndex, valueOf: metric)
    self.targets = targets
    self.cutpoints = targets.compactMap { target in
      target.cutpointIndex(in: curves[target.metric, default: []]).map {
        cutpoint(named: target.description, at: $0, valueOf: target.metric)
      }
    }
    self.thresholds = thresholds
    self.curves = curves
  }

  /// The cutpoint calibrated for `target`, or `nil` if it was not requested or no threshold
  /// reaches it.
  public subscript(target: CalibrationTarget) -> Cutpoint? {
    guard targets.contains(target) else { return nil }
    return cutpoints.first { $0.name == target.description }
  }

  /// The requested targets that no candidate threshold reaches.
  public var unreachedTargets: [CalibrationTarget] {
    targets.filter { self[$0] == nil }
  }

  /// The calibration as pretty-printed JSON with sorted keys. Infinite distances are written as
  /// the strings `"inf"` and `"-inf"`, which plain JSON numbers cannot express.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }

  /// Reads a calibration written by ``jsonData()`` and checks its parts agree (``validate()``).
  /// - Throws: `DecodingError` when the data is not such a calibration, ``CalibrationError``
  ///   when its parts disagree.
  public init(jsonData: Data) throws {
    self = try Calibration.jsonDecoder.decode(Calibration.self, from: jsonData)
    try validate()
  }

  /// The decoder for ``jsonData()``'s form (infinite distances as `"inf"` / `"-inf"`).
  public static var jsonDecoder: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }
}
