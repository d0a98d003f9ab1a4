import SimilarityTensors

/// A data set of equally shaped examples stored as one contiguous `[Float]`, from which
/// batches are gathered by index.
public struct ExampleMatrix: Sendable {
  /// `count × exampleShape.reduce(1, *)` values, example after example.
  public let values: [Float]
  /// The shape of one example, e.g. `[28, 28]`.
  public let exampleShape: [Int]
  /// Number of scalars in one example.
  public let exampleSize: Int

  /// - Parameters:
  ///   - values: the examples one after another.
  ///   - exampleShape: the shape of one example; `values.count` must be a multiple of its size.
  public init(values: [Float], exampleShape: [Int]) {
    let size = exampleShape.reduce(1, *)
    precondition(
      size > 0 && values.count % size == 0,
      "ExampleMatrix: \(values.count) values do not split into examples of shape \(exampleShape)")
    self.values = values
    self.exampleShape = exampleShape
    self.exampleSize = size
  }

  /// Number of examples.
  public var count: Int { values.count / exampleSize }

  /// Every example, as a `[count] + exampleShape` tensor sharing this matrix's storage.
  public var all: Tensor { Tensor(shape: [count] + exampleShape, scalars: values) }

  /// The examples at `indices`, as a `[indices.count] + exampleShape` tensor.
  public func batch<C: Collection>(_ indices: C) -> Tensor where C.Element: BinaryInteger {
    let size = exampleSize
    let scalars = [Float](unsafeUninitializedCapacity: indices.count * size) { buffer, initialized in
      values.withUnsafeBufferPointer { source in
        var offset = 0
        for index in indices {
          let row = Int(index)
          precondition(row >= 0 && row < count, "ExampleMatrix.batch: index \(row) outside 0..<\(count)")
          (buffer.baseAddress! + offset).update(from: source.baseAddress! + row * size, count: size)
          offset += size
        }
      }
      initialized = indices.count * size
    }
    return Tensor(shape: [indices.count] + exampleShape, scalars: scalars)
  }
}
