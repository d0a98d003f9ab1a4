import SimilarityTensors

/// Keras' `Permute`: the axes of each example reordered; `dims` are 1-based (axis 1 is the
/// first axis after the batch), so `Permute(dims: [2, 1])` swaps the two axes of
/// `[batch, a, b]`.
public final class Permute: Layer {
  /// `"Permute"`.
  public static let typeName = "Permute"
  /// `"permute"`.
  public static let defaultName = "permute"
  /// The layer's name.
  public var name: String
  /// A permutation of `1…rank`.
  public let dims: [Int]

  /// Creates the layer.
  public init(dims: [Int], name: String? = nil) {
    precondition(Self.isPermutation(dims), "Permute: dims \(dims) are not a permutation of 1…\(dims.count)")
    self.dims = dims
    self.name = name ?? Self.defaultName
  }

  static func isPermutation(_ dims: [Int]) -> Bool {
    !dims.isEmpty && dims.sorted() == Array(1...dims.count)
  }

  /// The hyper-parameters of a `Permute` layer.
  public struct Configuration: Codable, Equatable, Sendable {
    /// The layer name.
    public var name: String
    /// 1-based axis order.
    public var dims: [Int]
  }

  /// Creates the layer described by a validated `configuration`.
  public convenience init(configuration c: Configuration) {
    self.init(dims: c.dims, name: c.name)
  }

  /// `[batch] + dims.map { inputShape[$0] }`.
  public func outputShape(forInputShape inputShape: LayerShape) -> LayerShape {
    precondition(
      inputShape.count == dims.count + 1,
      "Permute '\(name)': input shape \(pythonTuple(inputShape)) does not have \(dims.count) axes after the batch")
    return [inputShape[0]] + dims.map { inputShape[$0] }
  }

  /// The example axes of `input` in `dims` order.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(input.rank == dims.count + 1, "Permute '\(name)': input \(input.shape) does not have \(dims.count) axes after the batch")
    return input.transposed(permutation: [0] + dims)
  }

  /// This layer's hyper-parameters.
  public var configuration: LayerConfiguration? { .permute(Configuration(name: name, dims: dims)) }
}
