import CSimilarityKernels

/// The geometry of max or average pooling over channels-last volumes
/// `[batch, depth, height, width, channels]` (C kernels in `pooling3d.c`; 1-D pooling is the
/// case depth = height = 1). `same` padding puts the odd extra position at the end of an axis,
/// as TensorFlow does.
public struct Pooling3DGeometry: Sendable {
  /// The C description of one volume's windows.
  public let volume: csim_pool3d_geometry
  /// Volumes in the batch.
  public let batch: Int

  /// - Parameters:
  ///   - input: `[batch, depth, height, width, channels]`.
  ///   - poolSize: `(depth, height, width)` of the window.
  ///   - strides: `(depth, height, width)` steps.
  public init(
    input: [Int], poolSize: (Int, Int, Int), strides: (Int, Int, Int), padding: Padding
  ) {
    precondition(
      input.count == 5, "Pooling3DGeometry: input must be [batch, depth, height, width, channels], got \(input)")
    let sizes = [poolSize.0, poolSize.1, poolSize.2]
    let steps = [strides.0, strides.1, strides.2]
    precondition(
      (sizes + steps).allSatisfy { $0 > 0 },
      "Pooling3DGeometry: poolSize \(sizes) and strides \(steps) must be positive")
    var outputs = [Int](), pads = [Int]()
    for axis in 0..<3 {
      let extent = input[axis + 1]
      switch padding {
      case .valid:
        precondition(
          extent >= sizes[axis],
          "Pooling3DGeometry: window \(sizes) larger than input \(input) with valid padding")
        outputs.append((extent - sizes[axis]) / steps[axis] + 1)
        pads.append(0)
      case .same:
        let output = (extent + steps[axis] - 1) / steps[axis]
        outputs.append(output)
        pads.append(Swift.max((output - 1) * steps[axis] + sizes[axis] - extent, 0) / 2)
      }
    }
    batch = input[0]
    volume = csim_pool3d_geometry(
      depth: input[1], height: input[2], width: input[3], channels: input[4],
      pool_d: sizes[0], pool_h: sizes[1], pool_w: sizes[2],
      stride_d: steps[0], stride_h: steps[1], stride_w: steps[2],
      pad_d: pads[0], pad_h: pads[1], pad_w: pads[2],
      out_d: outputs[0], out_h: outputs[1], out_w: outputs[2])
  }

  /// `[batch, outDepth, outHeight, outWidth, channels]`.
  public var outputShape: [Int] {
    [batch, volume.out_d, volume.out_h, volume.out_w, volume.channels]
  }
  /// Scalars of one input volume.
  public var volumeSize: Int { volume.depth * volume.height * volume.width * volume.channels }
  /// Scalars of one output volume.
  public var outputVolumeSize: Int { volume.out_d * volume.out_h * volume.out_w * volume.channels }
  /// Whether the windows tile each volume exactly (strides equal to the window, extents
  /// divisible by it): every input element lies in exactly one window.
  public var tilesExactly: Bool {
    let v = volume
    return v.stride_d == v.pool_d && v.stride_h == v.pool_h && v.stride_w == v.pool_w
      && v.depth % v.pool_d == 0 && v.height % v.pool_h == 0 && v.width % v.pool_w == 0
  }
  /// Output rows (`outDepth · outHeight`) of one volume, the unit the kernels are split by.
  public var outputRows: Int { volume.out_d * volume.out_h }
}

// The C kernels of one volume, for the tensor ops (only this module imports the C module).
extension Pooling3DGeometry {
  /// Max pooling of output rows `rows` (flattened depth × height) of one volume: `input` is
  /// `[depth, height, width, channels]`, `output` and `positions` (each winner's offset in the
  /// volume) are `[outDepth, outHeight, outWidth, channels]`.
  @inlinable
  public func maxPool(
    volume input: UnsafePointer<Float>, rows: Range<Int>, output: UnsafeMutablePointer<Float>,
    positions: UnsafeMutablePointer<Int32>
  ) {
    withUnsafePointer(to: volume) { geometry in
      csim_max_pool3d(geometry, input, rows.lowerBound, rows.upperBound, output, positions)
    }
  }

  /// The input gradient of max pooling when the windows tile the volume exactly: every input
  /// element of output rows `rows` gets its window's gradient if it won, else zero.
  @inlinable
  public func maxPoolBackwardTiled(
    gradient: UnsafePointer<Float>, positions: UnsafePointer<Int32>, rows: Range<Int>,
    inputGradient: UnsafeMutablePointer<Float>
  ) {
    withUnsafePointer(to: volume) { geometry in
      csim_max_pool3d_backward_tiled(
        geometry, gradient, positions, rows.lowerBound, rows.upperBound, inputGradient)
    }
  }

  /// Average pooling of output rows `rows` of one volume (windows divided by their valid
  /// elements).
  @inlinable
  public func averagePool(
    volume input: UnsafePointer<Float>, rows: Range<Int>, output: UnsafeMutablePointer<Float>
  ) {
    withUnsafePointer(to: volume) { geometry in
      csim_average_pool3d(geometry, input, rows.lowerBound, rows.upperBound, output)
    }
  }

  /// The input gradient of average pooling for one volume: each output gradient spread over
  /// its window's valid elements, stored (`assign`, exactly tiled windows) or added.
  @inlinable
  public func averagePoolBackward(
    gradient: UnsafePointer<Float>, assign: Bool, inputGradient: UnsafeMutablePointer<Float>
  ) {
    withUnsafePointer(to: volume) { geometry in
      csim_average_pool3d_backward(geometry, gradient, assign ? 1 : 0, inputGradient)
    }
  }
}
