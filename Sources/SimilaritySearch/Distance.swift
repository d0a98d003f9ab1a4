/// A distance (or similarity) between embeddings, with TensorFlow Similarity's semantics.
///
/// | case | value reported | ranking (nearest first) |
/// |---|---|---|
/// | `cosine` | `max(1 − a·b, 0)` on L2-normalised vectors | ascending |
/// | `euclidean` | `‖a − b‖₂` | ascending |
/// | `squaredEuclidean` | `‖a − b‖₂²` | ascending |
/// | `manhattan` | `Σ |aᵢ − bᵢ|` | ascending |
/// | `innerProduct` | the similarity `a·b` | **descending** (larger is closer) |
/// | `snr` | `var(a − b) / var(a)`, `a` the query (Yuan et al. 2019, arXiv:1904.02616) | ascending |
///
/// Indexes L2-normalise vectors and queries for `.cosine` (TF Similarity expects normalised
/// inputs; normalising in the index makes the formula hold). For `.innerProduct` the indexes rank
/// internally by `−a·b` and report the raw similarity in `Neighbor.distance`, so results are
/// always ordered nearest first. For `.snr` the indexes store mean-centred vectors: for a fixed
/// query `var(q − x) = ‖c(q) − c(x)‖² / d` with `c` the centring, so the ranking is squared
/// Euclidean on centred vectors and the reported value is `‖c(q) − c(x)‖² / ‖c(q)‖²`.
public enum Distance: String, CaseIterable, Sendable {
  case cosine
  case euclidean
  case squaredEuclidean
  case manhattan
  case innerProduct
  case snr

  /// Whether a larger value means closer (only `.innerProduct`).
  public var isSimilarity: Bool { self == .innerProduct }

  /// Parses a name case-insensitively, accepting TF Similarity's aliases
  /// (`l2`, `sql2`, `squared_euclidean`, `l1`, `ip`, `inner_product`, …).
  public init?(name: String) {
    let key = name.lowercased().replacingUnderscoresAndDashes()
    switch key {
    case "cosine", "cosinedistance": self = .cosine
    case "euclidean", "euclideandistance", "l2", "pythagorean": self = .euclidean
    case "squaredeuclidean", "squaredeuclideandistance", "sql2", "sqeuclidean", "l2sq":
      self = .squaredEuclidean
    case "manhattan", "manhattandistance", "l1", "taxicab": self = .manhattan
    case "innerproduct", "innerproductsimilarity", "ip", "dot": self = .innerProduct
    case "snr", "snrdistance", "signaltonoiseratio": self = .snr
    default: return nil
    }
  }

  /// The plain-Swift reference value of this distance between `a` (the query/anchor) and `b`,
  /// accumulated in `Double`; the oracle for the C kernels. For `.cosine` the inputs are
  /// expected to be L2-normalised (as in TF Similarity).
  public func reference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "reference: dimensions \(a.count) and \(b.count) differ")
    var dot = 0.0, sq = 0.0, abs = 0.0
    for i in 0..<a.count {
      let x = Double(a[i]), y = Double(b[i])
      dot += x * y
      sq += (x - y) * (x - y)
      abs += Swift.abs(x - y)
    }
    switch self {
    case .cosine: return Float(Swift.max(1 - dot, 0))
    case .euclidean: return Float(sq.squareRoot())
    case .squaredEuclidean: return Float(sq)
    case .manhattan: return Float(abs)
    case .innerProduct: return Float(dot)
    case .snr:
      let n = Double(a.count)
      let meanA = a.reduce(0.0) { $0 + Double($1) } / n
      let meanD = zip(a, b).reduce(0.0) { $0 + Double($1.0) - Double($1.1) } / n
      var varA = 0.0, varD = 0.0
      for i in 0..<a.count {
        let x = Double(a[i]) - meanA
        let d = Double(a[i]) - Double(b[i]) - meanD
        varA += x * x
        varD += d * d
      }
      return Float(varD / varA)
    }
  }

  /// The stable code stored in index files (never reorder).
  var fileCode: UInt32 {
    switch self {
    case .cosine: 0
    case .euclidean: 1
    case .squaredEuclidean: 2
    case .manhattan: 3
    case .innerProduct: 4
    case .snr: 5
    }
  }

  init?(fileCode: UInt32) {
    guard let match = Distance.allCases.first(where: { $0.fileCode == fileCode }) else {
      return nil
    }
    self = match
  }
}

extension String {
  fileprivate func replacingUnderscoresAndDashes() -> String {
    String(filter { $0 != "_" && $0 != "-" })
  }
}
