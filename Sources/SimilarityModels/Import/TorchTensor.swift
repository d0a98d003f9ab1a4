import SimilarityIO

/// One named tensor of a PyTorch state dict, its values gathered in C order (row-major) after
/// the stored view's size, stride and storage offset were applied.
public struct TorchTensor: Sendable {
  /// The values: floating-point storages become `Float`, integer and boolean storages
  /// (`num_batches_tracked`) stay integers.
  public enum Values: Sendable, Equatable {
    case float([Float])
    case integer([Int64])

    /// The number of elements.
    public var count: Int {
      switch self {
      case .float(let values): values.count
      case .integer(let values): values.count
      }
    }
  }

  /// The state-dict key, e.g. `_blocks.1._depthwise_conv.weight`.
  public var name: String
  /// The stored element type.
  public var dtype: TorchDType
  /// PyTorch's shape, e.g. `[out, in, kh, kw]` for a convolution weight.
  public var shape: [Int]
  /// `shape.product` values in C order.
  public var values: Values

  /// The values as `Float` when the tensor is floating point, else `nil`.
  public var floats: [Float]? {
    if case .float(let values) = values { return values }
    return nil
  }

  /// Gathers the view `reference` of the storage bytes `data` (exactly the storage's declared
  /// element count) in C order.
  static func gather(
    _ reference: TorchTensorReference, name: String, data: ArraySlice<UInt8>, file: String
  ) throws(TorchCheckpointError) -> TorchTensor {
    let (shape, strides) = (reference.shape, reference.strides)
    func refuse(_ reason: String) -> TorchCheckpointError {
      TorchCheckpointError(.malformed, file: file, "tensor '\(name)': \(reason)")
    }
    guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), reference.offset >= 0,
      let count = shape.checkedProduct()
    else {
      throw refuse(
        "size \(shape), stride \(strides), offset \(reference.offset) must be non-negative")
    }
    // A view with more elements than its storage overlaps itself (a broadcast or an
    // expanded tensor); refusing it also bounds what a hostile size can make us allocate.
    guard count <= reference.storage.count else {
      throw refuse(
        "size \(shape) has \(count) elements, more than its storage '\(reference.storage.key)' (\(reference.storage.count)); overlapping views are not supported"
      )
    }
    if count > 0 {
      // The last element the view touches must lie inside the storage.
      let reach = zip(shape, strides).map { $0.0 - 1 }
      var last = reference.offset
      for (extent, stride) in zip(reach, strides) {
        let (step, overflow) = extent.multipliedReportingOverflow(by: stride)
        let (sum, overflow2) = last.addingReportingOverflow(step)
        guard !overflow, !overflow2 else { throw refuse("its stride \(strides) overflows") }
        last = sum
      }
      guard last < reference.storage.count else {
        throw refuse(
          "size \(shape), stride \(strides), offset \(reference.offset) reach element \(last) of storage '\(reference.storage.key)', which has \(reference.storage.count)"
        )
      }
    }
    let dtype = reference.storage.dtype
    let indices = Self.indices(
      shape: shape, strides: strides, offset: reference.offset, count: count)
    let values: Values = data.withUnsafeBytes { raw in
      dtype.isFloatingPoint
        ? .float(indices.map { dtype.float(raw, at: $0) })
        : .integer(indices.map { dtype.integer(raw, at: $0) })
    }
    return TorchTensor(name: name, dtype: dtype, shape: shape, values: values)
  }

  /// The storage index of every element of the view, in C order (checked in bounds by the
  /// caller). Also the gather order of an axis permutation (``PyTorchTensorLayout``).
  static func indices(shape: [Int], strides: [Int], offset: Int, count: Int) -> [Int] {
    var result = [Int]()
    result.reserveCapacity(count)
    guard count > 0 else { return result }
    var counter = [Int](repeating: 0, count: shape.count)
    var index = offset
    for _ in 0..<count {
      result.append(index)
      // Advance the innermost axis, carrying into outer ones.
      var axis = shape.count - 1
      while axis >= 0 {
        counter[axis] += 1
        index += strides[axis]
        if counter[axis] < shape[axis] { break }
        index -= strides[axis] * shape[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
    return result
  }
}
