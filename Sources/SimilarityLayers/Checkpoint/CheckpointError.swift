/// A checkpoint file that cannot be read or does not fit the model. Every case names the file
/// and says what was expected and what was found.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// The file is shorter than its own header says.
  case truncated(file: String, expectedBytes: Int, foundBytes: Int)
  /// The JSON header cannot be parsed or has the wrong structure.
  case corruptHeader(file: String, reason: String)
  /// A tensor is stored with a data type other than `F32`.
  case unsupportedDType(file: String, tensor: String, found: String)
  /// A tensor's `data_offsets` fall outside the data section or disagree with its shape.
  case invalidOffsets(file: String, tensor: String, reason: String)
  /// Two tensors' byte ranges overlap.
  case overlappingTensors(file: String, first: String, second: String)
  /// A tensor's shape differs from the model parameter of the same name.
  case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
  /// The model has parameters the file does not contain.
  case missingTensors(file: String, names: [String])
  /// The file contains tensors the model has no parameter for.
  case unexpectedTensors(file: String, names: [String])
  /// The architecture description is not valid JSON of the expected form.
  case corruptArchitecture(file: String, reason: String)
  /// The architecture describes a model this library cannot rebuild.
  case architecture(file: String, ArchitectureError)
  /// The architecture file has a format version this library does not read.
  case unsupportedFormatVersion(file: String, expected: Int, found: Int)
  /// Reading or writing failed at the operating-system level.
  case io(file: String, operation: String, reason: String)

  /// What went wrong, with the file and the values involved.
  public var description: String {
    switch self {
    case .truncated(let file, let expected, let found):
      "\(file): truncated: expected at least \(expected) bytes, found \(found)"
    case .corruptHeader(let file, let reason):
      "\(file): corrupt safetensors header: \(reason)"
    case .unsupportedDType(let file, let tensor, let found):
      "\(file): tensor '\(tensor)' has dtype \"\(found)\", expected \"F32\""
    case .invalidOffsets(let file, let tensor, let reason):
      "\(file): tensor '\(tensor)': invalid data_offsets: \(reason)"
    case .overlappingTensors(let file, let first, let second):
      "\(file): tensors '\(first)' and '\(second)' overlap in the data section"
    case .shapeMismatch(let file, let tensor, let expected, let found):
      "\(file): tensor '\(tensor)' has shape \(found), the model expects \(expected)"
    case .missingTensors(let file, let names):
      "\(file): missing tensors the model needs: \(names.joined(separator: ", "))"
    case .unexpectedTensors(let file, let names):
      "\(file): tensors the model has no parameter for: \(names.joined(separator: ", "))"
    case .corruptArchitecture(let file, let reason):
      "\(file): corrupt architecture description: \(reason)"
    case .architecture(let file, let error):
      "\(file): \(error)"
    case .unsupportedFormatVersion(let file, let expected, let found):
      "\(file): format version \(found) is not supported, expected \(expected)"
    case .io(let file, let operation, let reason):
      "\(file): \(operation) failed: \(reason)"
    }
  }
}
