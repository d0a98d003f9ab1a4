/// How an image of any size is fitted to a model's input size.
public enum ImageFit: String, CaseIterable, Equatable, Sendable, Codable {
  /// Bilinear resize to exactly the target size (the aspect ratio may change).
  case stretch
  /// The largest centred window with the target's aspect ratio, resized to the target size
  /// (Keras `Resizing(crop_to_aspect_ratio=True)`).
  case centerCrop = "center-crop"
  /// Resized keeping the aspect ratio to fit inside the target, then centred on a zero canvas
  /// (`tf.image.resize_with_pad`).
  case pad
  /// No resizing and no channel conversion: every image must already be
  /// `[height, width, channels]`; others are refused (``SourceError/shapeMismatch(path:expected:found:)``).
  case exact
}

/// What pixel values a prepared image holds.
public enum PixelScaling: String, CaseIterable, Equatable, Sendable, Codable {
  /// The decoded bytes' values, 0…255.
  case raw
  /// The decoded bytes divided by 255, 0…1.
  case unit

  /// The factor 8-bit values are multiplied by.
  public var factor: Float {
    switch self {
    case .raw: 1
    case .unit: 1 / 255
    }
  }
}

/// Turns decoded images of any size and channel count into a model's input:
/// `[height, width, channels]` `Float` values, HWC.
///
/// Steps, in order: bytes to `Float` (0…255); grey ↔ RGB conversion to ``channels``; fitting
/// to ``height`` × ``width`` by ``fit`` (bilinear with half-pixel centres, see
/// ``FloatImage/resized(height:width:)``); multiplication by ``scaling``'s factor.
public struct ImagePreprocessor: Equatable, Sendable, Codable {
  /// Output rows.
  public var height: Int
  /// Output columns.
  public var width: Int
  /// Output channels: 1 (grey) or 3 (RGB).
  public var channels: Int
  /// How other sizes are fitted.
  public var fit: ImageFit
  /// The range of the output values.
  public var scaling: PixelScaling

  /// A preprocessor to `[height, width, channels]`; sizes must be positive and `channels`
  /// 1 or 3 (programmer error otherwise; the CLI checks options before building one).
  public init(
    height: Int, width: Int, channels: Int, fit: ImageFit = .stretch,
    scaling: PixelScaling = .unit
  ) {
    precondition(height > 0 && width > 0, "ImagePreprocessor: size \(height) × \(width)")
    precondition(channels == 1 || channels == 3, "ImagePreprocessor: 1 or 3 channels")
    self.height = height
    self.width = width
    self.channels = channels
    self.fit = fit
    self.scaling = scaling
  }

  /// `[height, width, channels]`.
  public var shape: [Int] { [height, width, channels] }

  /// The model input for one decoded image.
  public func prepare(_ image: DecodedImage) -> FloatImage {
    var prepared = fitted(FloatImage(image).converted(toChannels: channels))
    let factor = scaling.factor
    if factor != 1 {
      for i in prepared.values.indices { prepared.values[i] *= factor }
    }
    return prepared
  }

  /// `image` (already in the output's channels and value range) fitted to the output size.
  public func fitted(_ image: FloatImage) -> FloatImage {
    if image.height == height && image.width == width { return image }
    switch fit {
    case .stretch, .exact:
      return image.resized(height: height, width: width)
    case .centerCrop:
      // The largest window with the target's aspect ratio: compare h/w with H/W exactly.
      let (h, w) = (image.height, image.width)
      let cropHeight = w * height >= h * width ? h : max(1, w * height / width)
      let cropWidth = w * height >= h * width ? max(1, h * width / height) : w
      return image.centerCropped(height: cropHeight, width: cropWidth)
        .resized(height: height, width: width)
    case .pad:
      // tf.image.resize_with_pad: scale by the larger ratio, floor the new size; the offsets
      // are floor((target − unrounded size) / 2).
      let ratio = max(Double(image.width) / Double(width), Double(image.height) / Double(height))
      let exactHeight = Double(image.height) / ratio
      let exactWidth = Double(image.width) / ratio
      let newHeight = min(height, max(1, Int(exactHeight.rounded(.down))))
      let newWidth = min(width, max(1, Int(exactWidth.rounded(.down))))
      let top = min(height - newHeight, max(0, Int(((Double(height) - exactHeight) / 2).rounded(.down))))
      let left = min(width - newWidth, max(0, Int(((Double(width) - exactWidth) / 2).rounded(.down))))
      return image.resized(height: newHeight, width: newWidth)
        .padded(top: top, left: left, height: height, width: width)
    }
  }
}
