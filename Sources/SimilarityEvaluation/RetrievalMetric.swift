/// A ranking metric of the nearest neighbours of labelled queries: recall@k, precision@k,
/// R-precision, MAP@k, MAP@R and binary NDCG@k (TF Similarity's `retrieval_metrics`).
///
/// Lookup `j` of a query is *relevant* when its label equals the query's label and, if the
/// metric has a ``distanceThreshold``, its distance is `≤` that threshold. TF Similarity applies
/// the threshold only to NDCG; here it applies to every kind, and without a threshold the
/// values are TF Similarity's. `R` is the number of indexed examples of the query's class
/// (`classSizes[label]`); `rel_j` is 1 for a relevant lookup, else 0.
///
/// Per query, with the sums over `j = 1…k` unless noted:
///
///     recall@k      1 if some rel_j = 1, else 0
///     precision@k   Σ rel_j / k
///     R-precision   Σ_{j ≤ min(k, R)} rel_j / R  (precision clipped at R)
///     MAP@k         Σ rel_j · P@j / R           P@j = (Σ_{i ≤ j} rel_i) / j
///     MAP@R         Σ_{j ≤ min(k, R)} rel_j · P@j / R
///     NDCG@k        Σ rel_j / log2(j + 1), divided by the same sum with the relevant lookups
///                   moved to the front (0 when there are none)
///
/// Precision@k always divides by k (TF Similarity's `PrecisionAtK` formula), so with one label
/// per example precision@1 equals recall@1. TF Similarity 0.17's `PrecisionAtK(r=…)` without
/// `clip_at_r` divides by R instead; that figure is neither P@k nor R-precision and is not
/// offered here: R-precision (``rPrecision(maxK:averaging:distanceThreshold:dropsClosestLookup:)``,
/// named `r_precision`) is the R-based precision. MAP@k is TF Similarity's `MapAtK` with its
/// class-size mapping `r`, so it needs class sizes and is at most `min(k, R) / R`.
///
/// MAP@R is Musgrave et al., "A Metric Learning Reality Check", ECCV 2020, §3.2
/// (https://arxiv.org/abs/2003.08505); it needs `k ≥ R` for every class, otherwise the missing
/// ranks count as irrelevant. ``Averaging/micro`` averages the per-query values,
/// ``Averaging/macro`` averages per-class means over the distinct query labels (for every kind;
/// TF Similarity's MAP refuses macro averaging).
///
/// With ``dropsClosestLookup`` (for queries that are themselves in the index) every kind uses
/// lookups 2…k+1 and `R` is reduced by one. TF Similarity's precision@k instead uses lookups
/// 2…k (k − 1 of them) while recall and NDCG use 2…k+1; this type keeps all kinds at k.
public struct RetrievalMetric: Hashable, Codable, Sendable, CustomStringConvertible {
  /// What is measured.
  public enum Kind: String, CaseIterable, Codable, Sendable {
    /// Whether any of the first k lookups is relevant.
    case recall
    /// The fraction of the first k lookups that are relevant.
    case precision
    /// Mean average precision over the first k lookups.
    case meanAveragePrecision
    /// Binary normalised discounted cumulative gain.
    case ndcg
  }

  /// How per-query values are combined.
  public enum Averaging: String, CaseIterable, Codable, Sendable {
    /// The mean over queries.
    case micro
    /// The mean over distinct query labels of the mean over that label's queries.
    case macro
  }

  /// What is measured.
  public var kind: Kind
  /// Number of lookups examined per query (the largest k for the clipped-at-R kinds).
  public var k: Int
  /// Whether precision and MAP stop at rank `R` (precision then divides by `R` instead of k);
  /// requires class sizes.
  public var clipsAtR: Bool
  /// How per-query values are combined.
  public var averaging: Averaging
  /// Lookups farther than this are not relevant; `nil` means no limit.
  public var distanceThreshold: Float?
  /// Whether the first lookup of each query is skipped (the query itself, when it is indexed).
  public var dropsClosestLookup: Bool

