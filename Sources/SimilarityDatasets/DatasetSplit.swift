/// Which part of a data set to load.
public enum DatasetSplit: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
  /// The training images (60 000 for MNIST and Fashion-MNIST).
  case train
  /// The held-out test images (10 000 for MNIST and Fashion-MNIST).
  case test

  public var description: String { rawValue }
}
