/// A line or scatter chart of one or more series, with optional vertical markers (such as
/// calibrated cutpoints), rendered as SVG for HTML or as a ``Raster`` for PNG from the same
/// layout.
///
/// Points with a non-finite coordinate, or ≤ 0 on a logarithmic axis, are skipped.
public struct Chart: Hashable, Sendable {
  /// A data point.
  public struct Point: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
      self.x = x
      self.y = y
    }
  }

  /// How a series is drawn.
  public enum Mark: Hashable, Sendable {
    /// A polyline through the points in the given order.
    case line
    /// A dot per point.
    case points
    /// Both.
    case lineAndPoints
  }

  /// One named sequence of points.
  public struct Series: Hashable, Sendable {
    public var name: String
    public var points: [Point]
    public var mark: Mark
    /// `nil` takes the palette colour of the series' position.
    public var color: Color?

    public init(_ name: String, points: [Point], mark: Mark = .line, color: Color? = nil) {
      self.name = name
      self.points = points
      self.mark = mark
      self.color = color
    }

    /// A series of `y[i]` at `x[i]`; the shorter array sets the length.
    public init(_ name: String, x: [Double], y: [Double], mark: Mark = .line, color: Color? = nil) {
      self.init(name, points: zip(x, y).map { Point(x: $0, y: $1) }, mark: mark, color: color)
    }
  }

  /// A labelled vertical dashed line at `x`.
  public struct Marker: Hashable, Sendable {
    public var x: Double
    public var label: String
    public var color: Color
    public init(x: Double, label: String, color: Color = .ink) {
      self.x = x
      self.label = label
      self.color = color
    }
  }

  public var title: String
  public var xAxis: ChartAxis
  public var yAxis: ChartAxis
  public var series: [Series]
  public var markers: [Marker]
  /// Size in pixels.
  public var width: Int
  public var height: Int

  /// Creates a chart.
  public init(
    title: String, xAxis: ChartAxis, yAxis: ChartAxis, series: [Series], markers: [Marker] = [],
    width: Int = 720, height: Int = 420
  ) {
    precondition(width >= 200 && height >= 150, "Chart: size \(width)×\(height) too small")
    self.title = title
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.series = series
    self.markers = markers
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

  /// The plot rectangle (inside the axes) in pixels.
  var plotFrame: PlotFrame {
    PlotFrame(
      width: width, height: height, hasLegend: series.count > 1 || !markers.isEmpty)
  }

  /// The resolved axes over the drawable points and markers.
  var resolvedAxes: (x: ResolvedAxis, y: ResolvedAxis) {
    let points = series.flatMap(\.points).filter { xAxis.accepts($0.x) && yAxis.accepts($0.y) }
    let xs = points.map(\.x) + markers.map(\.x).filter(xAxis.accepts)
    return (xAxis.resolved(for: xs), yAxis.resolved(for: points.map(\.y)))
  }

  private func draw<Canvas: ChartCanvas>(on canvas: inout Canvas) {
    let frame = plotFrame
    let (x, y) = resolvedAxes
    frame.drawAxes(x: x, y: y, xTitle: xAxis.title, yTitle: yAxis.title, on: &canvas)
    frame.drawTitle(title, on: &canvas)
    func px(_ value: Double) -> Double {
      min(max(x.position(of: value, from: frame.left, to: frame.right), frame.left), frame.right)
    }
    func py(_ value: Double) -> Double {
      min(max(y.position(of: value, from: frame.bottom, to: frame.top), frame.top), frame.bottom)
    }
    var legend: [(String, Color)] = []
    for (index, series) in series.enumerated() {
      let color = series.color ?? ColorScale.categorical(index)
      legend.append((series.name, color))
      let points = series.points.filter { xAxis.accepts($0.x) && yAxis.accepts($0.y) }
        .map { (x: px($0.x), y: py($0.y)) }
      if series.mark != .points && points.count > 1 {
        canvas.polyline(points, color: color, width: 2)
      }
      if series.mark != .line || points.count == 1 {
        for point in points { canvas.circle(x: point.x, y: point.y, radius: 3, fill: color) }
      }
    }
    for (index, marker) in markers.enumerated() where xAxis.accepts(marker.x) {
      let position = px(marker.x)
      canvas.line(
        x0: position, y0: frame.top, x1: position, y1: frame.bottom, color: marker.color,
        width: 1.5, dashed: true)
      let labelY = frame.top + 12 + Double(index % 4) * 18
      let leftHalf = position < (frame.left + frame.right) / 2
      let labelWidth = canvas.width(of: marker.label, style: .normal)
      canvas.rect(
        x: leftHalf ? position + 3 : position - 7 - labelWidth, y: labelY - 8,
        width: labelWidth + 4, height: 16, fill: Color(red: 255, green: 255, blue: 255, alpha: 200))
      canvas.text(
        marker.label, x: position + (leftHalf ? 5 : -5), y: labelY,
        anchor: leftHalf ? .start : .end, color: marker.color, style: .normal, vertical: false)
    }
    frame.drawLegend(legend, on: &canvas)
  }
}

