import SimilarityTensors

extension TorchCheckpoint {
  /// Copies the checkpoint's tensors into `model`'s parameters as `map` says, converting
  /// layouts (OIHW → HWIO, `[out, in]` → `[in, out]`).
  ///
  /// Everything is checked before anything is assigned: every map entry's tensor exists and has
  /// the parameter's shape once converted, every tensor of the file is mapped or ignored, and,
  /// when `requireAllParameters`, every parameter of the model is fed. Otherwise nothing
  /// changes and one ``WeightImportError`` lists all missing, unexpected and mismatched names.
  ///
  /// - Parameters:
  ///   - file: names the checkpoint in the error.
  ///   - requireAllParameters: `false` to leave parameters the map does not feed (a new
  ///     embedding head) as they are.
  /// - Returns: the number of parameters assigned.
  @discardableResult
  public func load(
    into model: any Model, map: TorchNameMap, file: String, requireAllParameters: Bool = true
  ) throws(WeightImportError) -> Int {
    var report = WeightImportError(file: file)
    let parameters = Dictionary(
      model.namedParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
    let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var assignments: [(Parameter, Tensor)] = []
    var fed: Set<String> = []
    for entry in map.entries {
      guard let parameter = parameters[entry.ours] else {
        report.invalidEntries.append(
          "\(entry.theirs) → \(entry.ours) (the model has no such parameter)")
        continue
      }
      guard fed.insert(entry.ours).inserted else {
        report.invalidEntries.append("\(entry.theirs) → \(entry.ours) (the parameter is fed twice)")
        continue
      }
      guard let tensor = byName[entry.theirs] else {
        report.missing.append("\(entry.theirs) → \(entry.ours)")
        continue
      }
      guard let values = tensor.floats else {
        report.invalidEntries.append(
          "\(entry.theirs) → \(entry.ours) (an integer \(tensor.dtype.rawValue) tensor for a float parameter)"
        )
        continue
      }
      let converted = entry.layout.transform(
        shape: tensor.shape, values: values, target: parameter.shape)
      guard let converted, converted.shape == parameter.shape else {
        report.shapeMismatches.append(
          .init(
            source: entry.theirs, target: entry.ours, found: tensor.shape,
            converted: converted?.shape, expected: parameter.shape))
        continue
      }
      assignments.append((parameter, Tensor(shape: converted.shape, scalars: converted.values)))
    }
    let mapped = Set(map.entries.map(\.theirs))
    report.unexpected = tensors.map(\.name).filter { !mapped.contains($0) && !map.ignores($0) }
    if requireAllParameters {
      report.missing += model.namedParameters.map(\.name).filter { !fed.contains($0) }
    }
    guard report.isEmpty else { throw report }
    for (parameter, value) in assignments { parameter.value = value }
    return assignments.count
  }
}
