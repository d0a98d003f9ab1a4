import SimilarityKernels

extension Tensor {
  /// Slices of this tensor along `axis`, in the order of `indices`, with zeros for an index
  /// outside `0 ..< shape[axis]` (the padding of a window op along that axis).
  ///
  /// - Returns: this shape with `indices.count` slices along `axis`.
  ///
  /// Derivative: ``scatteringSlices(_:alongAxis:count:)`` of the output gradient (slices read
  /// more than once get the sum of their gradients; padding gets none).
  public func selectingSlices(_ indices: [Int], alongAxis axis: Int) -> Tensor {
    precondition(axis >= 0 && axis < rank, "selectingSlices: axis \(axis) out of range for \(shape)")
    let extent = shape[axis]
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    var outShape = shape
    outShape[axis] = indices.count
    let n = outer * indices.count * inner
    let source = scalars
    let output = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      source.withUnsafeBufferPointer { x in
        for o in 0..<outer {
          for (j, index) in indices.enumerated() {
            let destination = buffer.baseAddress! + (o * indices.count + j) * inner
            if index >= 0 && index < extent {
              destination.update(from: x.baseAddress! + (o * extent + index) * inner, count: inner)
            } else {
              destination.update(repeating: 0, count: inner)
            }
          }
        }
      }
      initialized = n
    }
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      [gradient.scatteringSlices(indices, alongAxis: axis, count: extent)]
    }
  }

  /// The adjoint of ``selectingSlices(_:alongAxis:)``: a tensor with `count` slices along
  /// `axis`, where slice `indices[j]` is the sum of this tensor's slices `j` that name it;
  /// slices named by no index are zero, and an index outside `0 ..< count` drops its slice.
  ///
  /// - Parameter indices: one per slice of this tensor along `axis`.
  /// - Returns: this shape with `count` slices along `axis`.
  ///
  /// Derivative: ``selectingSlices(_:alongAxis:)`` of the output gradient.
  public func scatteringSlices(_ indices: [Int], alongAxis axis: Int, count: Int) -> Tensor {
    precondition(
      axis >= 0 && axis < rank && shape[axis] == indices.count && count >= 0,
      "scatteringSlices: \(indices.count) indices for axis \(axis) of \(shape)")
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    var outShape = shape
    outShape[axis] = count
    var output = [Float](repeating: 0, count: outer * count * inner)
    scalars.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          for (j, index) in indices.enumerated() where index >= 0 && index < count {
            let source = x.baseAddress! + (o * indices.count + j) * inner
            let destination = y.baseAddress! + (o * count + index) * inner
            for k in 0..<inner { destination[k] += source[k] }
          }
        }
      }
    }
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      [gradient.selectingSlices(indices, alongAxis: axis)]
    }
  }
}

