import Foundation
import Testing

@testable import SimilarityDatasets

/// Decoding against Pillow (scripts/golden/image_decoding.py): Pillow decodes JPEG with
/// libjpeg-turbo too (islow DCT, fancy upsampling), so the pixels must be identical.
@Suite struct ImageDecodingTests {
  static let decoded = [
    "grey.jpg", "rgb420.jpg", "rgb444.jpg", "progressive.jpg", "grey.png", "rgb.png",
  ]

  static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: TestSupport.fixture("images/" + name)))
  }

  @Test(arguments: decoded) func decodesLikePillow(_ name: String) throws {
    let url = try TestSupport.fixture("images/" + name)
    let image = try DecodedImage.read(url.path)
    let expected = try NPYFile.read(
      from: try TestSupport.fixture("images/" + name.replacingOccurrences(of: ".", with: "_")
        + ".npy"))
    guard case .uint8(let pixels) = expected.storage else {
      Issue.record("the golden file is not uint8")
      return
    }
    #expect(image.shape == expected.shape)
    #expect(image.pixels == pixels, "\(name): pixels differ from Pillow's")
  }

  @Test func formatIsChosenByMagicBytesNotExtension() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let misnamed = directory.appendingPathComponent("photo.png")
    try Data(try Self.bytes("rgb420.jpg")).write(to: misnamed)
    let image = try DecodedImage.read(misnamed.path)
    #expect(image.shape == [11, 17, 3])
    #expect(ImageFormat.detect(try Self.bytes("grey.png")) == .png)
    #expect(ImageFormat.detect(try Self.bytes("grey.jpg")) == .jpeg)
    #expect(ImageFormat.detect([UInt8]("hello".utf8)) == nil)
  }

  @Test func truncatedJPEGsAreRefusedNotGreyFilled() throws {
    let bytes = try Self.bytes("rgb420.jpg")
    // Cut inside the entropy-coded data: libjpeg-turbo would warn and fill the rest in grey.
    for keep in [bytes.count - 2, bytes.count * 2 / 3, 400] {
      do {
        _ = try DecodedImage.decode(Array(bytes.prefix(keep)), path: "cut.jpg")
        Issue.record("a JPEG cut to \(keep) of \(bytes.count) bytes decoded")
      } catch {
        guard case .invalidImage(let path, .jpeg, let reason) = error else {
          Issue.record("unexpected \(error)")
          continue
        }
        #expect(path == "cut.jpg")
        #expect("\(error)".hasPrefix("cut.jpg: not a valid JPEG image: "), "\(error)")
        #expect(!reason.isEmpty)
      }
    }
    // Cut inside the header: the header read fails.
    #expect(throws: ImageError.self) { try DecodedImage.decode(Array(bytes.prefix(40)), path: "h.jpg") }
  }

  @Test func corruptEntropyDataIsRefused() throws {
    var bytes = try Self.bytes("rgb444.jpg")
    // Overwrite the scan data (after the last SOS marker) with 0xFF 0xD9-free garbage markers.
    let sos = bytes.indices.last { bytes[$0] == 0xFF && $0 + 1 < bytes.count && bytes[$0 + 1] == 0xDA }!
    for i in (sos + 20)..<(bytes.count - 2) where i % 3 == 0 { bytes[i] = 0xFF }
    #expect {
      _ = try DecodedImage.decode(bytes, path: "bad.jpg")
    } throws: { error in
      guard let error = error as? ImageError, case .invalidImage("bad.jpg", .jpeg, _) = error else {
        return false
      }
      return true
    }
  }

  @Test func cmykIsRefusedClearly() throws {
    let path = try TestSupport.fixture("images/cmyk.jpg").path
    #expect(throws: ImageError.unsupportedColorSpace(path: path, format: .jpeg, colorSpace: "CMYK")) {
      try DecodedImage.read(path)
    }
    #expect("\(ImageError.unsupportedColorSpace(path: "a.jpg", format: .jpeg, colorSpace: "CMYK"))"
      .contains("a.jpg: JPEG image in the CMYK colour space"))
  }

  @Test func nonImagesAndEmptyFilesAreNamed() throws {
    #expect(throws: ImageError.unknownFormat(path: "notes.jpg", found: Array("hello".utf8))) {
      try DecodedImage.decode(Array("hello".utf8), path: "notes.jpg")
    }
    #expect("\(ImageError.unknownFormat(path: "e.png", found: []))".contains("found an empty file"))
    do {
      _ = try DecodedImage.read("/tmp")
      Issue.record("a directory decoded")
    } catch {
      guard case .unreadableFile("/tmp", let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(reason.contains("is a directory"), "\(reason)")
    }
  }

  @Test func hugeJPEGHeadersAreRefusedBeforeAllocating() throws {
    var bytes = try Self.bytes("grey.jpg")
    // SOF0 (FF C0): length(2) precision(1) height(2) width(2); claim 65,000 × 65,000.
    let sof = bytes.indices.first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }!
    bytes[sof + 5] = 0xFD
    bytes[sof + 6] = 0xE8
    bytes[sof + 7] = 0xFD
    bytes[sof + 8] = 0xE8
    do {
      _ = try DecodedImage.decode(bytes, path: "huge.jpg")
      Issue.record("a \(bytes.count)-byte JPEG claiming 65,000² pixels decoded")
    } catch {
      guard case .invalidImage("huge.jpg", .jpeg, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(reason.contains("65000 × 65000 pixels"), "\(reason)")
      #expect(reason.contains("more than"), "\(reason)")
    }
  }

  @Test func encoderRoundTrips() throws {
    // A smooth image survives quality 100 4:4:4 within a few levels.
    let pixels = (0..<(24 * 16 * 3)).map { (i: Int) -> UInt8 in
      let column = i / 3 % 16
      return UInt8(column * 8 + (i % 3) * 20)
    }
    let image = DecodedImage(height: 24, width: 16, channels: 3, pixels: pixels)
    let jpeg = try JPEGEncoder.encode(image, quality: 100, subsampling: .none)
    #expect(ImageFormat.detect(jpeg) == .jpeg)
    let back = try DecodedImage.decode(jpeg, path: "round.jpg")
    #expect(back.shape == image.shape)
    let worst = zip(back.pixels, pixels).map { abs(Int($0) - Int($1)) }.max()!
    #expect(worst <= 3, "largest difference \(worst)")
    let grey = DecodedImage(height: 3, width: 5, channels: 1, pixels: Array(repeating: 77, count: 15))
    let decodedGrey = try DecodedImage.decode(try JPEGEncoder.encode(grey), path: "g.jpg")
    #expect(decodedGrey.shape == [3, 5, 1])
    #expect(decodedGrey.pixels.allSatisfy { abs(Int($0) - 77) <= 1 })
  }
}
