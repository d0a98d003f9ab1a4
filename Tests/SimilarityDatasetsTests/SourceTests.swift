import Foundation
import Testing

@testable import SimilarityDatasets

/// Image folders, manifests and `.npy` sources, built in temporary folders.
@Suite struct SourceTests {
  static func jpeg(_ height: Int, _ width: Int, grey: Bool = false, value: UInt8 = 128) throws -> Data {
    let channels = grey ? 1 : 3
    let image = DecodedImage(
      height: height, width: width, channels: channels,
      pixels: (0..<(height * width * channels)).map { UInt8((Int(value) + $0 % 7) % 256) })
    return Data(try JPEGEncoder.encode(image))
  }

  static func write(_ files: [String: Data], in root: URL) throws {
    for (name, data) in files {
      let url = root.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: url)
    }
  }

  @Test func imageFolderListsSortedClassesWithoutDecoding() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.write(
      [
        "zebra/b.JPG": try Self.jpeg(30, 40), "zebra/a.jpeg": try Self.jpeg(8, 8, grey: true),
        "apple/1.png": Data(try Data(contentsOf: TestSupport.fixture("images/rgb.png"))),
        "apple/notes.txt": Data("x".utf8), "apple/.hidden.jpg": Data("x".utf8),
        "mango/broken.jpg": Data("not an image".utf8), "README": Data(),
      ], in: root)
    let source = try ImageFolderSource(directory: root.path)
    #expect(source.classNames == ["apple", "mango", "zebra"])
    #expect(source.labels == [0, 1, 2, 2])
    #expect(source.examples[2].location == .file(root.path + "/zebra/a.jpeg"))
    guard case .image(let image) = try source.load(3) else {
      Issue.record("not an image")
      return
    }
    #expect(image.shape == [30, 40, 3])
    #expect(throws: SourceError.image(.unknownFormat(
      path: root.path + "/mango/broken.jpg", found: Array("not an i".utf8)))) {
      try source.load(1)
    }
  }

  @Test func imageFolderErrorsNameThePath() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    #expect(throws: SourceError.noClassFolders(path: root.path)) {
      try ImageFolderSource(directory: root.path)
    }
    try Self.write(["a/x.jpg": try Self.jpeg(4, 4), "b/x.gif": Data()], in: root)
    #expect(throws: SourceError.emptyClassFolder(path: root.path + "/b")) {
      try ImageFolderSource(directory: root.path)
    }
    #expect(throws: SourceError.notADirectory(path: root.path + "/a/x.jpg")) {
      try ImageFolderSource(directory: root.path + "/a/x.jpg")
    }
  }

  @Test func manifestResolvesPathsDetectsHeadersAndQuotes() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.write(
      ["img/a, b.jpg": try Self.jpeg(5, 5), "img/c.jpg": try Self.jpeg(6, 6, grey: true)],
      in: root)
    let csv = root.appendingPathComponent("list.csv")
    try Data("path,label\r\n\"img/a, b.jpg\",3\n\n\(root.path)/img/c.jpg, 0\n".utf8).write(to: csv)
    let numeric = try ManifestSource(manifest: csv.path)
    #expect(numeric.classNames == nil)
    #expect(numeric.labels == [3, 0])
    #expect(numeric.examples[0].location == .file(root.path + "/img/a, b.jpg"))
    // TSV, no header, class names sorted into labels.
    let tsv = root.appendingPathComponent("list.tsv")
    try Data("img/c.jpg\tcat\nimg/a, b.jpg\tant\nimg/c.jpg\tcat\n".utf8).write(to: tsv)
    let named = try ManifestSource(manifest: tsv.path)
    #expect(named.classNames == ["ant", "cat"])
    #expect(named.labels == [1, 0, 1])
    guard case .image(let grey) = try named.load(0) else {
      Issue.record("not an image")
      return
    }
    #expect(grey.shape == [6, 6, 1])
    // An unusual header is still recognised when only it has a non-integer label.
    try Data("img,cls\nimg/c.jpg,1\n".utf8).write(to: csv)
    #expect(try ManifestSource(manifest: csv.path).labels == [1])
  }

  @Test func manifestErrorsNameTheRow() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.write(["c.jpg": try Self.jpeg(4, 4)], in: root)
    let csv = root.appendingPathComponent("m.csv")
    let cases: [(String, Int, String)] = [
      ("path,label\nc.jpg,1\nmissing.jpg,2\n", 3, "does not exist"),
      ("c.jpg,1\nc.jpg\n", 2, "expected 2 fields"),
      ("c.jpg,1\nc.jpg,-4\n", 2, "is negative"),
      ("c.jpg,1\n\"c.jpg,2\n", 2, "never closed"),
      ("c.jpg,1\nc\"x.jpg,2\n", 2, "a quote inside an unquoted field"),
      (",1\n", 1, "the path is empty"),
    ]
    for (text, row, reason) in cases {
      try Data(text.utf8).write(to: csv)
      do {
        _ = try ManifestSource(manifest: csv.path)
        Issue.record("accepted \(text.debugDescription)")
      } catch {
        guard case .badManifestRow(csv.path, row, let found) = error else {
          Issue.record("\(text.debugDescription): \(error)")
          continue
        }
        #expect(found.contains(reason), "\(found)")
        #expect("\(error)".hasPrefix("\(csv.path): row \(row): "))
      }
    }
    try Data("path,label\n".utf8).write(to: csv)
    #expect(throws: SourceError.emptyManifest(file: csv.path)) {
      try ManifestSource(manifest: csv.path)
    }
  }

  @Test func npyRowsLoadOneAtATime() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let images = root.appendingPathComponent("x.npy")
    let labels = root.appendingPathComponent("y.npy")
    try NPYFile.write(
      try NPYArray(shape: [3, 2, 2], storage: .uint8((0..<12).map(UInt8.init))), to: images)
    try NPYFile.write(try NPYArray(shape: [3], int64s: [2, 0, 1]), to: labels)
    let source = try NPYImageSource(images: images.path, labels: labels.path)
    #expect(source.labels == [2, 0, 1])
    #expect(source.rowShape == [2, 2, 1])
    guard case .image(let row) = try source.load(2) else {
      Issue.record("a uint8 row is not an image")
      return
    }
    #expect(row.pixels == [8, 9, 10, 11])
    #expect(source.name(of: 2) == images.path + " row 2")
    // float32 rows with 2 channels are values, not images.
    try NPYFile.write(
      try NPYArray(shape: [3, 1, 1, 2], floats: [0.5, 1, 2, 3, 4, 5]), to: images)
    guard case .values(let values) = try NPYImageSource(images: images.path, labels: labels.path)
      .load(1)
    else {
      Issue.record("a float row is not values")
      return
    }
    #expect(values.values == [2, 3])
  }

  @Test func npyErrorsNameTheFile() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let images = root.appendingPathComponent("x.npy")
    let labels = root.appendingPathComponent("y.npy")
    try NPYFile.write(try NPYArray(shape: [2, 2, 2], storage: .uint8(Array(repeating: 1, count: 8))), to: images)
    try NPYFile.write(try NPYArray(shape: [3], int64s: [0, 1, 2]), to: labels)
    #expect(throws: SourceError.labelCountMismatch(
      images: images.path, examples: 2, labels: labels.path, count: 3)) {
      try NPYImageSource(images: images.path, labels: labels.path)
    }
    try NPYFile.write(try NPYArray(shape: [2], floats: [0, 1]), to: labels)
    #expect(throws: SourceError.self) { try NPYImageSource(images: images.path, labels: labels.path) }
    try NPYFile.write(try NPYArray(shape: [2], int64s: [0, -1]), to: labels)
    do {
      _ = try NPYImageSource(images: images.path, labels: labels.path)
      Issue.record("a negative label was accepted")
    } catch {
      #expect("\(error)" == "\(labels.path): label -1 at row 1; expected 0 or more")
    }
    try NPYFile.write(try NPYArray(shape: [2], int64s: [0, 1]), to: labels)
    try NPYFile.write(try NPYArray(shape: [2, 4], int64s: Array(repeating: 0, count: 8)), to: images)
    #expect(throws: SourceError.self) { try NPYImageSource(images: images.path, labels: labels.path) }
    // A truncated array is refused by its declared size before any row is read.
    var bytes = NPYFile.encode(try NPYArray(shape: [2, 2, 2], storage: .uint8(Array(repeating: 1, count: 8))))
    bytes.removeLast(3)
    try bytes.write(to: images)
    do {
      _ = try NPYImageSource(images: images.path, labels: labels.path)
      Issue.record("a truncated array was accepted")
    } catch {
      guard case .badArray(images.path, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(reason.contains("data section has 5 bytes, expected 8"), "\(reason)")
    }
  }
}

