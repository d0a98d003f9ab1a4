/// One neighbour returned for a query: how far it is and the label it was indexed with.
///
/// Evaluation consumes plain lookup results, never an index, so every function in this module is
/// a pure function of its inputs (TF Similarity's split between its `Search` and `Evaluator`). A
/// query's lookups are a `[LookupResult]` ranked nearest first; a batch is a
/// `[[LookupResult]]`, one list per query.
public struct LookupResult: Hashable, Codable, Sendable {
  /// Distance from the query to this neighbour; smaller is closer.
  public var distance: Float
  /// Label of the neighbour, or `nil` when it was indexed without one. An unlabelled neighbour
  /// never matches a query label.
  public var label: Int?

  /// Creates a lookup result.
  public init(distance: Float, label: Int?) {
    self.distance = distance
    self.label = label
  }
}
