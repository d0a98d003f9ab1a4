import Foundation
import Testing

/// `similarity report` writes one self-contained page whose figures are `similarity evaluate`'s.
@Suite struct ReportCommandTests {
  /// Trains a tiny model into `directory/model` and returns its path.
  private func trainTinyModel(in directory: URL) throws -> String {
    let model = directory.appendingPathComponent("model").path
    let trained = try CLI.run([
      "train", "--dataset", "fashion-mnist", "--epochs", "1", "--steps", "2",
      "--classes-per-batch", "3", "--examples-per-class", "2", "--index-per-class", "3",
      "--calibrate", "40", "--seed", "5", "--out", model,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    return model
  }

  @Test func theReportShowsTheFiguresOfEvaluate() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainTinyModel(in: directory)
    let page = directory.appendingPathComponent("report.html").path
    let reported = try CLI.run([
      "report", model, "--count", "50", "--projector-points", "40", "--out", page,
    ])
    #expect(reported.status == 0, "\(reported.stderr)")
    let html = try String(contentsOfFile: page, encoding: .utf8)

    // Self-contained: nothing is fetched (the SVG namespace URI is a name, not a reference).
    for reference in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
      #expect(!html.contains(reference), "\(reference)")
    }
    for heading in [
      "Model", "Training", "Calibration", "Retrieval", "Confusion matrix", "Nearest neighbours",
      "Projector",
    ] {
      #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
    }
    #expect(html.contains("data:image/png;base64,"))

    let json = try CLI.evaluateJSON(model, count: 50)
    let retrieval = try #require(json["retrieval"] as? [String: Double])
    #expect(retrieval.keys.contains("recall@1") && retrieval.keys.contains("map@r"))
    for (name, value) in retrieval {
      let cell = "<td>\(name)</td><td class=\"num\">\(String(format: "%.4f", value))</td>"
      #expect(html.contains(cell), "\(cell)")
    }
    let accuracy = try #require(json["accuracy"] as? Double)
    let unknownRate = try #require(json["unknownRate"] as? Double)
    let summary =
      "Accuracy \(String(format: "%.4f", accuracy)), unknown rate "
      + "\(String(format: "%.4f", unknownRate))"
    #expect(html.contains(summary), "\(summary)")
    #expect(html.contains("over 50 queries"))
  }

  @Test func aMissingPartOfTheModelIsNamed() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try trainTinyModel(in: directory)
    try FileManager.default.removeItem(atPath: model + "/index.simx")
    let page = directory.appendingPathComponent("report.html").path
    let result = try CLI.run(["report", model, "--count", "10", "--out", page])
    #expect(result.status != 0)
    #expect(result.stderr.contains("index.simx"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: page))
  }

  @Test func anUnwritableOutputIsRefusedBeforeAnyWork() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A regular file where the output's directory should be: unwritable even for root.
    let blocker = directory.appendingPathComponent("not-a-directory")
    try Data("x".utf8).write(to: blocker)
    let page = blocker.appendingPathComponent("report.html").path
    let result = try CLI.run(["report", directory.path, "--count", "10", "--out", page])
    #expect(result.status != 0)
    #expect(result.stderr.contains(page), "\(result.stderr)")
    #expect(result.stderr.contains("not an existing directory"), "\(result.stderr)")
  }
}
