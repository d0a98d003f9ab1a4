import Foundation

/// Which `tf.keras` release's totals lines a model summary imitates. The layer table is the
/// same in both; only the three totals lines differ.
///
/// ```
/// .grouped      Total params: 23,849,984            (tf.keras 2.9–2.12)
/// .withMemory   Total params: 23849984 (90.98 MB)   (tf.keras 2.13 and later, tf_keras 2.21)
/// ```
public enum SummaryStyle: Sendable, CaseIterable {
  /// Thousands separators and no sizes, as `tf.keras` 2.9–2.12 print them (the default).
  case grouped
  /// Plain digits followed by the float32 size, as `tf_keras` 2.13–2.21 print them.
  case withMemory

  /// The three totals lines for `total` parameters of which `trainable` train;
  /// `nonTrainableInt64` of the non-trainable ones are int64 in Keras (a `Normalization`
  /// layer's `count`), 8 bytes each in the sizes.
  func totalsLines(total: Int, trainable: Int, nonTrainableInt64: Int = 0) -> [String] {
    let rows = [
      ("Total params", total, nonTrainableInt64), ("Trainable params", trainable, 0),
      ("Non-trainable params", total - trainable, nonTrainableInt64),
    ]
    return rows.map { label, count, wide in
      switch self {
      case .grouped: "\(label): \(SummaryTable.grouped(count))"
      case .withMemory: "\(label): \(count) (\(Self.memoryText(count, int64: wide)))"
      }
    }
  }

  /// `tf_keras`' `readable_memory_size` of `count` values, float32 but for `int64` of them:
  /// `18.62 KB`, `0.00 Byte` (C's `%.2f`, which rounds as Python's does).
  static func memoryText(_ count: Int, int64: Int = 0) -> String {
    var size = Double(count) * 4 + Double(int64) * 4
    for unit in ["Byte", "KB", "MB", "GB", "TB"] {
      if size / 1024 < 1 { return String(format: "%.2f %@", size, unit) }
      size /= 1024
    }
    return String(format: "%.2f PB", size)
  }
}
