import SimilarityLayers

/// When a multi-shot sampler may draw the same example twice within one class of a batch.
public enum ExampleReplacement: String, Codable, Sendable, CaseIterable {
  /// Without replacement, unless the class has fewer examples than a batch needs (then with
  /// replacement for that class). TensorFlow Similarity's behaviour.
  case whenClassTooSmall
  /// Never; building the sampler throws ``SamplerError/classTooSmall(label:examples:required:)``
  /// when a class is too small.
  case never
  /// Always with replacement.
  case always
}

/// The index planning shared by the multi-shot samplers: `classesPerBatch` classes drawn
/// without replacement for every batch, then `examplesPerClass` examples of each class.
struct ClassBalancedPlanner: Sendable {
  /// The classes that may be drawn, ascending.
  let classes: [Int]
  /// Example indices of each class in ``classes`` (same order).
  let members: [[Int]]
  let classesPerBatch: Int
  let examplesPerClass: Int
  let stepsPerEpoch: Int
  let replacement: ExampleReplacement
  let seed: UInt64

  /// - Parameters:
  ///   - labels: the label of every example.
  ///   - classList: the classes to sample from (all classes present when `nil`).
  ///   - totalExamplesPerClass: keep at most this many examples per class, chosen at random
  ///     with `seed` (all when `nil`).
  init(
    labels: [Int], classesPerBatch: Int, examplesPerClass: Int, stepsPerEpoch: Int,
    classList: [Int]?, totalExamplesPerClass: Int?, replacement: ExampleReplacement,
    seed: UInt64
  ) throws(SamplerError) {
    precondition(classesPerBatch >= 1, "sampler: classesPerBatch \(classesPerBatch) < 1")
    precondition(examplesPerClass >= 1, "sampler: examplesPerClass \(examplesPerClass) < 1")
    precondition(stepsPerEpoch >= 1, "sampler: stepsPerEpoch \(stepsPerEpoch) < 1")
    if let totalExamplesPerClass {
      precondition(totalExamplesPerClass >= 1, "sampler: totalExamplesPerClass < 1")
    }
    guard !labels.isEmpty else { throw .noExamples }
    var byClass: [Int: [Int]] = [:]
    for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
    let chosen: [Int]
    if let classList {
      for label in classList where byClass[label] == nil { throw .emptyClass(label: label) }
      chosen = Array(Set(classList)).sorted()
    } else {
      chosen = byClass.keys.sorted()
    }
    guard classesPerBatch <= chosen.count else {
      throw .tooManyClasses(requested: classesPerBatch, available: chosen.count)
    }
    var generator = SplitMix64.sampling(seed: seed, epoch: 0, stream: 1)
    var members: [[Int]] = []
    for label in chosen {
      var indices = byClass[label]!
      if let limit = totalExamplesPerClass, indices.count > limit {
        indices = distinctPositions(limit, of: indices.count, using: &generator)
          .map { indices[$0] }.sorted()
      }
      if replacement == .never && indices.count < examplesPerClass {
        throw .classTooSmall(label: label, examples: indices.count, required: examplesPerClass)
      }
      members.append(indices)
    }
    self.classes = chosen
    self.members = members
    self.classesPerBatch = classesPerBatch
    self.examplesPerClass = examplesPerClass
    self.stepsPerEpoch = stepsPerEpoch
    self.replacement = replacement
    self.seed = seed
  }

  /// Number of examples the planner draws from.
  var exampleCount: Int { members.reduce(0) { $0 + $1.count } }

  /// Every batch of `epoch`: rows grouped by class, `examplesPerClass` rows per class.
  func plan(epoch: Int) -> [IndexBatch] {
    var generator = SplitMix64.sampling(seed: seed, epoch: epoch)
    let batchSize = classesPerBatch * examplesPerClass
    return (0..<stepsPerEpoch).map { step in
      var indices: [Int] = []
      var labels: [Int] = []
      indices.reserveCapacity(batchSize)
      labels.reserveCapacity(batchSize)
      for c in distinctPositions(classesPerBatch, of: classes.count, using: &generator) {
        let pool = members[c]
        let withReplacement =
          replacement == .always || pool.count < examplesPerClass
        if withReplacement {
          for _ in 0..<examplesPerClass {
            indices.append(pool[Int.random(in: 0..<pool.count, using: &generator)])
          }
        } else {
          for p in distinctPositions(examplesPerClass, of: pool.count, using: &generator) {
            indices.append(pool[p])
          }
        }
        labels.append(contentsOf: repeatElement(classes[c], count: examplesPerClass))
      }
      return IndexBatch(epoch: epoch, step: step, indices: indices, labels: labels)
    }
  }
}
