import Foundation

/// Vertical bars for labelled values, such as recall@k for several k, with each value printed
/// above its bar; rendered as SVG or as a ``Raster``.
public struct BarChart: Hashable, Sendable {
  /// One bar.
  public struct Bar: Hashable, Sendable {
    public var label: String
    public var value: Double
    /// `nil` takes the first palette colour.
    public var color: Color?
    public init(_ label: String, value: Double, color: Color? = nil) {
      self.label = label
      self.value = value
      self.color = color
    }
  }

  public var title: String
  /// The value axis (its scale is linear whatever is set; non-finite values are drawn as 0).
  public var valueAxis: ChartAxis
  /// The category axis title.
  public var categoryTitle: String
  public var bars: [Bar]
  public var width: Int
  public var height: Int

  /// Creates a bar chart.
  public init(
    title: String, categoryTitle: String = "", valueAxis: ChartAxis, bars: [Bar],
    width: Int = 720, height: Int = 380
  ) {
    precondition(width >= 200 && height >= 150, "BarChart: size \(width)×\(height) too small")
    self.title = title
    self.categoryTitle = categoryTitle
    self.valueAxis = valueAxis
    self.bars = bars
    self.width = width
    self.height = height
  }

  /// The chart as an `<svg>` element.
  public func svg() -> String {
    var canvas = SVGCanvas(width: width, height: height)
    draw(on: &canvas)
    return canvas.svg
  }

  /// The chart as a raster, for PNG output.
  public func raster() -> Raster {
    var canvas = RasterCanvas(width: width, height: height)
    draw(on: &canvas)
    return canvas.raster
  }

  private func draw<Canvas: ChartCanvas>(on canvas: inout Canvas) {
    let frame = PlotFrame(width: width, height: height, hasLegend: false)
    var axis = valueAxis
    axis.scale = .linear
    let values = bars.map { $0.value.isFinite ? $0.value : 0 }
    let y = axis.resolved(for: values + [0])
    frame.drawAxes(x: nil, y: y, xTitle: categoryTitle, yTitle: axis.title, on: &canvas)
    frame.drawTitle(title, on: &canvas)
    guard !bars.isEmpty else { return }
    let slot = (frame.right - frame.left) / Double(bars.count)
    let barWidth = min(slot * 0.7, 90)
    let zero = y.position(
      of: min(max(0, y.domain.lowerBound), y.domain.upperBound),
      from: frame.bottom, to: frame.top)
    for (index, bar) in bars.enumerated() {
      let center = frame.left + slot * (Double(index) + 0.5)
      let value = values[index]
      let top = min(
        max(y.position(of: value, from: frame.bottom, to: frame.top), frame.top),
        frame.bottom)
      canvas.rect(
        x: center - barWidth / 2, y: min(top, zero), width: barWidth, height: abs(zero - top),
        fill: bar.color ?? ColorScale.categorical(0))
      canvas.text(
        HTML.format(bar.value, digits: 3), x: center, y: min(top, zero) - 10, anchor: .middle,
        color: .ink, style: .normal, vertical: false)
      canvas.text(
        bar.label, x: center, y: frame.bottom + 16, anchor: .middle, color: .ink,
        style: .normal, vertical: false)
    }
  }
}
