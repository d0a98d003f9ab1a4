/// Padding of a convolution or pooling window, with Keras/TensorFlow semantics.
public enum Padding: String, Sendable, Codable {
  /// No padding: windows lie entirely inside the input; output = ⌈(in − window + 1) / stride⌉.
  case valid
  /// Zero padding so that output = ⌈in / stride⌉; when the total padding is odd the extra row
  /// (column) goes at the bottom (right), as in TensorFlow.
  case same
}

/// The geometry of a 2-D convolution (or pooling) over NHWC images: sizes, strides,
/// dilations, padding and output size.
public struct Conv2DGeometry: Sendable, Equatable {
  public let batch: Int
  public let height: Int
  public let width: Int
  public let channels: Int
  public let kernelHeight: Int
  public let kernelWidth: Int
  public let strideHeight: Int
  public let strideWidth: Int
  public let dilationHeight: Int
  public let dilationWidth: Int
  /// Rows of implicit zeros above the image (the rest of the padding goes below).
  public let padTop: Int
  /// Columns of implicit zeros left of the image.
  public let padLeft: Int
  public let outputHeight: Int
  public let outputWidth: Int

  /// - Parameters:
  ///   - input: `[batch, height, width, channels]`.
  ///   - kernel: `(height, width)` of the window.
  public init(
    input: [Int], kernel: (Int, Int), strides: (Int, Int), dilations: (Int, Int) = (1, 1),
    padding: Padding
  ) {
    precondition(input.count == 4, "Conv2DGeometry: input must be [batch, height, width, channels], got \(input)")
    precondition(
      kernel.0 > 0 && kernel.1 > 0 && strides.0 > 0 && strides.1 > 0 && dilations.0 > 0
        && dilations.1 > 0,
      "Conv2DGeometry: kernel \(kernel), strides \(strides), dilations \(dilations) must be positive")
    (batch, height, width, channels) = (input[0], input[1], input[2], input[3])
    (kernelHeight, kernelWidth) = kernel
    (strideHeight, strideWidth) = strides
    (dilationHeight, dilationWidth) = dilations
    let effectiveHeight = (kernel.0 - 1) * dilations.0 + 1
    let effectiveWidth = (kernel.1 - 1) * dilations.1 + 1
    switch padding {
    case .valid:
      precondition(
        height >= effectiveHeight && width >= effectiveWidth,
        "Conv2DGeometry: window \(effectiveHeight)×\(effectiveWidth) larger than input \(input) with valid padding")
      outputHeight = (height - effectiveHeight) / strides.0 + 1
      outputWidth = (width - effectiveWidth) / strides.1 + 1
      (padTop, padLeft) = (0, 0)
    case .same:
      outputHeight = (height + strides.0 - 1) / strides.0
      outputWidth = (width + strides.1 - 1) / strides.1
      padTop = Swift.max((outputHeight - 1) * strides.0 + effectiveHeight - height, 0) / 2
      padLeft = Swift.max((outputWidth - 1) * strides.1 + effectiveWidth - width, 0) / 2
    }
  }

  /// Scalars of one im2col row: `kernelHeight · kernelWidth · channels`.
  public var patchSize: Int { kernelHeight * kernelWidth * channels }
  /// Output pixels of one image.
  public var outputPixels: Int { outputHeight * outputWidth }
  /// Scalars of one input image.
  public var imageSize: Int { height * width * channels }
  /// Whether im2col is the identity (1×1 window, stride 1, no padding).
  public var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
  }
}

/// im2col / col2im for NHWC images. Row `(oh, ow)` of an image's column matrix holds the
/// window under that output pixel in `(kh, kw, c)` order, which matches an HWIO filter
/// reshaped to `[kh · kw · cin, cout]`.
public enum Im2Col {
  /// One `kw · c` segment of a column-matrix row: the window row `kh` under output pixel
  /// `(oh, ow)`.
  struct Segment {
    /// Offset of the segment in the column matrix.
    var column: Int
    /// Offset of image row `ih` in the image, or -1 when the row lies in the padding.
    var line: Int
    /// Leftmost image column of the window (may be negative).
    var w0: Int
    /// Whether the segment is one contiguous run of the image (window inside, no dilation).
    var isContiguous: Bool
  }

