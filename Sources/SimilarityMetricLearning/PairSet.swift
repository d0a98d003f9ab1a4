import SimilarityKernels

/// Labelled pairs of example indices for siamese training: `label == 1` for a pair of the same
/// class ("similar"), `0` for a pair of different classes.
///
/// Pairs hold indices into a data set rather than copies of the examples, so 108,400 MNIST
/// pairs cost 1.3 MB instead of 680 MB.
public struct PairSet: Sendable, Equatable {
  /// Index of the first example of each pair.
  public var first: [Int32]
  /// Index of the second example of each pair.
  public var second: [Int32]
  /// 1 for a similar (same-class) pair, 0 for a dissimilar one.
  public var labels: [Float]

  /// Number of pairs.
  public var count: Int { labels.count }

  /// Creates a pair set; the three arrays must have the same length.
  public init(first: [Int32], second: [Int32], labels: [Float]) {
    precondition(
      first.count == second.count && second.count == labels.count,
      "PairSet: \(first.count) first, \(second.count) second, \(labels.count) labels")
    self.first = first
    self.second = second
    self.labels = labels
  }

  /// The classic Keras `mnist_siamese` pair construction.
  ///
  /// With `n = (smallest class size) − 1`, for each class `c` in increasing order and each
  /// `i < n`, it appends the positive pair `(indices[c][i], indices[c][i + 1])` with label 1,
  /// then the negative pair `(indices[c][i], indices[(c + inc) % classCount][i])` with label 0,
  /// where `inc` is uniform in `1..<classCount`. `indices[c]` lists the examples of class `c`
  /// in data-set order. On MNIST this gives 108,400 training and 17,820 test pairs.
  ///
  /// - Parameters:
  ///   - labels: one class label per example, in `0..<classCount`.
  ///   - classCount: number of classes; every class must have at least two examples.
  ///   - seed: seeds the choice of negative classes.
  /// - Throws: ``PairSetError`` when a label is out of range or a class has fewer than two
  ///   examples.
  public static func alternatingPairs(labels: [Int], classCount: Int, seed: UInt64) throws
    -> PairSet
  {
    let byClass = try indicesByClass(labels: labels, classCount: classCount)
    guard classCount >= 2 else { throw PairSetError.tooFewClasses(found: classCount) }
    if let small = byClass.firstIndex(where: { $0.count < 2 }) {
      throw PairSetError.classTooSmall(label: small, count: byClass[small].count)
    }
    let n = (byClass.map(\.count).min() ?? 2) - 1
    var random = SplitMix64(seed: seed)
    var first: [Int32] = []
    var second: [Int32] = []
    var pairLabels: [Float] = []
    first.reserveCapacity(2 * n * classCount)
    second.reserveCapacity(2 * n * classCount)
    pairLabels.reserveCapacity(2 * n * classCount)
    for cls in 0..<classCount {
      for i in 0..<n {
        first.append(Int32(byClass[cls][i]))
        second.append(Int32(byClass[cls][i + 1]))
        pairLabels.append(1)
        let increment = 1 + Int(random.next() % UInt64(classCount - 1))
        let other = (cls + increment) % classCount
        first.append(Int32(byClass[cls][i]))
        second.append(Int32(byClass[other][i]))
        pairLabels.append(0)
      }
    }
    return PairSet(first: first, second: second, labels: pairLabels)
  }

  /// A general pair builder for any labelled data set: for every example, one positive
  /// partner drawn uniformly from the other examples of its class and one negative partner
  /// drawn uniformly from the other classes (the keras.io `make_pairs` scheme), alternating.
  ///
  /// Examples whose class has a single member get no positive pair.
  public static func randomPairs(labels: [Int], classCount: Int, seed: UInt64) throws -> PairSet {
    let byClass = try indicesByClass(labels: labels, classCount: classCount)
    guard classCount >= 2 else { throw PairSetError.tooFewClasses(found: classCount) }
    var random = SplitMix64(seed: seed)
    var first: [Int32] = []
    var second: [Int32] = []
    var pairLabels: [Float] = []
    let nonEmpty = (0..<classCount).filter { !byClass[$0].isEmpty }
    guard nonEmpty.count >= 2 else { throw PairSetError.tooFewClasses(found: nonEmpty.count) }
    for (index, label) in labels.enumerated() {
      let members = byClass[label]
      if members.count >= 2 {
        var partner = index
        while partner == index { partner = members[Int(random.next() % UInt64(members.count))] }
        first.append(Int32(index))
        second.append(Int32(partner))
        pairLabels.append(1)
      }
      var otherClass = label
      while otherClass == label { otherClass = nonEmpty[Int(random.next() % UInt64(nonEmpty.count))] }
      let others = byClass[otherClass]
      first.append(Int32(index))
      second.append(Int32(others[Int(random.next() % UInt64(others.count))]))
      pairLabels.append(0)
    }
    return PairSet(first: first, second: second, labels: pairLabels)
  }

  private static func indicesByClass(labels: [Int], classCount: Int) throws -> [[Int]] {
    guard classCount >= 1 else { throw PairSetError.tooFewClasses(found: classCount) }
    var byClass = [[Int]](repeating: [], count: classCount)
    for (index, label) in labels.enumerated() {
      guard label >= 0 && label < classCount else {
        throw PairSetError.labelOutOfRange(index: index, label: label, classCount: classCount)
      }
      byClass[label].append(index)
    }
    return byClass
  }
}

/// Why a pair set could not be built from the given labels.
public enum PairSetError: Error, CustomStringConvertible, Equatable {
  /// A label outside `0..<classCount`.
  case labelOutOfRange(index: Int, label: Int, classCount: Int)
  /// Fewer than two classes: no negative pairs are possible.
  case tooFewClasses(found: Int)
  /// A class with fewer than two examples: no positive pair is possible.
  case classTooSmall(label: Int, count: Int)

  public var description: String {
    switch self {
    case .labelOutOfRange(let index, let label, let classCount):
      return "label \(label) of example \(index) is outside 0..<\(classCount)"
    case .tooFewClasses(let found):
      return "pairs need at least 2 classes with examples, found \(found)"
    case .classTooSmall(let label, let count):
      return "class \(label) has \(count) example(s); alternating pairs need at least 2 per class"
    }
  }
}
