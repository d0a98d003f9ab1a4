import SimilarityKernels

extension Tensor {
  /// 2-D convolution (cross-correlation, as in TensorFlow/Keras) of NHWC images with an HWIO
  /// filter.
  ///
  /// - Parameters:
  ///   - filter: `[kernelHeight, kernelWidth, inputChannels, outputChannels]`.
  ///   - strides: `(height, width)` steps of the window.
  ///   - padding: `.valid` or `.same` (TensorFlow: the odd extra row/column of `.same` padding
  ///     goes at the bottom/right).
  ///   - dilations: `(height, width)` spacing of the filter taps.
  /// - Returns: `[batch, outputHeight, outputWidth, outputChannels]`.
  public func conv2d(
    filter: Tensor, strides: (Int, Int) = (1, 1), padding: Padding = .valid,
    dilations: (Int, Int) = (1, 1)
  ) -> Tensor {
    conv2d(filter: filter, bias: nil, relu: false, strides: strides, padding: padding, dilations: dilations)
  }

  /// `relu(conv2d(filter) + bias)` (or without ReLU / bias) as one primitive: the bias and ReLU
  /// are applied to each output tile while it is in registers, and the backward pass takes the
  /// ReLU mask and the bias gradient while it reads the output gradient, instead of three
  /// passes over the activations each way. Same values and gradients as the composite.
  ///
  /// - Parameters:
  ///   - filter: `[kernelHeight, kernelWidth, inputChannels, outputChannels]`.
  ///   - bias: `[outputChannels]`, or nil.
  ///   - relu: whether to apply `max(·, 0)` last.
  /// - Returns: `[batch, outputHeight, outputWidth, outputChannels]`.
  ///
  /// Derivative: with `G` the output gradient masked where the output is not positive (when
  /// `relu`), the input gradient is col2im(`G • Wᵀ`), the filter gradient `colsᵀ • G`, the bias
  /// gradient the sum of `G` over batch and pixels.
  public func conv2d(
    filter: Tensor, bias: Tensor?, relu: Bool, strides: (Int, Int) = (1, 1),
    padding: Padding = .valid, dilations: (Int, Int) = (1, 1)
  ) -> Tensor {
    precondition(
      rank == 4 && filter.rank == 4 && filter.shape[2] == shape[3],
      "conv2d: input \(shape) (need [batch, height, width, channels]) and filter \(filter.shape) (need [kh, kw, \(rank == 4 ? shape[3] : -1), cout])")
    precondition(
      bias.map { $0.shape == [filter.shape[3]] } ?? true,
      "conv2d: bias \(bias?.shape ?? []) must be [\(filter.shape[3])], one per output channel")
    let geometry = Conv2DGeometry(
      input: shape, kernel: (filter.shape[0], filter.shape[1]), strides: strides,
      dilations: dilations, padding: padding)
    let outputChannels = filter.shape[3]
    let outShape = [geometry.batch, geometry.outputHeight, geometry.outputWidth, outputChannels]
    let n = outShape.reduce(1, *)
    let (x, w, b) = (scalars, filter.scalars, bias?.scalars ?? [])
    let active = n > 0 && x.count > 0 && w.count > 0
    let output = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      x.withUnsafeBufferPointer { px in
        w.withUnsafeBufferPointer { pw in
          b.withUnsafeBufferPointer { pb in
            if active {
              Conv2D.forward(
                geometry, input: px.baseAddress!, filter: pw.baseAddress!,
                outputChannels: outputChannels, bias: bias == nil ? nil : pb.baseAddress,
                relu: relu, output: buffer.baseAddress!)
            } else {
              // An empty window sum: the bias (after ReLU) in every pixel.
              for i in 0..<n {
                let value = bias == nil ? 0 : b[i % outputChannels]
                buffer[i] = relu ? Swift.max(value, 0) : value
              }
            }
          }
        }
      }
      initialized = n
    }
    let (inputShape, filterShape) = (shape, filter.shape)
    let inputs = bias.map { [self, filter, $0] } ?? [self, filter]
    return Tensor.recording(shape: outShape, scalars: output, inputs: inputs) { gradient, needed in
      // Conv2D.backward overwrites every gradient entirely, so they start uninitialised.
      let wantsBias = bias != nil && needed[2]
      var dx = needed[0] ? Tensor.scratch(count: x.count, zeroed: !active) : []
      var dw = needed[1] ? Tensor.scratch(count: w.count, zeroed: !active) : []
      var db = wantsBias ? Tensor.scratch(count: outputChannels, zeroed: !active) : []
      if active {
        x.withUnsafeBufferPointer { px in
          w.withUnsafeBufferPointer { pw in
            output.withUnsafeBufferPointer { py in
              gradient.scalars.withUnsafeBufferPointer { pg in
                dx.withUnsafeMutableBufferPointer { pdx in
                  dw.withUnsafeMutableBufferPointer { pdw in
                    db.withUnsafeMutableBufferPointer { pdb in
                      Conv2D.backward(
                        geometry, input: px.baseAddress!, filter: pw.baseAddress!,
                        outputChannels: outputChannels, output: relu ? py.baseAddress! : nil,
                        gradient: pg.baseAddress!,
                        inputGradient: needed[0] ? pdx.baseAddress : nil,
                        filterGradient: needed[1] ? pdw.baseAddress : nil,
                        biasGradient: wantsBias ? pdb.baseAddress : nil)
                    }
                  }
                }
              }
            }
          }
        }
      } else if wantsBias {
        for i in 0..<gradient.count where !relu || output[i] > 0 {
          db[i % outputChannels] += gradient.scalars[i]
        }
      }
      var result: [Tensor?] = [
        needed[0] ? Tensor(shape: inputShape, scalars: dx) : nil,
        needed[1] ? Tensor(shape: filterShape, scalars: dw) : nil,
      ]
      if bias != nil { result.append(wantsBias ? Tensor(shape: [outputChannels], scalars: db) : nil) }
      return result
    }
  }

  /// An array of `count` scalars to be overwritten, zero-filled only when `zeroed`.
  static func scratch(count: Int, zeroed: Bool) -> [Float] {
    if zeroed { return [Float](repeating: 0, count: count) }
    return [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }

  /// Max pooling of NHWC images (`[batch, height, width, channels]`); padded positions never
  /// win. Derivative: each output gradient goes to the input element that was the maximum.
  public func maxPool2d(
    poolSize: (Int, Int), strides: (Int, Int), padding: Padding = .valid
  ) -> Tensor {
    precondition(rank == 4, "maxPool2d: input must be [batch, height, width, channels], got \(shape)")
    let g = Conv2DGeometry(input: shape, kernel: poolSize, strides: strides, padding: padding)
    let outShape = [g.batch, g.outputHeight, g.outputWidth, g.channels]
    let perImage = g.outputPixels * g.channels
    let n = g.batch * perImage
    var positions = [Int32](repeating: 0, count: n)
    var output = [Float](repeating: 0, count: n)
    if n > 0 {
      scalars.withUnsafeBufferPointer { px in
        output.withUnsafeMutableBufferPointer { po in
          positions.withUnsafeMutableBufferPointer { pp in
            let (x, o, p) = (px.baseAddress!, po.baseAddress!, pp.baseAddress!)
            ThreadPool.shared.parallelForChunks(g.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(g.imageSize, 1))) { images in
              for i in images {
                Pooling.maxForward(g, image: x + i * g.imageSize, output: o + i * perImage, positions: p + i * perImage)
              }
            }
          }
        }
      }
    }
    let (inputShape, inputCount) = (shape, count)
    let winners = positions
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      var dx = [Float](repeating: 0, count: inputCount)
      if n > 0 {
        gradient.scalars.withUnsafeBufferPointer { pg in
          winners.withUnsafeBufferPointer { pp in
            dx.withUnsafeMutableBufferPointer { pdx in
              let (gr, p, d) = (pg.baseAddress!, pp.baseAddress!, pdx.baseAddress!)
              ThreadPool.shared.parallelForChunks(g.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(g.imageSize, 1))) { images in
                for i in images {
                  Pooling.maxBackward(
                    count: perImage, gradient: gr + i * perImage, positions: p + i * perImage,
                    imageGradient: d + i * g.imageSize)
                }
              }
            }
          }
        }
      }
      return [Tensor(shape: inputShape, scalars: dx)]
    }
  }

  /// Average pooling of NHWC images; with `.same` padding each window is divided by its number
  /// of valid elements (Keras). Derivative: each output gradient spread evenly over its window.
  public func averagePool2d(
    poolSize: (Int, Int), strides: (Int, Int), padding: Padding = .valid
  ) -> Tensor {
    precondition(rank == 4, "averagePool2d: input must be [batch, height, width, channels], got \(shape)")
    let g = Conv2DGeometry(input: shape, kernel: poolSize, strides: strides, padding: padding)
    let outShape = [g.batch, g.outputHeight, g.outputWidth, g.channels]
    let perImage = g.outputPixels * g.channels
    let n = g.batch * perImage
    var output = [Float](repeating: 0, count: n)
    if n > 0 {
      scalars.withUnsafeBufferPointer { px in
        output.withUnsafeMutableBufferPointer { po in
          let (x, o) = (px.baseAddress!, po.baseAddress!)
          ThreadPool.shared.parallelForChunks(g.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(g.imageSize, 1))) { images in
            for i in images {
              Pooling.averageForward(g, image: x + i * g.imageSize, output: o + i * perImage)
            }
          }
        }
      }
    }
    let (inputShape, inputCount) = (shape, count)
    return Tensor.recording(shape: outShape, scalars: output, inputs: [self]) { gradient, _ in
      var dx = [Float](repeating: 0, count: inputCount)
      if n > 0 {
        gradient.scalars.withUnsafeBufferPointer { pg in
          dx.withUnsafeMutableBufferPointer { pdx in
            let (gr, d) = (pg.baseAddress!, pdx.baseAddress!)
            ThreadPool.shared.parallelForChunks(g.batch, minimumChunk: Swift.max(1, 16_384 / Swift.max(g.imageSize, 1))) { images in
              for i in images {
                Pooling.averageBackward(g, gradient: gr + i * perImage, imageGradient: d + i * g.imageSize)
              }
            }
          }
        }
      }
      return [Tensor(shape: inputShape, scalars: dx)]
    }
  }
}
