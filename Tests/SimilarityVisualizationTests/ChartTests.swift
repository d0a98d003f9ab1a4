import Foundation
import SimilarityEvaluation
import Testing

@testable import SimilarityVisualization

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ChartTests {
  static func calibration() throws -> Calibration {
    let labels = [1, 1, 2, 2, 3, 3, 4, 4]
    let lookups = [
      [1, 0.1], [1, 0.2], [9, 0.3], [2, 0.4], [9, 0.5], [3, 0.6], [4, 0.7], [8, 0.8],
    ]
    .map { [LookupResult(distance: Float($0[1]), label: Int($0[0]))] }
    return try Calibration(
      queryLabels: labels, lookups: lookups, targets: [.precision(atLeast: 0.99)])
  }

  @Test func svgIsWellFormedAndMarksEveryCutpoint() throws {
    let calibration = try Self.calibration()
    #expect(calibration.cutpoints.count == 1)
    let chart = Chart.calibration(calibration)
    let svg = chart.svg()
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse())
    #expect(svg.components(separatedBy: "stroke-dasharray").count - 1 == 2)
    #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
    #expect(svg.contains(">precision&gt;=0.99 0.200</text>"))
  }

  @Test func rasterDrawsTheOptimalCutpointAtItsDistance() throws {
    let calibration = try Self.calibration()
    let chart = Chart.calibration(calibration, metrics: [.f1])
    let raster = chart.raster()
    let frame = chart.plotFrame
    let x = chart.resolvedAxes.x
    let column = Int(
      x.position(of: Double(calibration.optimal.distance), from: frame.left, to: frame.right)
        .rounded())
    // The dashed line alternates 5 drawn and 5 skipped pixels: about half the column is ink.
    let rows = Int(frame.top)..<Int(frame.bottom)
    let inked = rows.filter { raster[column, $0] == .ink }.count
    #expect(Double(inked) > 0.3 * Double(rows.count))
    let besideLine = rows.filter { raster[column + 3, $0] == .ink }.count
    #expect(besideLine < 4)
  }

  @Test func axesChooseRoundTicks() {
    let linear = ChartAxis("x").resolved(for: [0.03, 0.87])
    #expect(linear.domain == 0...1)
    #expect(linear.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let fixed = ChartAxis("y", range: 0...1).resolved(for: [5])
    #expect(fixed.domain == 0...1)
    let logarithmic = ChartAxis("qps", scale: .logarithmic).resolved(for: [900, 52_000])
    #expect(logarithmic.domain == 100...100_000)
    #expect(logarithmic.labels == ["100", "1k", "10k", "100k"])
    #expect(abs(logarithmic.position(of: 1000, from: 0, to: 300) - 100) < 1e-9)
    let flat = ChartAxis("z").resolved(for: [2, 2])
    #expect(flat.domain.lowerBound < 2 && flat.domain.upperBound > 2)
  }

  @Test func chartsSkipPointsTheyCannotPlace() {
    let chart = Chart(
      title: "t", xAxis: ChartAxis("x"), yAxis: ChartAxis("y", scale: .logarithmic),
      series: [.init("s", x: [1, 2, 3, .nan], y: [10, 0, 100, 5], mark: .points)])
    #expect(chart.svg().components(separatedBy: "<circle").count - 1 == 2)
    let bars = BarChart.retrieval([(.recall(k: 1), 0.5), (.recall(k: 5), .nan)])
    #expect(bars.svg().contains(">recall@5</text>"))
    #expect(!isMostlyBlank(bars.raster()))
  }
}
