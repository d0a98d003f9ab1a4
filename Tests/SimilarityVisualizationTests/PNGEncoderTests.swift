import Foundation
import Testing

@testable import SimilarityVisualization

@Suite struct PNGEncoderTests {
  /// A 7×5 raster whose every pixel differs, so a filter or stride mistake shows.
  static func gradient(alpha: Bool) -> Raster {
    var raster = Raster(width: 7, height: 5)
    for y in 0..<5 {
      for x in 0..<7 {
        raster[x, y] = Color(
          red: UInt8(x * 36), green: UInt8(y * 60), blue: UInt8((x * 13 + y * 29) % 256),
          alpha: alpha ? UInt8(255 - x * 10 - y * 3) : 255)
      }
    }
    return raster
  }

  @Test(arguments: [false, true])
  func pythonZlibDecodesTheSamePixels(alpha: Bool) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let raster = Self.gradient(alpha: alpha)
    let url = directory.appendingPathComponent("gradient.png")
    try PNGEncoder.write(raster, to: url)
    let decoded = try decodeWithPython(url)
    #expect(decoded.width == 7 && decoded.height == 5)
    #expect(decoded.channels == (alpha ? 4 : 3))
    let expected =
      alpha
      ? raster.pixels
      : stride(from: 0, to: raster.pixels.count, by: 4).flatMap { raster.pixels[$0..<($0 + 3)] }
    #expect(decoded.pixels == expected)
  }

  @Test func signatureHeaderAndChunkChecksums() throws {
    let bytes = PNGEncoder.encode(Raster(width: 300, height: 2, fill: Color(rgb: 0x123456)))
    #expect(Array(bytes.prefix(8)) == PNGEncoder.signature)
    let chunks = try parsePNGChunks(bytes)
    #expect(chunks.first?.type == "IHDR")
    #expect(chunks.last?.type == "IEND")
    #expect(chunks.last?.data.isEmpty == true)
    #expect(chunks.contains { $0.type == "IDAT" })
    #expect(chunks.allSatisfy { $0.crcMatches })
    let header = try #require(chunks.first?.data)
    #expect(header.count == 13)
    // Width 300, height 2 (big-endian), bit depth 8, colour type 2 (RGB), default methods.
    #expect(header == [0, 0, 1, 44, 0, 0, 0, 2, 8, 2, 0, 0, 0])
    // A translucent pixel switches to RGBA.
    var translucent = Raster(width: 1, height: 1)
    translucent[0, 0] = Color(red: 1, green: 2, blue: 3, alpha: 4)
    let rgba = try parsePNGChunks(PNGEncoder.encode(translucent))
    #expect(rgba.first?.data[9] == 6)
  }

  @Test func dataURIHoldsTheEncodedBytes() throws {
    let raster = Self.gradient(alpha: false)
    let uri = PNGEncoder.dataURI(raster)
    let prefix = "data:image/png;base64,"
    #expect(uri.hasPrefix(prefix))
    let decoded = try #require(Data(base64Encoded: String(uri.dropFirst(prefix.count))))
    #expect(Array(decoded) == PNGEncoder.encode(raster))
  }

  @Test func writingIntoAMissingDirectoryNamesThePath() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("missing/out.png")
    #expect {
      try PNGEncoder.write(Raster(width: 2, height: 2), to: url)
    } throws: { error in
      guard let error = error as? OutputError else { return false }
      return error.path == url.path && "\(error)".contains(url.path)
        && "\(error)".contains("\(directory.path)/missing is not an existing directory")
    }
    // A regular file where a directory is expected; nothing is left behind either way.
    let file = directory.appendingPathComponent("file")
    try Data([1]).write(to: file)
    #expect(throws: OutputError.self) {
      try OutputFile.write("x", to: file.appendingPathComponent("report.html"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["file"])
  }

  @Test func atomicWriteReplacesAnExistingFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("page.html")
    try OutputFile.write("old content", to: url)
    try OutputFile.write("new", to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == "new")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["page.html"])
  }
}
