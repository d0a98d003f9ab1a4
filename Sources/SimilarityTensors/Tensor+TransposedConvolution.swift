import SimilarityKernels

extension Tensor {
  /// Transposed 2-D convolution (TensorFlow's `conv2d_transpose`, the gradient of
  /// ``conv2d(filter:strides:padding:dilations:)`` with respect to its input) of NHWC images.
  ///
  /// The matching forward convolution maps `[batch, outputSize.0, outputSize.1, outChannels]`
  /// to this tensor's `[batch, height, width, inChannels]` with the same filter, strides,
  /// padding and dilations; that geometry must produce exactly `height × width` (so the padding
  /// sits where TensorFlow puts it: the odd extra row/column of `.same` at the bottom/right).
  ///
  /// - Parameters:
  ///   - filter: `[kernelHeight, kernelWidth, outChannels, inChannels]`.
  ///   - outputSize: `(height, width)` of the result.
  ///   - bias: `[outChannels]` added to every output pixel, or nil (the bias gradient is the
  ///     output gradient summed over batch and pixels).
  /// - Returns: `[batch, outputSize.0, outputSize.1, outChannels]`.
  ///
  /// Derivative: the input gradient is the forward convolution of the output gradient with the
  /// filter; the filter gradient is that convolution's filter gradient with this tensor as its
  /// output gradient.
  public func conv2dTranspose(
    filter: Tensor, outputSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilations: (Int, Int) = (1, 1), bias: Tensor? = nil
  ) -> Tensor {
    precondition(
      rank == 4 && filter.rank == 4 && filter.shape[3] == shape[3],
      "conv2dTranspose: input \(shape) (need [batch, height, width, channels]) and filter \(filter.shape) (need [kh, kw, outChannels, \(rank == 4 ? shape[3] : -1)])")
    let (outChannels, inChannels) = (filter.shape[2], filter.shape[3])
    precondition(
      bias.map { $0.shape == [outChannels] } ?? true,
      "conv2dTranspose: bias \(bias?.shape ?? []) must be [\(outChannels)]")
    let outShape = [shape[0], outputSize.0, outputSize.1, outChannels]
    let geometry = Conv2DGeometry(
      input: outShape, kernel: (filter.shape[0], filter.shape[1]), strides: strides,
      dilations: dilations, padding: padding)
    precondition(
      geometry.outputHeight == shape[1] && geometry.outputWidth == shape[2],
      "conv2dTranspose: a \(padding) convolution of \(outShape) gives \(geometry.outputHeight)×\(geometry.outputWidth), not the input's \(shape[1])×\(shape[2])")
    let n = outShape.reduce(1, *)
    let (y, w) = (scalars, filter.scalars)
    let active = n > 0 && y.count > 0 && w.count > 0
    let output = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      if active {
        y.withUnsafeBufferPointer { py in
          w.withUnsafeBufferPointer { pw in
            // The forward convolution's input is not read for an input gradient alone.
            Conv2D.backward(
              geometry, input: py.baseAddress!, filter: pw.baseAddress!,
              outputChannels: inChannels, gradient: py.baseAddress!,
              inputGradient: buffer.baseAddress!, filterGradient: nil)
          }
        }
      } else {
        for i in 0..<n { buffer[i] = 0 }
      }
      if let bias, n > 0 {
        bias.scalars.withUnsafeBufferPointer { pb in
          AffineKernels.biasActivation(
            buffer.baseAddress!, rows: n / outChannels, n: outChannels, bias: pb.baseAddress,
            relu: false)
        }
      }
      initialized = n
    }
    let (inputShape, filterShape) = (shape, filter.shape)
    let inputs = bias.map { [self, filter, $0] } ?? [self, filter]
    return Tensor.recording(shape: outShape, scalars: output, inputs: inputs) { gradient, needed in
      var dy = needed[0] ? Tensor.scratch(count: y.count, zeroed: !active) : []
      var dw = needed[1] ? Tensor.scratch(count: w.count, zeroed: !active) : []
      if active {
        y.withUnsafeBufferPointer { py in
          w.withUnsafeBufferPointer { pw in
            gradient.scalars.withUnsafeBufferPointer { pg in
              if needed[0] && needed[1] {
                // One column matrix of the gradient feeds both products.
                dy.withUnsafeMutableBufferPointer { pdy in
                  dw.withUnsafeMutableBufferPointer { pdw in
                    Conv2D.forwardAndFilterGradient(
                      geometry, input: pg.baseAddress!, filter: pw.baseAddress!,
                      outputChannels: inChannels, output: pdy.baseAddress!,
                      gradient: py.baseAddress!, filterGradient: pdw.baseAddress!)
                  }
                }
              } else if needed[0] {
                dy.withUnsafeMutableBufferPointer { pdy in
                  Conv2D.forward(
                    geometry, input: pg.baseAddress!, filter: pw.baseAddress!,
                    outputChannels: inChannels, output: pdy.baseAddress!)
                }
              } else if needed[1] {
                dw.withUnsafeMutableBufferPointer { pdw in
                  Conv2D.backward(
                    geometry, input: pg.baseAddress!, filter: pw.baseAddress!,
                    outputChannels: inChannels, gradient: py.baseAddress!, inputGradient: nil,
                    filterGradient: pdw.baseAddress!)
                }
              }
            }
          }
        }
      }
      var result: [Tensor?] = [
        needed[0] ? Tensor(shape: inputShape, scalars: dy) : nil,
        needed[1] ? Tensor(shape: filterShape, scalars: dw) : nil,
      ]
      if bias != nil {
        var db: [Float]? = nil
        if needed[2] {
          var sums = [Float](repeating: 0, count: outChannels)
          if n > 0 {
            gradient.scalars.withUnsafeBufferPointer { pg in
              sums.withUnsafeMutableBufferPointer { ps in
                ColumnSums.accumulate(pg.baseAddress!, rows: n / outChannels, columns: outChannels, into: ps.baseAddress!)
              }
            }
          }
          db = sums
        }
        result.append(db.map { Tensor(shape: [outChannels], scalars: $0) })
      }
      return result
    }
  }
}
