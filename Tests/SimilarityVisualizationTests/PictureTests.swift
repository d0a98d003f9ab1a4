import Foundation
import SimilarityEvaluation
import Testing

@testable import SimilarityVisualization

@Suite struct PictureTests {
  @Test func confusionMatrixCellsDarkenWithTheirCounts() throws {
    // True 0: 9 right, 1 wrong; true 1: 3 right, 5 wrong, 2 unknown.
    let truth = [Int](repeating: 0, count: 10) + [Int](repeating: 1, count: 10)
    let predicted: [Int?] =
      [Int?](repeating: 0, count: 9) + [1] + [1, 1, 1] + [0, 0, 0, 0, 0]
      + [nil, nil]
    let matrix = try ConfusionMatrix(trueLabels: truth, predictedLabels: predicted)
    let picture = ConfusionMatrixPicture(matrix, classNames: ["cat", "dog"], cellSize: 40)
    #expect(picture.showsUnknownColumn && picture.columnCount == 3)
    let cells = [(0, 0, 9), (1, 0, 5), (1, 1, 3), (1, 2, 2), (0, 1, 1), (0, 2, 0)]
    let luminances = cells.map { picture.cellColor(row: $0.0, column: $0.1).luminance }
    #expect(luminances == luminances.sorted())
    #expect(Set(luminances).count == luminances.count)
    #expect(picture.cellColor(row: 0, column: 0) == ColorScale.blues.stops.last)
    #expect(picture.cellColor(row: 0, column: 2) == ColorScale.blues.stops.first)
    // The raster shows those colours at the cells' centres (away from the printed numbers).
    let raster = picture.raster()
    let (left, top, _, _) = picture.layout
    for (row, column, _) in cells {
      let x = left + column * 40 + 3
      let y = top + row * 40 + 3
      #expect(raster[x, y] == picture.cellColor(row: row, column: column))
    }
    // Row-normalised: row 1 is 5/10, 3/10, 2/10.
    let normalized = ConfusionMatrixPicture(matrix, values: .rowNormalized)
    #expect(abs(normalized.value(row: 1, column: 0) - 0.5) < 1e-6)
    #expect(normalized.cellColor(row: 0, column: 0) == ColorScale.blues.color(for: 0.9))
  }

  @Test func neighborFramesAreGreenWhenTheLabelMatches() {
    let image = PixelImage(
      width: 4, height: 4, format: .gray, bytes: [UInt8](repeating: 90, count: 16))
    let grid = NeighborGrid(
      rows: [
        .init(
          query: image, queryLabel: 2,
          neighbors: [
            .init(image: image, lookup: LookupResult(distance: 0.1, label: 2)),
            .init(image: image, lookup: LookupResult(distance: 0.2, label: 5)),
            .init(image: image, lookup: LookupResult(distance: 0.3, label: nil)),
          ])
      ], tileSize: 32)
    let raster = grid.raster()
    func frame(_ column: Int) -> Color {
      let origin = grid.tileOrigin(row: 0, column: column)
      let cellWidth = grid.cell.width
      return raster[origin.x + (cellWidth - 32 - 8) / 2 + 1, origin.y + 1]
    }
    #expect(frame(0) == .ink)
    #expect(frame(1) == .right)
    #expect(frame(2) == .wrong)
    #expect(frame(3) == .wrong)
    #expect(grid.rows[0].nearestIsRight)
  }

  @Test func htmlEscapingCoversMarkupAndScripts() {
    #expect(
      HTML.escape("<a href=\"x\">Tom & 'Jerry'</a>")
        == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
    #expect(HTML.javaScriptString("</script>\"\n") == "\"\\u003c/script\\u003e\\\"\\n\"")
    let table = HTML.table(headers: ["<h>"], rows: [["1.5"], ["a&b"]])
    #expect(table.contains("<th>&lt;h&gt;</th>"))
    #expect(table.contains("<td class=\"num\">1.5</td>"))
    #expect(table.contains("<td>a&amp;b</td>"))
  }

  @Test func reportEscapesEveryUserString() {
    var report = Report(title: "<script>alert(1)</script>")
    report.addText("x < y\n\nsecond", heading: "A & B")
    report.addTable(headers: ["k"], rows: [["<img src=x>"]], heading: "T")
    let html = report.html()
    #expect(!html.contains("<script>alert"))
    #expect(!html.contains("<img src=x>"))
    #expect(html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"))
    #expect(html.contains("<h2>A &amp; B</h2>"))
    #expect(html.contains("<p>x &lt; y</p>\n<p>second</p>"))
  }

  @Test func projectorLabelsCannotBreakOutOfTheScript() {
    let projector = Projector(
      positions: [SIMD2(0, 0), SIMD2(1, 2)], labels: [0, nil],
      classNames: ["</script><b>"], title: "t & t")
    let html = projector.htmlPage()
    #expect(!html.contains("</script><b>"))
    #expect(html.contains("\\u003c/script\\u003e\\u003cb\\u003e"))
    #expect(html.contains("t &amp; t"))
    #expect(html.components(separatedBy: "<circle").count == 3)
    // The bounding box fills the square: the points sit at opposite margins in y.
    let positions = projector.pixelPositions()
    #expect(abs(positions[0].y - Double(projector.size - 14)) < 1e-9)
    #expect(abs(positions[1].y - 14) < 1e-9)
    #expect(!isMostlyBlank(projector.raster(), fraction: 0.0005))
  }

  @Test func neighborExamplesSplitRightFromWrong() {
    let image = PixelImage(width: 2, height: 2, format: .gray, bytes: [0, 80, 160, 240])
    func row(_ query: Int, _ nearest: Int?) -> NeighborGrid.Row {
      .init(
        query: image, queryLabel: query,
        neighbors: [.init(image: image, lookup: LookupResult(distance: 0.5, label: nearest))])
    }
    var report = Report(title: "r")
    report.addNeighborExamples([row(1, 1), row(2, 3), row(4, nil), row(5, 5)], limit: 1)
    let html = report.html()
    #expect(html.contains("<h3>Nearest neighbour right (2 of 4)</h3>"))
    #expect(html.contains("<h3>Nearest neighbour wrong (2 of 4)</h3>"))
    #expect(html.components(separatedBy: "<img").count - 1 == 2)
    var allRight = Report(title: "r")
    allRight.addNeighborExamples([row(1, 1)])
    #expect(allRight.html().contains("<p>No such queries.</p>"))
  }
}