  /// Calls `body` for every segment of an image's column matrix, in order.
  @inline(__always)
  static func forEachSegment(_ g: Conv2DGeometry, _ body: (Segment) -> Void) {
    let rowWidth = g.kernelWidth * g.channels
    var row = 0
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        let w0 = ow * g.strideWidth - g.padLeft
        let contiguous =
          g.dilationWidth == 1 && w0 >= 0 && w0 + g.kernelWidth - 1 < g.width
        for kh in 0..<g.kernelHeight {
          let ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight
          let inside = ih >= 0 && ih < g.height
          body(
            Segment(
              column: row + kh * rowWidth, line: inside ? ih * g.width * g.channels : -1,
              w0: w0, isContiguous: contiguous))
        }
        row += g.patchSize
      }
    }
  }

  /// Writes the `[outputPixels, patchSize]` column matrix of one image.
  ///
  /// - Parameters:
  ///   - image: `[height, width, channels]` of one image.
  ///   - columns: room for `outputPixels · patchSize` scalars.
  public static func expand(
    _ g: Conv2DGeometry, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    let rowWidth = g.kernelWidth * c
    forEachSegment(g) { segment in
      let destination = columns + segment.column
      if segment.line < 0 {
        destination.update(repeating: 0, count: rowWidth)
        return
      }
      let line = image + segment.line
      if segment.isContiguous {
        destination.update(from: line + segment.w0 * c, count: rowWidth)
        return
      }
      for kw in 0..<g.kernelWidth {
        let iw = segment.w0 + kw * g.dilationWidth
        if iw < 0 || iw >= g.width {
          (destination + kw * c).update(repeating: 0, count: c)
        } else {
          (destination + kw * c).update(from: line + iw * c, count: c)
        }
      }
    }
  }

  /// Adds the `[outputPixels, patchSize]` column matrix of one image back onto the image
  /// (the adjoint of ``expand(_:image:columns:)``).
  public static func accumulate(
    _ g: Conv2DGeometry, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>
  ) {
    let c = g.channels
    forEachSegment(g) { segment in
      if segment.line < 0 { return }
      let line = image + segment.line
      let source = columns + segment.column
      if segment.isContiguous {
        let destination = line + segment.w0 * c
        for i in 0..<(g.kernelWidth * c) { destination[i] += source[i] }
        return
      }
      for kw in 0..<g.kernelWidth {
        let iw = segment.w0 + kw * g.dilationWidth
        if iw < 0 || iw >= g.width { continue }
        let destination = line + iw * c
        let from = source + kw * c
        for i in 0..<c { destination[i] += from[i] }
      }
    }
  }
}

/// Column sums of row-major matrices, vectorised across columns.
public enum ColumnSums {
  /// `sums[j] += Σ_r matrix[r · columns + j]` for `j < columns`, each column summed in row
  /// order (the same roundings as the scalar loop): one pass over the rows, 8 columns at a
  /// time in SIMD registers against the sums (which stay in L1).
  public static func accumulate(
    _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>
  ) {
    typealias V = SIMD8<Float>
    let vectors = columns / 8
    let raw = UnsafeMutableRawPointer(sums)
    var row = matrix
    for _ in 0..<rows {
      let source = UnsafeRawPointer(row)
      for v in 0..<vectors {
        let offset = v * MemoryLayout<V>.size
        raw.storeBytes(
          of: raw.loadUnaligned(fromByteOffset: offset, as: V.self)
            + source.loadUnaligned(fromByteOffset: offset, as: V.self),
          toByteOffset: offset, as: V.self)
      }
      for j in vectors * 8..<columns { sums[j] += row[j] }
      row += columns
    }
  }
}