extension Tensor {
  /// Several ``selectingSlices(_:alongAxis:)`` at once, concatenated along the last axis: tap
  /// `t` selects slices `taps[t]` along `axis` (zeros outside `0 ..< shape[axis]`) and becomes
  /// channels `t·C ..< (t + 1)·C` (C = the last extent). One pass instead of one selection per
  /// tap and a concatenation: the depth taps of a 3-D convolution.
  ///
  /// - Parameter taps: equally long index lists (`axis` < the last axis).
  /// - Returns: this shape with `taps[0].count` slices along `axis` and `taps.count · C` last.
  ///
  /// Derivative: each output channel block added back onto the slice it came from.
  public func selectingSlicesIntoChannels(_ taps: [[Int]], alongAxis axis: Int) -> Tensor {
    precondition(
      axis >= 0 && axis < rank - 1 && !taps.isEmpty && taps.allSatisfy { $0.count == taps[0].count },
      "selectingSlicesIntoChannels: axis \(axis) of \(shape) with \(taps.count) tap lists")
    let (extent, count, channels) = (shape[axis], taps[0].count, shape[rank - 1])
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)..<(rank - 1)].reduce(1, *)
    let width = taps.count * channels
    var outShape = shape
    outShape[axis] = count
    outShape[rank - 1] = width
    let n = outer * count * inner * width
    let source = scalars
    let output = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      source.withUnsafeBufferPointer { x in
        let (px, py) = (x.baseAddress, buffer.baseAddress)
        ThreadPool.shared.parallelForChunks(outer * count, minimumChunk: Swift.max(1, 16_384 / Swift.max(inner * width, 1))) { rows in
          for row in rows {
            let (o, j) = row.quotientAndRemainder(dividingBy: count)
            for (t, indices) in taps.enumerated() {
              let index = indices[j]
              for p in 0..<inner {
                let destination = py! + ((row * inner + p) * width + t * channels)
                if index >= 0 && index < extent {
                  destination.update(from: px! + ((o * extent + index) * inner + p) * channels, count: channels)
                } else {
                  destination.update(repeating: 0, count: channels)
                }
              }
            }
          }
        }
      }
      initialized = n
    }
    let inputShape = shape
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      var dx = [Float](repeating: 0, count: outer * extent * inner * channels)
      gradient.scalars.withUnsafeBufferPointer { g in
        dx.withUnsafeMutableBufferPointer { d in
          let (pg, pd) = (g.baseAddress, d.baseAddress)
          ThreadPool.shared.parallelForChunks(outer) { blocks in
            for o in blocks {
              for j in 0..<count {
                for (t, indices) in taps.enumerated() {
                  let index = indices[j]
                  guard index >= 0 && index < extent else { continue }
                  for p in 0..<inner {
                    let from = pg! + (((o * count + j) * inner + p) * width + t * channels)
                    let to = pd! + ((o * extent + index) * inner + p) * channels
                    for c in 0..<channels { to[c] += from[c] }
                  }
                }
              }
            }
          }
        }
      }
      return [Tensor(shape: inputShape, scalars: dx)]
    }
  }
}

extension Tensor {
  /// The adjoint of ``selectingSlicesIntoChannels(_:alongAxis:)``: channel block `t` of the
  /// last axis (C = the last extent / `taps.count` channels each) is added onto slices
  /// `taps[t]` of a tensor with `count` slices along `axis`; indices outside `0 ..< count` are
  /// dropped. The scatter of a transposed 3-D convolution's depth taps.
  ///
  /// - Returns: this shape with `count` slices along `axis` and `C` last.
  ///
  /// Derivative: ``selectingSlicesIntoChannels(_:alongAxis:)`` of the output gradient.
  public func scatteringChannelsIntoSlices(_ taps: [[Int]], alongAxis axis: Int, count: Int) -> Tensor {
    precondition(
      axis >= 0 && axis < rank - 1 && !taps.isEmpty && shape[rank - 1] % taps.count == 0
        && taps.allSatisfy { $0.count == shape[axis] } && count >= 0,
      "scatteringChannelsIntoSlices: axis \(axis) of \(shape) with \(taps.count) tap lists")
    let (extent, width) = (shape[axis], shape[rank - 1])
    let channels = width / taps.count
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)..<(rank - 1)].reduce(1, *)
    var outShape = shape
    outShape[axis] = count
    outShape[rank - 1] = channels
    var output = [Float](repeating: 0, count: outer * count * inner * channels)
    scalars.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        let (px, py) = (x.baseAddress, y.baseAddress)
        ThreadPool.shared.parallelForChunks(outer) { blocks in
          for o in blocks {
            for j in 0..<extent {
              for (t, indices) in taps.enumerated() {
                let index = indices[j]
                guard index >= 0 && index < count else { continue }
                for p in 0..<inner {
                  let from = px! + (((o * extent + j) * inner + p) * width + t * channels)
                  let to = py! + ((o * count + index) * inner + p) * channels
                  for c in 0..<channels { to[c] += from[c] }
                }
              }
            }
          }
        }
      }
    }
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      [gradient.selectingSlicesIntoChannels(taps, alongAxis: axis)]
    }
  }
}
