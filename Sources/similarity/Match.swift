import ArgumentParser
import Foundation
import Similarity

/// `similarity match MODEL_DIR`: predicts labels (or unknown) for test images.
struct Match: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Match test images against a saved, calibrated model.",
    discussion: """
      Prints, for the first --count test images the model's index does not hold (run.json \
      records which images it indexed), the image's position in the test set, the true label, \
      the matched label (or "unknown" when the nearest indexed item is beyond the calibrated \
      distance) and the distance, then the accuracy with unknown counted as wrong.
      """)

  @Argument(help: "A directory written by `similarity train` or `hello-world --out`.")
  var modelDirectory: String
  @Option(help: "Data set (default: the one recorded in run.json, else mnist).")
  var dataset: DatasetChoice?
  @Option(help: "Directory holding the data set's IDX files.") var dataDir: String?
  @Option(parsing: .unconditional, help: "Number of test images to match.") var count = 20
  @Option(
    parsing: .unconditional,
    help: """
      Use this distance threshold instead of the calibrated one (≥ 0; negative only for \
      inner-product models).
      """)
  var distance: Float?

  func validate() throws {
    try OptionCheck.positive(count, "--count")
    if let distance { try OptionCheck.finite(distance, "--distance") }
  }

  func run() throws {
    let loaded = try ModelQueries(
      modelDirectory, dataset: dataset, dataDirectory: dataDir, count: count)
    let (model, test) = (loaded.model, loaded.queries)
    if let distance, distance < 0, !model.distance.isSimilarity {
      throw ValidationError(
        "--distance: expected a threshold ≥ 0 (\(model.distance) distances are never negative, "
          + "so nothing would match), found \(distance)")
    }
    let matches = try model.match(
      test.examples, cutpoint: distance.map { .distance($0) } ?? .optimal)
    let nearest = try model.lookup(test.examples, k: 1)
    if loaded.indexedLeftOut > 0 {
      print("(the \(loaded.indexedLeftOut) test images the index holds are left out)")
    }
    print("image  true  match    distance")
    for i in 0..<test.count {
      let shown = matches[i].map(String.init) ?? "unknown"
      print(
        "\(pad(loaded.testIndices[i], 5))  \(pad(test.labels[i], 4))  "
          + "\(shown.padding(toLength: 7, withPad: " ", startingAt: 0))  "
          + format(nearest[i].first?.distance ?? .nan))
    }
    let correct = zip(matches, test.labels).filter { $0.0 == $0.1 }.count
    let unknown = matches.filter { $0 == nil }.count
    print(
      "accuracy \(format(Double(correct) / Double(max(test.count, 1)))) "
        + "(\(correct)/\(test.count)), unknown \(unknown)")
  }
}

/// Right-aligned integer.
func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return String(repeating: " ", count: max(0, width - text.count)) + text
}
