/// A split of a labelled image data set: `count` grey-scale images of `height × width` bytes,
/// stored one after another in row-major order, and one class label per image.
public struct LabeledImages: Equatable, Sendable {
  /// The number of images (and labels).
  public let count: Int
  /// The image height in pixels.
  public let height: Int
  /// The image width in pixels.
  public let width: Int
  /// `count × height × width` grey levels, 0 (background) to 255, image after image.
  public let pixels: [UInt8]
  /// The class of each image, in `0..<classCount`.
  public let labels: [Int]

  /// Creates a split; throws `DatasetError.inconsistentImages` when `pixels` does not hold
  /// `labels.count × height × width` bytes.
  public init(height: Int, width: Int, pixels: [UInt8], labels: [Int]) throws {
    let (perImage, overflow1) = height.multipliedReportingOverflow(by: width)
    let (expected, overflow2) = perImage.multipliedReportingOverflow(by: labels.count)
    guard height >= 0, width >= 0, !overflow1, !overflow2, expected == pixels.count else {
      throw DatasetError.inconsistentImages(
        height: height, width: width, labelCount: labels.count, pixelCount: pixels.count)
    }
    self.init(validated: height, width, pixels, labels)
  }

  /// The number of pixels in one image.
  public var pixelsPerImage: Int { height * width }

  /// The pixels of image `index` (`0..<count`).
  public func pixels(ofImage index: Int) -> ArraySlice<UInt8> {
    precondition(index >= 0 && index < count, "image index \(index) out of 0..<\(count)")
    return pixels[(index * pixelsPerImage)..<((index + 1) * pixelsPerImage)]
  }

  /// All pixels as `Float`, mapping grey level 0 to `range.lowerBound` and 255 to
  /// `range.upperBound` linearly (e.g. `0...1`, or `-1...1`), in one pass.
  public func floatPixels(scaledTo range: ClosedRange<Float> = 0...1) -> [Float] {
    // A 256-entry table keeps the conversion to one load per pixel, also in debug builds; it is
    // computed in Double so that each entry is the Float nearest to the exact value.
    let lower = Double(range.lowerBound)
    let span = Double(range.upperBound) - lower
    let table = (0..<256).map { Float(lower + span * Double($0) / 255) }
    return [Float](unsafeUninitializedCapacity: pixels.count) { out, initialized in
      table.withUnsafeBufferPointer { lookup in
        pixels.withUnsafeBufferPointer { source in
          for index in 0..<source.count {
            out[index] = lookup[Int(source[index])]
          }
        }
      }
      initialized = pixels.count
    }
  }

  /// The first `n` images and labels (all of them when `n ≥ count`), e.g. for quick runs.
  public func prefix(_ n: Int) -> LabeledImages {
    let kept = max(0, min(n, count))
    return LabeledImages(
      validated: height, width, Array(pixels.prefix(kept * pixelsPerImage)),
      Array(labels.prefix(kept)))
  }

  /// Stores sizes the caller has already checked.
  private init(validated height: Int, _ width: Int, _ pixels: [UInt8], _ labels: [Int]) {
    self.count = labels.count
    self.height = height
    self.width = width
    self.pixels = pixels
    self.labels = labels
  }
}
