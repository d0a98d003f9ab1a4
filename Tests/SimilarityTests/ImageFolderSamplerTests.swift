import Foundation
import Testing

@testable import Similarity

/// A 3×2 grey PNG with pixels 0, 10, 20 / 30, 40, 255 and a 2×1 RGB PNG (1,2,3) (4,5,6),
/// written by Python's zlib + struct (no libpng involved).
let greyPNG = Data(
  base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAAAAAC4HznGAAAAEElEQVR4nGNg4BJhkNP4DwACUQFk50JMggAAAABJRU5ErkJggg=="
)!
let rgbPNG = Data(
  base64Encoded:
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAD0lEQVR4nGNgZGJmYWUDAAA/ABYhutRUAAAAAElFTkSuQmCC"
)!

@Suite struct ImageFolderSamplerTests {
  @Test func decodesGreyAndColourPNGs() throws {
    let grey = try PNGImage.decode(Array(greyPNG), path: "grey.png")
    #expect(grey.shape == [2, 3, 1])
    #expect(grey.pixels == [0, 10, 20, 30, 40, 255])
    let rgb = try PNGImage.decode(Array(rgbPNG), path: "rgb.png")
    #expect(rgb.shape == [1, 2, 3])
    #expect(rgb.pixels == [1, 2, 3, 4, 5, 6])
  }

  @Test func badBytesAreNamed() throws {
    #expect(throws: SamplerError.self) { try PNGImage.decode([1, 2, 3], path: "x.png") }
    var truncated = Array(greyPNG)
    truncated.removeLast(30)
    do {
      _ = try PNGImage.decode(truncated, path: "cut.png")
      Issue.record("a truncated PNG decoded")
    } catch {
      #expect("\(error)".hasPrefix("cut.png: not a valid PNG image"))
    }
  }

  func folder(_ layout: [String: [Data]]) throws -> URL {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("similarity-images-\(UUID().uuidString)")
    for (name, images) in layout {
      let classFolder = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
      for (i, image) in images.enumerated() {
        try image.write(to: classFolder.appendingPathComponent("\(i).png"))
      }
    }
    return root
  }

  @Test func samplesClassFoldersAndLoadsImages() throws {
    let root = try folder(["cats": [greyPNG, greyPNG, greyPNG], "dogs": [greyPNG, greyPNG]])
    defer { try? FileManager.default.removeItem(at: root) }
    let sampler = try ImageFolderSampler(
      directory: root, classesPerBatch: 2, examplesPerClass: 2, stepsPerEpoch: 3, scale: 2)
    #expect(sampler.classNames == ["cats", "dogs"])
    #expect(sampler.labels == [0, 0, 0, 1, 1])
    #expect(sampler.exampleShape == [2, 3, 1])
    let batch = sampler.plan(epoch: 1)[0]
    #expect(batch.labels.sorted() == [0, 0, 1, 1])
    let tensor = try sampler.examples(for: batch)
    #expect(tensor.shape == [4, 2, 3, 1])
    #expect(Array(tensor.scalars.prefix(6)) == [0, 20, 40, 60, 80, 510])
  }

  @Test func folderErrorsNameThePath() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID())")
    #expect(throws: SamplerError.notADirectory(path: missing.path)) {
      try ImageFolderSampler(directory: missing, classesPerBatch: 1, examplesPerClass: 1)
    }
    let empty = try folder(["a": [greyPNG], "b": []])
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: SamplerError.emptyClassFolder(path: empty.appendingPathComponent("b").path)) {
      try ImageFolderSampler(directory: empty, classesPerBatch: 1, examplesPerClass: 1)
    }
    let mixed = try folder(["a": [greyPNG], "b": [rgbPNG]])
    defer { try? FileManager.default.removeItem(at: mixed) }
    #expect(throws: SamplerError.tooManyClasses(requested: 3, available: 2)) {
      try ImageFolderSampler(directory: mixed, classesPerBatch: 3, examplesPerClass: 1)
    }
    let sampler = try ImageFolderSampler(directory: mixed, classesPerBatch: 2, examplesPerClass: 1)
    #expect(
      throws: SamplerError.imageShapeMismatch(
        path: mixed.appendingPathComponent("b/0.png").path, expected: [2, 3, 1], found: [1, 2, 3])
    ) {
      try sampler.examples(for: IndexBatch(epoch: 1, step: 0, indices: [1], labels: [1]))
    }
  }
}

/// PNG headers claiming more pixels than the file's data can hold: 1,000,000 × 1,000,000 RGB
/// and 50,000 × 50,000 grey, each a 68-byte file (valid CRCs, a 3-byte IDAT). Decoding used to
/// allocate the whole pixel buffer first: 3 TB (a crash) or 2.5 GB (zero-filled) per file.
@Suite struct PNGHeaderSizeTests {
  static let files = [
    "iVBORw0KGgoAAAANSUhEUgAPQkAAD0JACAIAAADTD68qAAAAC0lEQVR4nGNgYAAAAAMAAbitOmMAAAAASUVORK5CYII=",
    "iVBORw0KGgoAAAANSUhEUgAAw1AAAMNQCAAAAABuxGIWAAAAC0lEQVR4nGNgYAAAAAMAAbitOmMAAAAASUVORK5CYII=",
  ]

  @Test(arguments: files) func hugeHeadersAreRefusedBeforeAllocating(_ base64: String) throws {
    let bytes = Array(Data(base64Encoded: base64)!)
    #expect(bytes.count == 68)
    do {
      _ = try PNGImage.decode(bytes, path: "huge.png")
      Issue.record("a 68-byte PNG claiming billions of pixels decoded")
    } catch {
      guard case .invalidImage(let path, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(path == "huge.png")
      #expect(reason.contains("more than its 68 bytes of compressed data can hold"), "\(reason)")
    }
  }

  @Test func devicesAndDirectoriesAreRefusedByKind() throws {
    for (path, kind) in [("/dev/zero", "is a character device"), ("/tmp", "is a directory")] {
      do {
        _ = try PNGImage.read(path)
        Issue.record("\(path) read as a PNG")
      } catch {
        guard case .unreadableFile(let named, let reason) = error else {
          Issue.record("unexpected \(error)")
          continue
        }
        #expect(named == path)
        #expect(reason.contains(kind) && reason.contains("a regular PNG file"), "\(reason)")
      }
    }
  }

  @Test func theLimitLeavesRealImagesAlone() throws {
    // 3 × 2 grey from 73 bytes: far below 73 × 24,768.
    #expect(try PNGImage.decode(Array(greyPNG), path: "grey.png").pixels.count == 6)
  }
}
