import Foundation

/// One axis of a chart: its title, linear or logarithmic scale and, optionally, a fixed range.
public struct ChartAxis: Hashable, Sendable {
  /// How values map to positions.
  public enum Scale: Hashable, Sendable {
    /// Equal differences take equal space.
    case linear
    /// Equal ratios take equal space; values ≤ 0 are not drawn.
    case logarithmic
  }

  /// The axis title.
  public var title: String
  /// The scale.
  public var scale: Scale
  /// The values at the two ends of the axis; `nil` fits the data (rounded to ticks).
  public var range: ClosedRange<Double>?

  /// Creates an axis.
  public init(_ title: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil) {
    self.title = title
    self.scale = scale
    self.range = range
  }

  /// Whether `value` can be drawn on this axis.
  func accepts(_ value: Double) -> Bool {
    value.isFinite && (scale == .linear || value > 0)
  }

  /// The domain and ticks for data spanning `values` (which pass ``accepts(_:)``).
  func resolved(for values: [Double]) -> ResolvedAxis {
    let low = values.min() ?? 0
    let high = values.max() ?? 1
    switch scale {
    case .linear:
      var domain = range ?? (low...high)
      if domain.lowerBound == domain.upperBound {
        let pad = domain.lowerBound == 0 ? 1 : abs(domain.lowerBound) / 2
        domain = (domain.lowerBound - pad)...(domain.upperBound + pad)
      }
      let step = ResolvedAxis.niceStep((domain.upperBound - domain.lowerBound) / 5)
      if range == nil {
        domain = (floor(domain.lowerBound / step) * step)...(ceil(domain.upperBound / step) * step)
      }
      var ticks: [Double] = []
      var tick = ceil(domain.lowerBound / step - 1e-9) * step
      while tick <= domain.upperBound + step * 1e-9 {
        ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
        tick += step
      }
      let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
      return ResolvedAxis(
        scale: .linear, domain: domain, ticks: ticks,
        labels: ticks.map { String(format: "%.\(decimals)f", $0) })
    case .logarithmic:
      var domain = range ?? (low...high)
      if domain.lowerBound <= 0 { domain = min(1, domain.upperBound / 10)...domain.upperBound }
      let lowExponent = floor(log10(domain.lowerBound) + 1e-9)
      var highExponent = ceil(log10(domain.upperBound) - 1e-9)
      if highExponent <= lowExponent { highExponent = lowExponent + 1 }
      if range == nil { domain = pow(10, lowExponent)...pow(10, highExponent) }
      let decades = Int(highExponent - lowExponent)
      let multipliers: [Double] = decades <= 2 ? [1, 2, 5] : [1]
      var ticks: [Double] = []
      for exponent in Int(lowExponent)...Int(highExponent) {
        for m in multipliers {
          let tick = m * pow(10, Double(exponent))
          if tick >= domain.lowerBound * (1 - 1e-9) && tick <= domain.upperBound * (1 + 1e-9) {
            ticks.append(tick)
          }
        }
      }
      return ResolvedAxis(
        scale: .logarithmic, domain: domain, ticks: ticks, labels: ticks.map(Self.compact))
    }
  }

  /// `1500` → `1.5k`, `2000000` → `2M`, `0.01` → `0.01`.
  static func compact(_ value: Double) -> String {
    func trimmed(_ v: Double) -> String {
      let text = String(format: "%.2f", v)
      var result = Substring(text)
      while result.hasSuffix("0") { result = result.dropLast() }
      if result.hasSuffix(".") { result = result.dropLast() }
      return String(result)
    }
    if value >= 1e9 { return trimmed(value / 1e9) + "G" }
    if value >= 1e6 { return trimmed(value / 1e6) + "M" }
    if value >= 1e3 { return trimmed(value / 1e3) + "k" }
    return value >= 1 ? trimmed(value) : String(format: "%g", value)
  }
}

/// An axis fitted to data: its domain, ticks and their labels, and the value-to-pixel map.
struct ResolvedAxis {
  var scale: ChartAxis.Scale
  var domain: ClosedRange<Double>
  var ticks: [Double]
  var labels: [String]

  /// The position of `value` between `start` (domain's lower end) and `end` (upper end).
  func position(of value: Double, from start: Double, to end: Double) -> Double {
    let t: Double
    switch scale {
    case .linear:
      t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
    case .logarithmic:
      t = log(value / domain.lowerBound) / log(domain.upperBound / domain.lowerBound)
    }
    return start + (end - start) * t
  }

  /// 1, 2 or 5 times a power of ten, at least `rough`.
  static func niceStep(_ rough: Double) -> Double {
    guard rough > 0, rough.isFinite else { return 1 }
    let magnitude = pow(10, floor(log10(rough)))
    for m in [1.0, 2, 5, 10] where m * magnitude >= rough * (1 - 1e-9) { return m * magnitude }
    return 10 * magnitude
  }
}
