extension Tensor {
  /// Copies `[outer, count, inner]` blocks: for every `o` and output position `j`, `inner`
  /// scalars from source position `sourceIndex(j)` along the middle axis.
  @inline(__always)
  static func copyBlocks(
    from source: UnsafePointer<Float>, sourceExtent: Int,
    to destination: UnsafeMutablePointer<Float>, destinationExtent: Int,
    outer: Int, inner: Int, count: Int, accumulate: Bool = false,
    _ positions: (Int) -> (source: Int, destination: Int)
  ) {
    for o in 0..<outer {
      for j in 0..<count {
        let (s, d) = positions(j)
        let from = source + (o * sourceExtent + s) * inner
        let to = destination + (o * destinationExtent + d) * inner
        if accumulate {
          for i in 0..<inner { to[i] += from[i] }
        } else {
          to.update(from: from, count: inner)
        }
      }
    }
  }

  /// The slices at `indices` along `axis` (repeats allowed), in that order.
  /// Derivative: the gradient slices are added back at their indices.
  public func gathering(indices: [Int], alongAxis axis: Int = 0) -> Tensor {
    let axis = normalizedAxis(axis, "gathering(indices:alongAxis:)")
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    for index in indices {
      precondition(
        index >= 0 && index < extent,
        "gathering: index \(index) out of range 0..<\(extent) along axis \(axis) of \(shape)")
    }
    var outShape = shape
    outShape[axis] = indices.count
    var output = [Float](repeating: 0, count: outShape.reduce(1, *))
    scalars.withUnsafeBufferPointer { s in
      output.withUnsafeMutableBufferPointer { d in
        guard let source = s.baseAddress, let destination = d.baseAddress else { return }
        Tensor.copyBlocks(
          from: source, sourceExtent: extent, to: destination, destinationExtent: indices.count,
          outer: outer, inner: inner, count: indices.count) { (indices[$0], $0) }
      }
    }
    let shape = self.shape
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { g, _ in
      var dx = [Float](repeating: 0, count: shape.reduce(1, *))
      g.scalars.withUnsafeBufferPointer { s in
        dx.withUnsafeMutableBufferPointer { d in
          guard let source = s.baseAddress, let destination = d.baseAddress else { return }
          Tensor.copyBlocks(
            from: source, sourceExtent: indices.count, to: destination, destinationExtent: extent,
            outer: outer, inner: inner, count: indices.count, accumulate: true) { ($0, indices[$0]) }
        }
      }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }

  /// The slices `range` along `axis`. Derivative: the gradient placed back, zeros elsewhere.
  public func slicing(_ range: Range<Int>, alongAxis axis: Int = 0) -> Tensor {
    let axis = normalizedAxis(axis, "slicing(_:alongAxis:)")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slicing: range \(range) out of bounds along axis \(axis) of shape \(shape)")
    if range == 0..<shape[axis] { return self }
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    var outShape = shape
    outShape[axis] = range.count
    var output = [Float](repeating: 0, count: outShape.reduce(1, *))
    scalars.withUnsafeBufferPointer { s in
      output.withUnsafeMutableBufferPointer { d in
        guard let source = s.baseAddress, let destination = d.baseAddress else { return }
        Tensor.copyBlocks(
          from: source, sourceExtent: extent, to: destination, destinationExtent: range.count,
          outer: outer, inner: inner, count: range.count) { (range.lowerBound + $0, $0) }
      }
    }
    let shape = self.shape
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { g, _ in
      var dx = [Float](repeating: 0, count: shape.reduce(1, *))
      g.scalars.withUnsafeBufferPointer { s in
        dx.withUnsafeMutableBufferPointer { d in
          guard let source = s.baseAddress, let destination = d.baseAddress else { return }
          Tensor.copyBlocks(
            from: source, sourceExtent: range.count, to: destination, destinationExtent: extent,
            outer: outer, inner: inner, count: range.count) { ($0, range.lowerBound + $0) }
        }
      }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }

  /// Consecutive pieces of the given extents along `axis` (they must add up to its extent).
  public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
    let axis = normalizedAxis(axis, "split(sizes:alongAxis:)")
    precondition(
      sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[axis],
      "split: sizes \(sizes) do not add up to axis \(axis) of shape \(shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return slicing(start..<(start + size), alongAxis: axis)
    }
  }

  /// `count` equal pieces along `axis` (its extent must be divisible by `count`).
  public func split(count: Int, alongAxis axis: Int = 0) -> [Tensor] {
    let axis = normalizedAxis(axis, "split(count:alongAxis:)")
    precondition(
      count > 0 && shape[axis] % count == 0,
      "split: axis \(axis) of shape \(shape) does not split into \(count) equal pieces")
    return split(sizes: Array(repeating: shape[axis] / count, count: count), alongAxis: axis)
  }

  /// The tensors joined along `axis`; all other extents must agree.
  /// Derivative: each input gets its slice of the gradient.
  public static func concatenated(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "concatenated: no tensors")
    let first = tensors[0]
    let axis = first.normalizedAxis(axis, "concatenated(_:alongAxis:)")
    for t in tensors {
      precondition(
        t.rank == first.rank
          && t.shape.enumerated().allSatisfy { $0.offset == axis || $0.element == first.shape[$0.offset] },
        "concatenated: shape \(t.shape) does not match \(first.shape) outside axis \(axis)")
    }
    if tensors.count == 1 { return first }
    let extents = tensors.map { $0.shape[axis] }
    let total = extents.reduce(0, +)
    let (outer, _, inner) = split(first.shape, at: axis)
    var outShape = first.shape
    outShape[axis] = total
    var output = [Float](repeating: 0, count: outShape.reduce(1, *))
    var start = 0
    for (t, extent) in zip(tensors, extents) {
      let offset = start
      t.scalars.withUnsafeBufferPointer { s in
        output.withUnsafeMutableBufferPointer { d in
          guard let source = s.baseAddress, let destination = d.baseAddress else { return }
          copyBlocks(
            from: source, sourceExtent: extent, to: destination, destinationExtent: total,
            outer: outer, inner: inner, count: extent) { ($0, offset + $0) }
        }
      }
      start += extent
    }
    return recording(shape: outShape, scalars: output, inputs: tensors) { g, needed in
      var start = 0
      return extents.enumerated().map { k, extent in
        defer { start += extent }
        return needed[k] ? g.slicing(start..<(start + extent), alongAxis: axis) : nil
      }
    }
  }

  /// The tensors (all of one shape) stacked along a new axis `axis`.
  public static func stacked(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "stacked: no tensors")
    for t in tensors {
      precondition(t.shape == tensors[0].shape, "stacked: shape \(t.shape) != \(tensors[0].shape)")
    }
    return concatenated(tensors.map { $0.expandingShape(at: axis) }, alongAxis: axis)
  }
}
