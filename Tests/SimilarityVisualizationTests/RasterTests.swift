import Testing

@testable import SimilarityVisualization

@Suite struct RasterTests {
  @Test func rectanglesAndLinesAreClippedAndExact() {
    var raster = Raster(width: 10, height: 8)
    raster.fillRect(x: -3, y: 6, width: 5, height: 10, color: .black)
    #expect(raster[0, 6] == .black && raster[1, 7] == .black)
    #expect(raster[2, 6] == .white && raster[0, 5] == .white)
    raster.drawLine(x0: 0, y0: 0, x1: 9, y1: 0, color: .wrong)
    #expect((0..<10).allSatisfy { raster[$0, 0] == .wrong })
    raster.drawLine(x0: 9, y0: 1, x1: 9, y1: 5, color: .right, dash: 1)
    #expect(raster[9, 1] == .right && raster[9, 2] == .white && raster[9, 3] == .right)
    raster.strokeRect(x: 2, y: 2, width: 4, height: 4, color: .ink)
    #expect(raster[2, 2] == .ink && raster[5, 5] == .ink && raster[3, 3] == .white)
  }

  @Test func translucentColoursBlend() {
    var raster = Raster(width: 1, height: 1, fill: .black)
    raster.plot(x: 0, y: 0, color: Color(red: 255, green: 255, blue: 255, alpha: 128))
    let blended = raster[0, 0]
    #expect(blended.alpha == 255 && abs(Int(blended.red) - 128) <= 1)
  }

  @Test func scaledDrawingRepeatsPixels() {
    let image = PixelImage(width: 2, height: 1, format: .gray, bytes: [0, 200])
    var raster = Raster(width: 6, height: 3)
    raster.draw(image.raster, x: 0, y: 0, scale: 3)
    #expect(raster[2, 2] == .black)
    #expect(raster[3, 0] == Color(gray: 200) && raster[5, 2] == Color(gray: 200))
  }

  @Test func rgbImagesKeepTheirColours() {
    let image = PixelImage(width: 1, height: 2, format: .rgb, bytes: [1, 2, 3, 4, 5, 6])
    #expect(image.color(x: 0, y: 1) == Color(red: 4, green: 5, blue: 6))
    let floats = PixelImage(width: 2, height: 1, grayValues: [0.5, 2])
    #expect(floats.bytes == [128, 255])
  }

  @Test func everyGlyphIsDistinctAndFitsItsCell() {
    let characters = (32...126).compactMap { Unicode.Scalar($0).map(Character.init) }
    #expect(characters.allSatisfy(BitmapFont.hasGlyph))
    let glyphs = characters.map(BitmapFont.glyph)
    #expect(glyphs.allSatisfy { $0.count == BitmapFont.glyphHeight && $0.allSatisfy { $0 < 32 } })
    #expect(Set(glyphs).count == glyphs.count)
    // Only the space is empty; unknown characters fall back to "?".
    #expect(glyphs.filter { $0.allSatisfy { $0 == 0 } }.count == 1)
    #expect(BitmapFont.glyph(for: "€") == BitmapFont.glyph(for: "?"))
  }

  @Test func textIsDrawnWhereMeasured() {
    var raster = Raster(width: 40, height: 20)
    raster.drawText("1", x: 10, y: 5, color: .black, scale: 2)
    // "1" is "..#.." on its first row: font pixel (2, 0) → raster (14…15, 5…6).
    #expect(raster[14, 5] == .black && raster[15, 6] == .black && raster[13, 5] == .white)
    #expect(BitmapFont.size(of: "12", scale: 2) == (22, 18))
    let rotated = raster.rotatedCounterClockwise()
    #expect(rotated.width == 20 && rotated.height == 40)
    #expect(rotated[5, 40 - 1 - 14] == .black)
  }
}
