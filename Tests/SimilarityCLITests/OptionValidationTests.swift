import Foundation
import Testing

/// Every number given on the command line is checked before use: out-of-range values are
/// refused by option name with the value and what was expected (not "Missing value", not a
/// crash, not a silent substitute), negative values are accepted where they mean something.
@Suite struct OptionValidationTests {
  /// Runs `arguments` and checks it fails with `message` on standard error.
  private func expectRefusal(
    _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let result = try CLI.run(arguments)
    #expect(result.status != 0, "\(arguments)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("Missing value"), "\(arguments)", sourceLocation: sourceLocation)
  }

  @Test func searchOptions() throws {
    let search = ["search", "--index", "i.simx", "--queries", "q.npy"]
    try expectRefusal(search + ["-k", "-1"], "-k: expected a positive integer, found -1")
    try expectRefusal(search + ["--k=0"], "-k: expected a positive integer, found 0")
    try expectRefusal(search + ["--ef", "0"], "--ef: expected a positive integer, found 0")
    try expectRefusal(search + ["--ef=-1"], "--ef: expected a positive integer, found -1")
    try expectRefusal(search + ["--threads", "0"], "--threads: expected a positive integer, found 0")
    try expectRefusal(search + ["--threads", "-1"], "--threads: expected a positive integer, found -1")
  }

  @Test func modelCommandOptions() throws {
    for command in ["match", "evaluate", "calibrate", "report"] {
      let extra = command == "report" ? ["--out", "r.html"] : []
      try expectRefusal(
        [command, "m", "--count=-1"] + extra, "--count: expected a positive integer, found -1")
      try expectRefusal(
        [command, "m", "--count", "-1"] + extra, "--count: expected a positive integer, found -1")
    }
    // `match --count 0` used to print "accuracy 0.0000 (0/0)".
    try expectRefusal(["match", "m", "--count", "0"], "--count: expected a positive integer, found 0")
    try expectRefusal(["match", "m", "--distance", "nan"], "--distance: expected a finite number, found nan")
    try expectRefusal(["calibrate", "m", "--k", "0"], "--k: expected a positive integer, found 0")
    try expectRefusal(["calibrate", "m", "--k=-1"], "--k: expected a positive integer, found -1")
    for value in ["nan", "2", "inf", "-1"] {
      try expectRefusal(
        ["calibrate", "m", "--target", "precision:\(value)"],
        "--target precision:\(value): expected a value in [0, 1] (every metric is a rate), found \(value)")
    }
    try expectRefusal(
      ["report", "m", "--out", "r.html", "--projector-points", "-5"],
      "--projector-points: expected an integer ≥ 0, found -5")
  }

  @Test func indexAndTrainingOptions() throws {
    let build = ["index", "build", "--vectors", "v.npy", "--out", "o.simx"]
    try expectRefusal(build + ["--m", "1"], "--m: expected an integer in 2…255, found 1")
    try expectRefusal(build + ["--ef-search", "-4"], "--ef-search: expected a positive integer, found -4")
    try expectRefusal(build + ["--threads", "0"], "--threads: expected a positive integer, found 0")
    try expectRefusal(
      ["index", "add", "--index", "i.simx", "--vectors", "v.npy", "--threads", "-1"],
      "--threads: expected a positive integer, found -1")
    try expectRefusal(["siamese", "--batch-size", "-1"], "--batch-size: expected a positive integer, found -1")
    try expectRefusal(["siamese", "--margin", "-1"], "--margin: expected a positive finite number, found -1.0")
    try expectRefusal(["siamese", "--threshold", "nan"], "--threshold: expected a finite number ≥ 0, found nan")
    try expectRefusal(["train", "--out", "x", "--steps", "-2"], "--steps: expected a positive integer, found -2")
    try expectRefusal(
      ["hello-world", "--match-per-class", "0"], "--match-per-class: expected a positive integer, found 0")
    try expectRefusal(
      ["bench", "ann", "--threads", "1,0"], "--threads: expected positive integers separated by commas, found 1,0")
  }
}
