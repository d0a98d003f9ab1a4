import Foundation
import Testing

@testable import SimilarityEvaluation

/// Impossible targets are refused, and a stored calibration whose parts disagree is refused
/// when it is read back instead of being shown or used as if valid.
@Suite struct CalibrationValidationTests {
  let queryLabels = [1, 1, 2, 2, 3]
  let batch = lookups(
    labels: [[1], [1], [9], [2], [9]], distances: [[0.1], [0.2], [0.3], [0.4], [0.5]])

  @Test(arguments: [Float(2), .infinity, -1, -.infinity])
  func impossibleTargetsAreRefused(value: Float) {
    // A precision of 2 used to be accepted and reported as "not reached".
    let target = CalibrationTarget.precision(atLeast: value)
    #expect(throws: CalibrationError.invalidTarget(target)) {
      try Calibration(queryLabels: queryLabels, lookups: batch, targets: [target])
    }
    #expect(
      CalibrationError.invalidTarget(target).description
        == "calibration target precision \(value) is impossible: precision is a rate, so the "
        + "target must be a number in [0, 1]")
  }

  private func calibration() throws -> Calibration {
    try Calibration(
      queryLabels: queryLabels, lookups: batch, targets: [.precision(atLeast: 0.7), .f1(atLeast: 0.99)])
  }

  private func readBack(_ edit: (inout Calibration) -> Void) throws -> (any Error)? {
    var edited = try calibration()
    edit(&edited)
    do {
      _ = try Calibration(jsonData: edited.jsonData())
      return nil
    } catch {
      return error
    }
  }

  @Test func aConsistentCalibrationReadsBack() throws {
    #expect(try readBack { _ in } == nil)
  }

  @Test func thresholdsThatDisagreeWithTheCurvesAreRefused() throws {
    // Both cutpoints sit at 0.4; the curves now put that threshold at 0.45.
    let shifted = try readBack { $0.thresholds[3] = 0.45 }
    #expect(
      (shifted as? CalibrationError)
        == .inconsistent("cutpoint \"optimal\" at distance 0.4; the curves put \"optimal\" at distance 0.45"))
    let unsorted = try readBack { $0.thresholds.swapAt(0, 1) }
    #expect(
      (unsorted as? CalibrationError)
        == .inconsistent("thresholds are not ascending and unique: thresholds[1] = 0.1 after 0.2"))
    let short = try readBack { $0.curves[.recall]!.removeLast() }
    #expect(
      (short as? CalibrationError)
        == .inconsistent("the recall curve has 4 values for 5 thresholds"))
  }

  @Test func cutpointsThatDisagreeWithTheCurvesAreRefused() throws {
    let moved = try readBack { $0.optimal.distance = 0.1 }
    #expect(
      (moved as? CalibrationError)
        == .inconsistent("cutpoint \"optimal\" at distance 0.1; the curves put \"optimal\" at distance 0.4"))
    let value = try readBack { $0.optimal.metrics[.precision] = 1 }
    #expect((value as? CalibrationError)?.description.contains("differ from the curves") == true)
    let rate = try readBack { $0.curves[.f1]![0] = 1.5 }
    #expect((rate as? CalibrationError) == .inconsistent("f1[0] = 1.5 is not a rate in [0, 1]"))
    let extra = try readBack { $0.cutpoints.append($0.optimal) }
    #expect(
      (extra as? CalibrationError)
        == .inconsistent("2 target cutpoints stored, but the curves reach 1 of the 2 targets"))
    let target = try readBack { $0.targets[0].value = 2 }
    #expect((target as? CalibrationError) == .invalidTarget(.precision(atLeast: 2)))
  }
}