/// The layout shared by charts: title on top, an optional legend row, the plot rectangle, tick
/// labels and axis titles around it.
struct PlotFrame {
  let width: Int
  let height: Int
  let left: Double
  let right: Double
  let top: Double
  let bottom: Double

  init(width: Int, height: Int, hasLegend: Bool) {
    self.width = width
    self.height = height
    left = 86
    right = Double(width) - 24
    top = hasLegend ? 66 : 44
    bottom = Double(height) - 58
  }

  func drawTitle<Canvas: ChartCanvas>(_ title: String, on canvas: inout Canvas) {
    canvas.text(
      title, x: Double(width) / 2, y: 18, anchor: .middle, color: .ink, style: .bold,
      vertical: false)
  }

  /// Grid lines, the frame, tick labels and the axis titles.
  func drawAxes<Canvas: ChartCanvas>(
    x: ResolvedAxis?, y: ResolvedAxis, xTitle: String, yTitle: String, on canvas: inout Canvas
  ) {
    for (tick, label) in zip(y.ticks, y.labels) {
      let position = y.position(of: tick, from: bottom, to: top)
      canvas.line(
        x0: left, y0: position, x1: right, y1: position, color: .grid, width: 1, dashed: false)
      canvas.text(
        label, x: left - 8, y: position, anchor: .end, color: .ink, style: .normal,
        vertical: false)
    }
    if let x {
      for (tick, label) in zip(x.ticks, x.labels) {
        let position = x.position(of: tick, from: left, to: right)
        canvas.line(
          x0: position, y0: top, x1: position, y1: bottom, color: .grid, width: 1, dashed: false)
        canvas.text(
          label, x: position, y: bottom + 16, anchor: .middle, color: .ink, style: .normal,
          vertical: false)
      }
    }
    canvas.line(x0: left, y0: bottom, x1: right, y1: bottom, color: .ink, width: 1, dashed: false)
    canvas.line(x0: left, y0: top, x1: left, y1: bottom, color: .ink, width: 1, dashed: false)
    canvas.text(
      xTitle, x: (left + right) / 2, y: Double(height) - 16, anchor: .middle, color: .ink,
      style: .normal, vertical: false)
    canvas.text(
      yTitle, x: 16, y: (top + bottom) / 2, anchor: .middle, color: .ink, style: .normal,
      vertical: true)
  }

  /// One row of colour swatches and names under the title.
  func drawLegend<Canvas: ChartCanvas>(_ entries: [(String, Color)], on canvas: inout Canvas) {
    guard entries.count > 1 else { return }
    var x = left
    for (name, color) in entries {
      canvas.rect(x: x, y: 37, width: 14, height: 10, fill: color)
      canvas.text(
        name, x: x + 20, y: 42, anchor: .start, color: .ink, style: .normal, vertical: false)
      x += 34 + Double(BitmapFont.size(of: name, scale: 2).width)
    }
  }
}
