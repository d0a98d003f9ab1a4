import SimilarityKernels

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Keras-style progress bar for long work, drawn on standard error.
///
/// On a terminal it redraws one line (`12/847 [=>.....] - 3s - loss: 0.0412`); when standard
/// error is not a terminal (CI, a pipe) it prints nothing until ``finish(_:)``, which prints one
/// plain line, so logs stay readable.
final class ProgressBar {
  private let total: Int
  private let title: String
  private let isTerminal: Bool
  private let start: Double
  private var lastDraw: Double = 0
  private let width = 30

  /// - Parameters:
  ///   - title: shown before the bar, e.g. `Epoch 3/20`.
  ///   - total: number of steps.
  init(title: String, total: Int) {
    self.title = title
    self.total = max(total, 1)
    self.isTerminal = isatty(STDERR_FILENO) == 1
    self.start = monotonicSeconds()
  }

  /// Seconds since the bar was created.
  var elapsed: Double { monotonicSeconds() - start }

  /// Updates the bar after `done` steps; `status` is appended (e.g. `loss: 0.0412`).
  func update(_ done: Int, status: @autoclosure () -> String = "") {
    guard isTerminal else { return }
    let now = monotonicSeconds()
    // Redraw at most 20 times a second; always draw the last step.
    guard now - lastDraw >= 0.05 || done >= total else { return }
    lastDraw = now
    let filled = min(width, done * width / total)
    let bar =
      String(repeating: "=", count: max(0, filled - 1)) + (filled > 0 ? ">" : "")
      + String(repeating: ".", count: width - filled)
    let line = "\r\(title) \(done)/\(total) [\(bar)] - \(formatSeconds(now - start)) - \(status())"
    writeToStandardError(line + "\u{1B}[K")
  }

  /// Ends the bar with a final line: on a terminal it replaces the bar, otherwise it is printed
  /// on its own.
  func finish(_ summary: String) {
    let line = "\(title) \(total)/\(total) - \(formatSeconds(elapsed)) - \(summary)"
    writeToStandardError(isTerminal ? "\r" + line + "\u{1B}[K\n" : line + "\n")
  }
}

/// Writes `text` to standard error, unbuffered.
func writeToStandardError(_ text: String) {
  var bytes = Array(text.utf8)
  bytes.withUnsafeMutableBytes { buffer in
    var offset = 0
    while offset < buffer.count {
      let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
      if written <= 0 { return }
      offset += written
    }
  }
}


/// `0.84s`, `12s`, `3m04s`.
func formatSeconds(_ seconds: Double) -> String {
  if seconds < 10 { return "\((seconds * 100).rounded() / 100)s" }
  if seconds < 60 { return "\(Int(seconds.rounded()))s" }
  let whole = Int(seconds.rounded())
  let rest = whole % 60
  return "\(whole / 60)m\(rest < 10 ? "0" : "")\(rest)s"
}
