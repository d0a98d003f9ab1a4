import SimilarityTensors

extension InputPreprocessing {
  /// `pixels` (RGB `[…, 3]`, values in [0, 255]) scaled as the weights expect; the shape is
  /// kept. A constant transform: no gradient flows to `pixels`.
  public func apply(to pixels: Tensor) -> Tensor {
    precondition(
      pixels.shape.last == 3, "InputPreprocessing: pixels \(pixels.shape) must end with 3 channels")
    let values = pixels.scalars
    var result = [Float](repeating: 0, count: values.count)
    switch self {
    case .raw255:
      return pixels
    case .centered127:
      for i in values.indices { result[i] = (values[i] - 127) / 128 }
    case .symmetricUnit:
      for i in values.indices { result[i] = values[i] / 127.5 - 1 }
    case .imageNetMeanStd:
      let (mean, deviation): ([Float], [Float]) = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
      for i in values.indices { result[i] = (values[i] / 255 - mean[i % 3]) / deviation[i % 3] }
    case .caffe:
      let mean: [Float] = [103.939, 116.779, 123.68]  // B, G, R
      for pixel in stride(from: 0, to: values.count, by: 3) {
        for channel in 0..<3 {
          result[pixel + channel] = values[pixel + 2 - channel] - mean[channel]
        }
      }
    }
    return Tensor(shape: pixels.shape, scalars: result)
  }
}
