import ArgumentParser

/// Range checks for numbers given on the command line, run from each command's `validate()`
/// before any work. Every message names the option, what it takes and what it got:
/// `--ef: expected a positive integer, found 0`.
///
/// Options whose values may be negative numbers are declared with `parsing: .unconditional`,
/// so `-k -1` reaches these checks (and gets a range error) instead of ArgumentParser's
/// "Missing value", and a negative value that means something (`--id -3`, an inner-product
/// `--distance -0.5`) is accepted.
enum OptionCheck {
  /// `value ≥ 1`.
  static func positive(_ value: Int, _ option: String) throws {
    guard value >= 1 else { throw failure(option, "a positive integer", "\(value)") }
  }

  /// `value ≥ 1` when given.
  static func positive(_ value: Int?, _ option: String) throws {
    if let value { try positive(value, option) }
  }

  /// `value ≥ 0`.
  static func nonNegative(_ value: Int, _ option: String) throws {
    guard value >= 0 else { throw failure(option, "an integer ≥ 0", "\(value)") }
  }

  /// `value ≥ minimum` when given.
  static func atLeast(_ minimum: Int, _ value: Int?, _ option: String) throws {
    if let value, value < minimum {
      throw failure(option, "an integer ≥ \(minimum)", "\(value)")
    }
  }

  /// `value` in `range`.
  static func within(_ range: ClosedRange<Int>, _ value: Int, _ option: String) throws {
    guard range.contains(value) else {
      throw failure(option, "an integer in \(range.lowerBound)…\(range.upperBound)", "\(value)")
    }
  }

  /// A finite `value > 0`.
  static func positive(_ value: Float, _ option: String) throws {
    guard value.isFinite, value > 0 else {
      throw failure(option, "a positive finite number", "\(value)")
    }
  }

  /// A finite `value ≥ 0`.
  static func nonNegative(_ value: Float, _ option: String) throws {
    guard value.isFinite, value >= 0 else {
      throw failure(option, "a finite number ≥ 0", "\(value)")
    }
  }

  /// A finite `value`.
  static func finite(_ value: Float, _ option: String) throws {
    guard value.isFinite else { throw failure(option, "a finite number", "\(value)") }
  }

  /// The positive integers of a comma-separated list such as `1,2,4`.
  static func positiveList(_ text: String, _ option: String) throws -> [Int] {
    let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
      throw failure(option, "positive integers separated by commas", text)
    }
    return values.map { $0! }
  }

  static func failure(_ option: String, _ expected: String, _ found: String) -> ValidationError {
    ValidationError("\(option): expected \(expected), found \(found)")
  }
}
