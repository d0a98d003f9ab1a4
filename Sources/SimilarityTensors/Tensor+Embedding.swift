import SimilarityKernels

extension Tensor {
  /// Rows of a `[rows, width]` table: `[ids.count, width]`, where an id outside `0..<rows`
  /// gives a row of zeros (it reads nothing and receives no gradient).
  /// Derivative: each output row's gradient added to the table row it read.
  public func embeddingLookup(ids: [Int]) -> Tensor {
    precondition(rank == 2, "embeddingLookup: the table must be [rows, width], got \(shape)")
    let (rows, width) = (shape[0], shape[1])
    var output = [Float](repeating: 0, count: ids.count * width)
    scalars.withUnsafeBufferPointer { table in
      output.withUnsafeMutableBufferPointer { out in
        for (i, id) in ids.enumerated() where id >= 0 && id < rows {
          (out.baseAddress! + i * width).update(from: table.baseAddress! + id * width, count: width)
        }
      }
    }
    let tableShape = shape
    return Tensor.recording(shape: [ids.count, width], scalars: output, inputs: [self]) { g, _ in
      var dtable = [Float](repeating: 0, count: rows * width)
      g.scalars.withUnsafeBufferPointer { gradient in
        dtable.withUnsafeMutableBufferPointer { d in
          for (i, id) in ids.enumerated() where id >= 0 && id < rows {
            let source = gradient.baseAddress! + i * width
            let destination = d.baseAddress! + id * width
            for j in 0..<width { destination[j] += source[j] }
          }
        }
      }
      return [Tensor(shape: tableShape, scalars: dtable)]
    }
  }
}
