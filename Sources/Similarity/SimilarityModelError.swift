/// Why a ``SimilarityModel`` operation could not run on the data or files it was given. Every
/// case names the value or file involved, what was expected and what was found.
public enum SimilarityModelError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Two inputs that must have one entry per example disagree (e.g. labels vs examples).
  case countMismatch(what: String, expected: Int, found: Int)
  /// Examples do not have the shape the embedding model takes.
  case exampleShapeMismatch(expected: [Int], found: [Int])
  /// An operation needs indexed items and the index is empty.
  case emptyIndex(operation: String)
  /// An operation needs at least one query.
  case noExamples(operation: String)
  /// `match` or `evaluateClassification` was called before `calibrate`.
  case notCalibrated(operation: String)
  /// The requested calibration target has no cutpoint (it was not requested or not reached).
  case unreachedTarget(String)
  /// A saved model directory is missing, incomplete or corrupt: the file and the reason.
  case invalidSavedModel(file: String, reason: String)
  /// Writing a model directory failed.
  case saveFailed(file: String, reason: String)
  /// The embedding network produced NaN or infinity for an example: its weights (loaded from
  /// `weightsFile`, if any) are damaged or diverged.
  case nonFiniteEmbedding(example: Int, component: Int, value: Float, weightsFile: String?)

  public var description: String {
    switch self {
    case .countMismatch(let what, let expected, let found):
      return "\(what): expected \(expected) entries (one per example), found \(found)"
    case .exampleShapeMismatch(let expected, let found):
      return "examples have shape \(found); the embedding model takes \(expected)"
    case .emptyIndex(let operation):
      return "\(operation): the index is empty; index examples first"
    case .noExamples(let operation):
      return "\(operation): no examples given"
    case .notCalibrated(let operation):
      return "\(operation): the model is not calibrated; call calibrate first"
    case .unreachedTarget(let target):
      return "calibration has no cutpoint for target \(target) (not requested or not reached)"
    case .invalidSavedModel(let file, let reason):
      return "\(file): \(reason)"
    case .saveFailed(let file, let reason):
      return "\(file): saving failed: \(reason)"
    case .nonFiniteEmbedding(let example, let component, let value, let weightsFile):
      let what = "the embedding of example \(example) has component \(component) = \(value)"
      return weightsFile.map {
        "\($0): the model's weights produce non-finite values: \(what)"
      } ?? "the embedding model produces non-finite values: \(what)"
    }
  }
}
