import Foundation
import SimilarityLayers
import SimilaritySearch
import SimilarityTensors

/// The additive angular margin loss of Deng, Guo, Xue & Zafeiriou 2019, "ArcFace: Additive
/// Angular Margin Loss for Deep Face Recognition" (https://arxiv.org/abs/1801.07698).
///
/// The loss owns one learned centre per class, `centers` `[dimension, classes]`, so it is a
/// ``Model``: train its parameters with the embedding model's and save them with
/// `Checkpoint.saveWeights(of:to:)` (key `centers`). With `cos θ_ic` the cosine between the
/// normalised embedding `i` and the normalised centre `c`, and `y_i` its label:
///
///     φ_i = cos(θ_iy + m)              when θ_iy + m ≤ π (cos θ_iy > cos(π − m)),
///     φ_i = cos θ_iy − m·sin(π − m)    otherwise (keeps the logit decreasing in θ)
///     loss_i = −log( e^(s φ_i) / (e^(s φ_i) + Σ_{c ≠ y_i} e^(s cos θ_ic)) )
///
/// Not in TF Similarity (its ArcFace pull requests were never merged).
public final class ArcFaceLoss: Model, MetricLoss {
  /// `[dimension, classes]`, one (unnormalised) centre per column; glorot-uniform at creation.
  public let centers: Parameter
  /// The logit scale `s` (64).
  public let scale: Float
  /// The additive angular margin `m` in radians (0.5).
  public let margin: Float
  /// How per-example losses are combined (mean).
  public var reduction: Reduction

  /// Creates the loss with fresh centres drawn from `seed`.
  ///
  /// - Parameters:
  ///   - dimension: the embedding size.
  ///   - classes: the number of classes; labels must be in `0..<classes`.
  public init(
    dimension: Int, classes: Int, scale: Float = 64, margin: Float = 0.5,
    reduction: Reduction = .mean, seed: UInt64 = 0
  ) {
    precondition(
      dimension > 0 && classes > 1,
      "ArcFaceLoss: dimension \(dimension) and classes \(classes) need ≥ 1 and ≥ 2")
    precondition(scale > 0, "ArcFaceLoss: scale \(scale) must be positive")
    precondition(
      margin >= 0 && margin < Float.pi / 2, "ArcFaceLoss: margin \(margin) must be in [0, π/2)")
    var generator = SplitMix64(seed: seed)
    centers = Parameter(
      Initializer.glorotUniform.tensor(shape: [dimension, classes], using: &generator))
    self.scale = scale
    self.margin = margin
    self.reduction = reduction
  }

  /// Angles are compared by cosine.
  public var distance: Distance { .cosine }

  /// The number of classes.
  public var classCount: Int { centers.shape[1] }

  /// The cosine of every embedding with every class centre, `[batch, classes]`.
  public func cosines(_ embeddings: Tensor) -> Tensor {
    precondition(
      embeddings.rank == 2 && embeddings.shape[1] == centers.shape[0],
      "ArcFaceLoss: embeddings \(embeddings.shape) need [batch, \(centers.shape[0])]")
    return embeddings.l2Normalized(alongAxis: 1).matmul(centers.value.l2Normalized(alongAxis: 0))
  }

  /// The loss of every example, `[batch]`.
  public func perExampleLoss(embeddings: Tensor, labels: [Int]) -> Tensor {
    precondition(
      embeddings.rank == 2 && embeddings.shape[0] == labels.count,
      "ArcFaceLoss: embeddings \(embeddings.shape) need \(labels.count) rows")
    for label in labels {
      precondition(
        label >= 0 && label < classCount, "ArcFaceLoss: label \(label) not in 0..<\(classCount)")
    }
    let cosine = cosines(embeddings)
    let target = cosine.picking(columns: labels)
    let sine = (1 - target.squared()).maximum(1e-12).sqrt()
    let shifted = target * Foundation.cos(margin) - sine * Foundation.sin(margin)
    let threshold = Foundation.cos(Float.pi - margin)
    let fallback = target - margin * Foundation.sin(Float.pi - margin)
    let marginal = Tensor.where(target.isGreater(than: threshold), shifted, fallback)
    let oneHot = Tensor.oneHot(labels, depth: classCount)
    let logits = scale * (cosine + oneHot * (marginal - target).expandingShape(at: 1))
    return logits.logSumExp(alongAxis: 1) - scale * marginal
  }
}
