import SimilarityKernels

extension Tensor {
  /// Max pooling of channels-last volumes `[batch, depth, height, width, channels]` →
  /// `[batch, outDepth, outHeight, outWidth, channels]`; padded positions never win, ties go
  /// to the first element in window order. Derivative: each output gradient goes to the input
  /// element that was the maximum.
  public func maxPool3d(
    poolSize: (Int, Int, Int), strides: (Int, Int, Int), padding: Padding = .valid
  ) -> Tensor {
    precondition(rank == 5, "maxPool3d: input must be [batch, depth, height, width, channels], got \(shape)")
    let g = Pooling3DGeometry(input: shape, poolSize: poolSize, strides: strides, padding: padding)
    precondition(g.volumeSize <= Int(Int32.max), "maxPool3d: volumes of \(g.volumeSize) elements exceed Int32 offsets")
    let perVolume = g.outputVolumeSize
    let n = g.batch * perVolume
    var positions = Tensor.uninitializedPositions(count: n)
    var output = Tensor.scratch(count: n, zeroed: false)
    if n > 0 {
      scalars.withUnsafeBufferPointer { px in
        output.withUnsafeMutableBufferPointer { po in
          positions.withUnsafeMutableBufferPointer { pp in
            let (x, o, p) = (px.baseAddress!, po.baseAddress!, pp.baseAddress!)
            Tensor.forEachRowBlock(g) { volume, r0, r1 in
              g.maxPool(
                volume: x + volume * g.volumeSize, rows: r0..<r1, output: o + volume * perVolume,
                positions: p + volume * perVolume)
            }
          }
        }
      }
    }
    let (inputShape, inputCount) = (shape, count)
    let winners = positions
    return Tensor.recording(shape: g.outputShape, scalars: output, inputs: [self]) { gradient, _ in
      // Exactly tiled windows: one pass stores every element (winner's gradient or zero).
      let tiled = g.tilesExactly && n > 0
      var dx = Tensor.scratch(count: inputCount, zeroed: !tiled)
      if tiled {
        gradient.scalars.withUnsafeBufferPointer { pg in
          winners.withUnsafeBufferPointer { pp in
            dx.withUnsafeMutableBufferPointer { pdx in
              let (gr, p, d) = (pg.baseAddress!, pp.baseAddress!, pdx.baseAddress!)
              Tensor.forEachRowBlock(g) { volume, r0, r1 in
                g.maxPoolBackwardTiled(
                  gradient: gr + volume * perVolume, positions: p + volume * perVolume,
                  rows: r0..<r1, inputGradient: d + volume * g.volumeSize)
              }
            }
          }
        }
      } else if n > 0 {
        gradient.scalars.withUnsafeBufferPointer { pg in
          winners.withUnsafeBufferPointer { pp in
            dx.withUnsafeMutableBufferPointer { pdx in
              let (gr, p, d) = (pg.baseAddress!, pp.baseAddress!, pdx.baseAddress!)
              Tensor.forEachVolume(g) { i in
                Pooling.maxBackward(
                  count: perVolume, gradient: gr + i * perVolume, positions: p + i * perVolume,
                  imageGradient: d + i * g.volumeSize)
              }
            }
          }
        }
      }
      return [Tensor(shape: inputShape, scalars: dx)]
    }
  }

