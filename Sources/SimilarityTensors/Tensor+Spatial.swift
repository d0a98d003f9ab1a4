import SimilarityKernels

// Spatial reshaping ops of the Keras layers ZeroPadding, Cropping and UpSampling.

extension Tensor {
  /// `before` zeros, the tensor, then `after` zeros along `axis`.
  /// Derivative: the gradient's slice at the tensor's positions.
  public func zeroPadded(before: Int, after: Int, alongAxis axis: Int) -> Tensor {
    let axis = normalizedAxis(axis, "zeroPadded(before:after:alongAxis:)")
    precondition(before >= 0 && after >= 0, "zeroPadded: padding \(before), \(after) must be ≥ 0")
    if before == 0 && after == 0 { return self }
    let (outer, extent, inner) = Tensor.split(shape, at: axis)
    var outShape = shape
    outShape[axis] = extent + before + after
    let outExtent = outShape[axis]
    var output = [Float](repeating: 0, count: outShape.reduce(1, *))
    scalars.withUnsafeBufferPointer { s in
      output.withUnsafeMutableBufferPointer { d in
        guard let source = s.baseAddress, let destination = d.baseAddress else { return }
        Tensor.copyBlocks(
          from: source, sourceExtent: extent, to: destination, destinationExtent: outExtent,
          outer: outer, inner: inner, count: extent) { ($0, before + $0) }
      }
    }
    let shape = self.shape
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { g, _ in
      var dx = [Float](repeating: 0, count: shape.reduce(1, *))
      g.scalars.withUnsafeBufferPointer { s in
        dx.withUnsafeMutableBufferPointer { d in
          guard let source = s.baseAddress, let destination = d.baseAddress else { return }
          Tensor.copyBlocks(
            from: source, sourceExtent: outExtent, to: destination, destinationExtent: extent,
            outer: outer, inner: inner, count: extent) { (before + $0, $0) }
        }
      }
      return [Tensor(shape: shape, scalars: dx)]
    }
  }

  /// Each slice along `axis` repeated `factor` times in place (nearest-neighbour upsampling,
  /// Keras `UpSampling1D/2D`). A composite of `gathering`.
  public func repeatingSlices(_ factor: Int, alongAxis axis: Int) -> Tensor {
    let axis = normalizedAxis(axis, "repeatingSlices(_:alongAxis:)")
    precondition(factor > 0, "repeatingSlices: factor \(factor) must be positive")
    if factor == 1 { return self }
    return gathering(indices: (0..<(shape[axis] * factor)).map { $0 / factor }, alongAxis: axis)
  }

  /// Linear interpolation along `axis` to `factor` times its extent with TensorFlow's
  /// half-pixel centres (`tf.image.resize(method="bilinear")`, no antialiasing): output
  /// position `o` reads source coordinate `(o + 0.5) / factor − 0.5`, clamped to the edges.
  /// A composite of `gathering`, products with constant weights and a sum.
  public func linearlyUpsampled(_ factor: Int, alongAxis axis: Int) -> Tensor {
    let axis = normalizedAxis(axis, "linearlyUpsampled(_:alongAxis:)")
    precondition(factor > 0, "linearlyUpsampled: factor \(factor) must be positive")
    if factor == 1 { return self }
    let extent = shape[axis]
    var lower = [Int](), upper = [Int](), fractions = [Float]()
    for o in 0..<(extent * factor) {
      let source = (Double(o) + 0.5) / Double(factor) - 0.5
      let floor = source.rounded(.down)
      lower.append(Swift.min(Swift.max(Int(floor), 0), extent - 1))
      upper.append(Swift.min(Swift.max(Int(source.rounded(.up)), 0), extent - 1))
      fractions.append(Float(source - floor))
    }
    var weightShape = Array(repeating: 1, count: rank)
    weightShape[axis] = fractions.count
    let t = Tensor(shape: weightShape, scalars: fractions)
    let s = Tensor(shape: weightShape, scalars: fractions.map { 1 - $0 })
    return gathering(indices: lower, alongAxis: axis) * s + gathering(indices: upper, alongAxis: axis) * t
  }
}
