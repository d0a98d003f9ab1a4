import SimilarityKernels

extension Tensor {
  /// Depthwise 2-D convolution (TensorFlow's `depthwise_conv2d`) of NHWC images: input channel
  /// `c` is cross-correlated with its own `multiplier` filters, giving output channels
  /// `c·multiplier ..< (c + 1)·multiplier`; then the bias, if any, is added.
  ///
  /// - Parameters:
  ///   - filter: `[kernelHeight, kernelWidth, channels, multiplier]`.
  ///   - bias: `[channels · multiplier]`, or nil.
  ///   - strides: `(height, width)` steps of the window.
  ///   - padding: `.valid` or `.same` (the odd extra row/column at the bottom/right).
  ///   - dilations: `(height, width)` spacing of the filter taps.
  /// - Returns: `[batch, outputHeight, outputWidth, channels · multiplier]`.
  ///
  /// Derivative: the input gradient scatters each output gradient back through its window's
  /// taps (summed over the multiplier's copies of a channel), the filter gradient correlates
  /// the input with the output gradient per channel, the bias gradient sums the output
  /// gradient over batch and pixels (`DepthwiseConvolution.backward`).
  public func depthwiseConv2d(
    filter: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilations: (Int, Int) = (1, 1)
  ) -> Tensor {
    precondition(
      rank == 4 && filter.rank == 4 && filter.shape[2] == shape[3],
      "depthwiseConv2d: input \(shape) (need [batch, height, width, channels]) and filter \(filter.shape) (need [kh, kw, \(rank == 4 ? shape[3] : -1), multiplier])")
    let multiplier = filter.shape[3]
    let outputChannels = shape[3] * multiplier
    precondition(
      bias.map { $0.shape == [outputChannels] } ?? true,
      "depthwiseConv2d: bias \(bias?.shape ?? []) must be [\(outputChannels)]")
    let geometry = Conv2DGeometry(
      input: shape, kernel: (filter.shape[0], filter.shape[1]), strides: strides,
      dilations: dilations, padding: padding)
    let outShape = [geometry.batch, geometry.outputHeight, geometry.outputWidth, outputChannels]
    let n = outShape.reduce(1, *)
    let (x, w, b) = (scalars, filter.scalars, bias?.scalars ?? [])
    let active = n > 0 && x.count > 0 && w.count > 0
    let output = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      if active {
        x.withUnsafeBufferPointer { px in
          w.withUnsafeBufferPointer { pw in
            b.withUnsafeBufferPointer { pb in
              DepthwiseConvolution.forward(
                geometry, multiplier: multiplier, input: px.baseAddress!, filter: pw.baseAddress!,
                bias: bias == nil ? nil : pb.baseAddress, output: buffer.baseAddress!)
            }
          }
        }
      } else {
        for i in 0..<n { buffer[i] = bias == nil ? 0 : b[i % outputChannels] }
      }
      initialized = n
    }
    let (inputShape, filterShape) = (shape, filter.shape)
    let inputs = bias.map { [self, filter, $0] } ?? [self, filter]
    return Tensor.recording(shape: outShape, scalars: output, inputs: inputs) { gradient, needed in
      let wantsBias = bias != nil && needed[2]
      var dx = needed[0] ? Tensor.scratch(count: x.count, zeroed: !active) : []
      var dw = needed[1] ? Tensor.scratch(count: w.count, zeroed: !active) : []
      var db = wantsBias ? Tensor.scratch(count: outputChannels, zeroed: !active) : []
      if active {
        x.withUnsafeBufferPointer { px in
          w.withUnsafeBufferPointer { pw in
            gradient.scalars.withUnsafeBufferPointer { pg in
              dx.withUnsafeMutableBufferPointer { pdx in
                dw.withUnsafeMutableBufferPointer { pdw in
                  db.withUnsafeMutableBufferPointer { pdb in
                    DepthwiseConvolution.backward(
                      geometry, multiplier: multiplier, input: px.baseAddress!,
                      filter: pw.baseAddress!, gradient: pg.baseAddress!,
                      inputGradient: needed[0] ? pdx.baseAddress : nil,
                      filterGradient: needed[1] ? pdw.baseAddress : nil,
                      biasGradient: wantsBias ? pdb.baseAddress : nil)
                  }
                }
              }
            }
          }
        }
      } else if wantsBias {
        for i in 0..<gradient.count { db[i % outputChannels] += gradient.scalars[i] }
      }
      var result: [Tensor?] = [
        needed[0] ? Tensor(shape: inputShape, scalars: dx) : nil,
        needed[1] ? Tensor(shape: filterShape, scalars: dw) : nil,
      ]
      if bias != nil { result.append(wantsBias ? Tensor(shape: [outputChannels], scalars: db) : nil) }
      return result
    }
  }
}
