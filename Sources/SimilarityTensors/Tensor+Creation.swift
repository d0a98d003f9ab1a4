import SimilarityKernels

extension Tensor {
  /// Uniform random values in `[lowerBound, upperBound)`.
  public static func randomUniform(
    shape: [Int], lowerBound: Float = 0, upperBound: Float = 1,
    using generator: inout SplitMix64
  ) -> Tensor {
    let n = shape.reduce(1, *)
    let width = upperBound - lowerBound
    var values = [Float](repeating: 0, count: n)
    for i in 0..<n { values[i] = lowerBound + width * generator.nextUnitFloat() }
    return Tensor(shape: shape, scalars: values)
  }

  /// Normally distributed random values.
  public static func randomNormal(
    shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    using generator: inout SplitMix64
  ) -> Tensor {
    let n = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: n)
    for i in 0..<n { values[i] = mean + standardDeviation * generator.nextNormal() }
    return Tensor(shape: shape, scalars: values)
  }

  /// `[labels.count, depth]`: row `i` is 1 at column `labels[i]`, 0 elsewhere.
  public static func oneHot(_ labels: [Int], depth: Int) -> Tensor {
    var values = [Float](repeating: 0, count: labels.count * depth)
    for (row, label) in labels.enumerated() {
      precondition(label >= 0 && label < depth, "oneHot: label \(label) outside 0..<\(depth)")
      values[row * depth + label] = 1
    }
    return Tensor(shape: [labels.count, depth], scalars: values)
  }

  /// A tensor of the same shape filled with zeros.
  public var zerosLike: Tensor { Tensor.zeros(shape) }

  /// A tensor of the same shape filled with ones.
  public var onesLike: Tensor { Tensor.ones(shape) }
}