  /// Average pooling of channels-last volumes; each window is divided by its number of valid
  /// (unpadded) elements, as TensorFlow does for `same` padding. Derivative: each output
  /// gradient spread evenly over its window's valid elements.
  public func averagePool3d(
    poolSize: (Int, Int, Int), strides: (Int, Int, Int), padding: Padding = .valid
  ) -> Tensor {
    precondition(rank == 5, "averagePool3d: input must be [batch, depth, height, width, channels], got \(shape)")
    let g = Pooling3DGeometry(input: shape, poolSize: poolSize, strides: strides, padding: padding)
    let perVolume = g.outputVolumeSize
    let n = g.batch * perVolume
    var output = Tensor.scratch(count: n, zeroed: false)
    if n > 0 {
      scalars.withUnsafeBufferPointer { px in
        output.withUnsafeMutableBufferPointer { po in
          let (x, o) = (px.baseAddress!, po.baseAddress!)
          Tensor.forEachRowBlock(g) { volume, r0, r1 in
            g.averagePool(
              volume: x + volume * g.volumeSize, rows: r0..<r1, output: o + volume * perVolume)
          }
        }
      }
    }
    let (inputShape, inputCount) = (shape, count)
    return Tensor.recording(shape: g.outputShape, scalars: output, inputs: [self]) { gradient, _ in
      // Exactly tiled windows store every element once: no zero-filling first.
      let assign = g.tilesExactly && n > 0
      var dx = Tensor.scratch(count: inputCount, zeroed: !assign)
      if n > 0 {
        gradient.scalars.withUnsafeBufferPointer { pg in
          dx.withUnsafeMutableBufferPointer { pdx in
            let (gr, d) = (pg.baseAddress!, pdx.baseAddress!)
            Tensor.forEachVolume(g) { i in
              g.averagePoolBackward(
                gradient: gr + i * perVolume, assign: assign, inputGradient: d + i * g.volumeSize)
            }
          }
        }
      }
      return [Tensor(shape: inputShape, scalars: dx)]
    }
  }

  /// Max pooling over the steps of `[batch, steps, channels]` (`maxPool3d` with depth and
  /// height 1). Derivative: that of `maxPool3d`.
  public func maxPool1d(poolSize: Int, stride: Int, padding: Padding = .valid) -> Tensor {
    precondition(rank == 3, "maxPool1d: input must be [batch, steps, channels], got \(shape)")
    let volumes = reshaped([shape[0], 1, 1, shape[1], shape[2]])
      .maxPool3d(poolSize: (1, 1, poolSize), strides: (1, 1, stride), padding: padding)
    return volumes.reshaped([shape[0], volumes.shape[3], shape[2]])
  }

  /// Average pooling over the steps of `[batch, steps, channels]` (`averagePool3d` with depth
  /// and height 1). Derivative: that of `averagePool3d`.
  public func averagePool1d(poolSize: Int, stride: Int, padding: Padding = .valid) -> Tensor {
    precondition(rank == 3, "averagePool1d: input must be [batch, steps, channels], got \(shape)")
    let volumes = reshaped([shape[0], 1, 1, shape[1], shape[2]])
      .averagePool3d(poolSize: (1, 1, poolSize), strides: (1, 1, stride), padding: padding)
    return volumes.reshaped([shape[0], volumes.shape[3], shape[2]])
  }

  static func uninitializedPositions(count: Int) -> [Int32] {
    [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }

  /// Runs `body(volume, firstRow, endRow)` over blocks of output rows of every volume, split
  /// over the thread pool (about 16k output scalars per block).
  static func forEachRowBlock(
    _ g: Pooling3DGeometry, _ body: (Int, Int, Int) -> Void
  ) {
    let rows = g.outputRows
    let rowScalars = Swift.max(g.volume.out_w * g.volume.channels, 1)
    let rowsPerBlock = Swift.max(1, Swift.min(rows, 16_384 / rowScalars))
    let blocksPerVolume = (rows + rowsPerBlock - 1) / rowsPerBlock
    ThreadPool.shared.parallelForChunks(g.batch * blocksPerVolume, minimumChunk: 1) { blocks in
      for block in blocks {
        let (volume, part) = block.quotientAndRemainder(dividingBy: blocksPerVolume)
        let r0 = part * rowsPerBlock
        body(volume, r0, Swift.min(r0 + rowsPerBlock, rows))
      }
    }
  }

  /// Runs `body(volume)` for every volume, split over the thread pool.
  static func forEachVolume(_ g: Pooling3DGeometry, _ body: (Int) -> Void) {
    let chunk = Swift.max(1, 16_384 / Swift.max(g.volumeSize, 1))
    ThreadPool.shared.parallelForChunks(g.batch, minimumChunk: chunk) { volumes in
      for i in volumes { body(i) }
    }
  }
}
