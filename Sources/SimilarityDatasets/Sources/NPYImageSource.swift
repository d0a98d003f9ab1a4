import Foundation
import SimilarityIO

/// Examples stored as rows of a `.npy` array, `[N, H, W]` or `[N, H, W, C]`, with their labels
/// in a second `.npy`, `[N]` of integers ≥ 0.
///
/// `uint8` rows with 1 or 3 channels load as 8-bit images (scaled and converted like decoded
/// files); `float32` rows, and `uint8` rows with other channel counts, load as `Float` values
/// used unscaled. Only the two headers are read
/// when the source is created (and the labels); ``load(_:)`` reads one row from the file, so
/// arrays larger than memory stream.
public struct NPYImageSource: ExampleSource {
  /// The image array file.
  public let images: String
  /// The label array file.
  public let labelFile: String
  /// `[H, W, C]` of one row (`C` is 1 for `[N, H, W]` arrays).
  public let rowShape: [Int]
  /// `uint8` or `float32`.
  public let elementType: NPYArray.ElementType
  public let examples: [SourceExample]
  public var classNames: [String]? { nil }
  public var origin: String { images }

  let dataStart: Int
  let rowBytes: Int

  /// Checks both headers (the image array's declared size against its file size) and reads
  /// the labels.
  /// - Throws: ``SourceError/badArray(file:reason:)`` for an unreadable file, a wrong element
  ///   type or rank, negative labels; ``SourceError/labelCountMismatch(images:examples:labels:count:)``.
  public init(images: String, labels: String) throws(SourceError) {
    let layout: NPYLayout
    do {
      let file = try RegularFile(path: images, expected: "a regular .npy file")
      let prefix = try file.read(0..<min(file.size, 12))
      let headerEnd = try prefix.withUnsafeBytes {
        try NPYLayout.headerEnd($0, fileSize: file.size, file: images)
      }
      layout = try file.read(0..<headerEnd).withUnsafeBytes {
        try NPYLayout(header: $0, file: images)
      }
      guard file.size - layout.dataStart == layout.dataBytes else {
        throw NPYError.dataLength(
          file: images, expectedBytes: layout.dataBytes, foundBytes: file.size - layout.dataStart)
      }
    } catch let error as FileReadError {
      throw .badArray(file: images, reason: error.reason)
    } catch let error as NPYError {
      throw .badArray(file: images, reason: Self.reason(error, file: images))
    } catch {
      throw .badArray(file: images, reason: "\(error)")
    }
    guard layout.elementType == .uint8 || layout.elementType == .float32 else {
      throw .badArray(
        file: images,
        reason: "dtype '\(layout.elementType.descr)'; expected images as uint8 ('|u1') or "
          + "float32 ('<f4')")
    }
    let shape = layout.shape
    guard shape.count == 3 || shape.count == 4, shape.dropFirst().allSatisfy({ $0 > 0 }) else {
      throw .badArray(
        file: images, reason: "shape \(shape); expected [N, H, W] or [N, H, W, C] with "
          + "positive H, W, C")
    }
    let rowShape = shape.count == 3 ? [shape[1], shape[2], 1] : Array(shape[1...])
    let labelValues = try Self.readLabels(labels)
    guard labelValues.count == shape[0] else {
      throw .labelCountMismatch(
        images: images, examples: shape[0], labels: labels, count: labelValues.count)
    }
    if let bad = labelValues.firstIndex(where: { $0 < 0 }) {
      throw .badArray(
        file: labels, reason: "label \(labelValues[bad]) at row \(bad); expected 0 or more")
    }
    self.images = images
    self.labelFile = labels
    self.rowShape = rowShape
    self.elementType = layout.elementType
    self.dataStart = layout.dataStart
    self.rowBytes = rowShape.reduce(layout.elementType.itemSize, *)
    self.examples = labelValues.enumerated().map {
      SourceExample(location: .row($0.offset), label: $0.element)
    }
  }

  public func load(_ index: Int) throws(SourceError) -> LoadedExample {
    let start = dataStart + index * rowBytes
    let bytes: [UInt8]
    do throws(FileReadError) {
      let file = try RegularFile(path: images, expected: "a regular .npy file")
      guard file.size >= start + rowBytes else {
        throw FileReadError(
          .truncated, path: images, "ends at byte \(file.size), row \(index) ends at "
            + "\(start + rowBytes) (the file shrank after it was opened)")
      }
      bytes = try file.read(start..<(start + rowBytes))
    } catch {
      throw .badArray(file: images, reason: "row \(index): \(error.reason)")
    }
    let (height, width, channels) = (rowShape[0], rowShape[1], rowShape[2])
    if elementType == .uint8 && (channels == 1 || channels == 3) {
      return .image(DecodedImage(height: height, width: width, channels: channels, pixels: bytes))
    }
    let values: [Float] =
      elementType == .uint8
      ? bytes.map { Float($0) }
      : bytes.withUnsafeBytes { LittleEndianCoding.decode($0, as: Float.self) }
    return .values(FloatImage(height: height, width: width, channels: channels, values: values))
  }

  /// The integer labels of a 1-D `.npy` file.
  static func readLabels(_ path: String) throws(SourceError) -> [Int] {
    let array: NPYArray
    do {
      array = try NPYFile.read(from: URL(fileURLWithPath: path))
    } catch let error as NPYError {
      throw .badArray(file: path, reason: reason(error, file: path))
    } catch {
      throw .badArray(file: path, reason: "\(error)")
    }
    guard array.shape.count == 1 else {
      throw .badArray(file: path, reason: "labels of shape \(array.shape); expected [N]")
    }
    switch array.storage {
    case .int32(let values): return values.map(Int.init)
    case .int64(let values): return values.map(Int.init)
    case .uint8(let values): return values.map(Int.init)
    case .uint64(let values): return values.map { Int(clamping: $0) }
    case .float32, .float64:
      throw .badArray(
        file: path, reason: "labels of dtype '\(array.elementType.descr)'; expected integers "
          + "(int32, int64, uint8 or uint64)")
    }
  }

  /// An `NPYError`'s message without the leading "file: ".
  static func reason(_ error: NPYError, file: String) -> String {
    let text = error.description
    return text.hasPrefix(file + ": ") ? String(text.dropFirst(file.count + 2)) : text
  }
}