@Suite struct ExampleSourcesTests {
  @Test func pathKindChoosesTheSource() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try SourceTests.write(["images/a/x.jpg": try SourceTests.jpeg(4, 4)], in: root)
    let folder = root.appendingPathComponent("images").path
    #expect(try ExampleSources.open(data: folder) is ImageFolderSource)
    let csv = root.appendingPathComponent("list.txt").path
    try Data("images/a/x.jpg,0\n".utf8).write(to: URL(fileURLWithPath: csv))
    #expect(try ExampleSources.open(data: csv) is ManifestSource)
    let images = root.appendingPathComponent("x.bin").path
    let labels = root.appendingPathComponent("y.npy").path
    try NPYFile.write(try NPYArray(shape: [1, 2, 2], storage: .uint8([1, 2, 3, 4])), to: URL(fileURLWithPath: images))
    try NPYFile.write(try NPYArray(shape: [1], int64s: [0]), to: URL(fileURLWithPath: labels))
    #expect(try ExampleSources.open(data: images, labels: labels) is NPYImageSource)
    #expect(throws: SourceError.missingLabels(images: images)) {
      try ExampleSources.open(data: images)
    }
    #expect(throws: SourceError.unexpectedLabels(data: folder, labels: labels)) {
      try ExampleSources.open(data: folder, labels: labels)
    }
    #expect(throws: SourceError.self) { try ExampleSources.open(data: root.path + "/nothing") }
  }
}
