/// Maps numbers to colours: a sequential scale for heat maps and a categorical palette for
/// classes.
public struct ColorScale: Hashable, Sendable {
  /// The colours at evenly spaced positions from 0 to 1; values in between are interpolated.
  public var stops: [Color]

  /// Creates a scale through `stops` (at least one).
  public init(stops: [Color]) {
    precondition(!stops.isEmpty, "ColorScale: no stops")
    self.stops = stops
  }

  /// Pale to dark blue, for counts (light = few).
  public static let blues = ColorScale(stops: [
    Color(rgb: 0xF5F9FE), Color(rgb: 0xCFE0F1), Color(rgb: 0x8DBCDD), Color(rgb: 0x4A8FC4),
    Color(rgb: 0x1C5FA3), Color(rgb: 0x0A3069),
  ])

  /// The colour of `value` on a scale from `lower` (first stop) to `upper` (last stop);
  /// values outside are clamped, NaN gives the first stop.
  public func color(for value: Double, from lower: Double = 0, to upper: Double = 1) -> Color {
    guard stops.count > 1, upper > lower, !value.isNaN else { return stops[0] }
    let t = min(max((value - lower) / (upper - lower), 0), 1) * Double(stops.count - 1)
    let index = min(Int(t), stops.count - 2)
    return stops[index].mixed(with: stops[index + 1], fraction: t - Double(index))
  }

  /// Twelve distinct colours for classes; class `i` gets `categorical(i)`, repeating after 12.
  public static let palette: [Color] = [
    0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22,
    0x17BECF, 0x393B79, 0xAD494A,
  ].map { Color(rgb: $0) }

  /// The palette colour of class (or series) number `index`; negative indices wrap too.
  public static func categorical(_ index: Int) -> Color {
    let count = palette.count
    return palette[((index % count) + count) % count]
  }
}