  /// Creates a metric. `k` is checked when the metric is evaluated; `clipsAtR` applies to
  /// precision and MAP only.
  public init(
    _ kind: Kind, k: Int, clipsAtR: Bool = false, averaging: Averaging = .micro,
    distanceThreshold: Float? = nil, dropsClosestLookup: Bool = false
  ) {
    precondition(
      !clipsAtR || kind == .precision || kind == .meanAveragePrecision,
      "RetrievalMetric: clipsAtR applies to precision and MAP, not \(kind)")
    precondition(
      !(distanceThreshold?.isNaN ?? false), "RetrievalMetric(\(kind)): distanceThreshold is NaN")
    self.kind = kind
    self.k = k
    self.clipsAtR = clipsAtR
    self.averaging = averaging
    self.distanceThreshold = distanceThreshold
    self.dropsClosestLookup = dropsClosestLookup
  }

  /// Recall@k: the fraction of queries with a relevant lookup among the first k.
  public static func recall(
    k: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .recall, k: k, averaging: averaging, distanceThreshold: distanceThreshold,
      dropsClosestLookup: dropsClosestLookup)
  }

  /// Precision@k: relevant lookups among the first k, divided by k (class sizes play no part).
  public static func precision(
    k: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .precision, k: k, averaging: averaging, distanceThreshold: distanceThreshold,
      dropsClosestLookup: dropsClosestLookup)
  }

  /// R-precision: relevant lookups among the first R, divided by R; reads at most `maxK`.
  public static func rPrecision(
    maxK: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .precision, k: maxK, clipsAtR: true, averaging: averaging,
      distanceThreshold: distanceThreshold, dropsClosestLookup: dropsClosestLookup)
  }

  /// MAP@k: the sum of precision@j at each relevant rank j ≤ k, divided by R (TF Similarity's
  /// `MapAtK` with its class-size mapping); needs class sizes.
  public static func meanAveragePrecision(
    k: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .meanAveragePrecision, k: k, averaging: averaging, distanceThreshold: distanceThreshold,
      dropsClosestLookup: dropsClosestLookup)
  }

  /// MAP@R (Musgrave et al. 2020): MAP clipped at rank R, reading at most `maxK` lookups.
  public static func meanAveragePrecisionAtR(
    maxK: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .meanAveragePrecision, k: maxK, clipsAtR: true, averaging: averaging,
      distanceThreshold: distanceThreshold, dropsClosestLookup: dropsClosestLookup)
  }

  /// Binary NDCG@k; pass `distanceThreshold` to count far matches as irrelevant.
  public static func ndcg(
    k: Int, averaging: Averaging = .micro, distanceThreshold: Float? = nil,
    dropsClosestLookup: Bool = false
  ) -> RetrievalMetric {
    RetrievalMetric(
      .ndcg, k: k, averaging: averaging, distanceThreshold: distanceThreshold,
      dropsClosestLookup: dropsClosestLookup)
  }

  /// Whether evaluation needs class sizes (R): true for MAP@k and the clipped kinds; recall,
  /// precision@k and NDCG never read them.
  public var requiresClassSizes: Bool { clipsAtR || kind == .meanAveragePrecision }

  /// Number of lookups each query must have.
  public var requiredLookupCount: Int { dropsClosestLookup ? k + 1 : k }

  /// A short name such as `recall@5`, `map@r`, `r_precision`, `ndcg@10 (d ≤ 0.5, macro)`.
  public var description: String {
    var name: String
    switch (kind, clipsAtR) {
    case (.precision, true): name = "r_precision"
    case (.meanAveragePrecision, true): name = "map@r"
    case (.recall, _): name = "recall@\(k)"
    case (.precision, false): name = "precision@\(k)"
    case (.meanAveragePrecision, false): name = "map@\(k)"
    case (.ndcg, _): name = "ndcg@\(k)"
    }
    var qualifiers: [String] = []
    if let distanceThreshold { qualifiers.append("d ≤ \(distanceThreshold)") }
    if averaging == .macro { qualifiers.append("macro") }
    if dropsClosestLookup { qualifiers.append("closest dropped") }
    if !qualifiers.isEmpty { name += " (\(qualifiers.joined(separator: ", ")))" }
    return name
  }
}
