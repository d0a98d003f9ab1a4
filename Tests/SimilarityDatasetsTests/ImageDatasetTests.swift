import Foundation
import Testing

@testable import SimilarityDatasets

/// Locating and loading with a tiny three-image data set built from the IDX fixtures.
@Suite struct ImageDatasetTests {
  /// Both splits use the fixture files (md5sum of the uncompressed fixtures).
  static let tinyFiles = ImageDataset.SplitFiles(
    images: .init(name: "tiny-images-idx3-ubyte", md5: "60f9957c7945d54901fa238832729e89"),
    labels: .init(name: "tiny-labels-idx1-ubyte", md5: "63691c4f3c236c96e45a4962fe9b3ecb"))

  static func tiny(searchPaths: [ImageDataset.SearchPath] = [], mirrors: [URL] = []) -> ImageDataset
  {
    ImageDataset(
      name: "Tiny", cacheName: "tiny", train: tinyFiles, test: tinyFiles,
      classNames: ["zero", "one", "two"], searchPaths: searchPaths, mirrors: mirrors,
      installHint: "apt-get install tiny-data")
  }

  /// A temporary directory holding copies of the named fixtures.
  private func directory(with fixtures: [String], in parent: URL) throws -> URL {
    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    for name in fixtures {
      try FileManager.default.copyItem(
        at: TestSupport.fixture(name), to: parent.appendingPathComponent(name))
    }
    return parent
  }

  @Test func loadsRawOrCompressedFilesFromAnExplicitDirectory() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let gz = try directory(
      with: ["tiny-images-idx3-ubyte.gz", "tiny-labels-idx1-ubyte.gz"],
      in: root.appendingPathComponent("gz"))
    let raw = try directory(
      with: ["tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte"],
      in: root.appendingPathComponent("raw"))
    for location in [gz, raw] {
      let images = try Self.tiny().load(.train, from: location)
      #expect(images.count == 3 && images.height == 2 && images.width == 2)
      #expect(images.labels == [2, 0, 1])
      #expect(Array(images.pixels(ofImage: 2)) == [8, 9, 10, 11])
    }
  }

  @Test func searchPathsAreTriedInOrder() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let files = ["tiny-images-idx3-ubyte.gz", "tiny-labels-idx1-ubyte.gz"]
    let work = try directory(with: files, in: root.appendingPathComponent("work/data"))
    let cached = try directory(
      with: files, in: root.appendingPathComponent("xdg/swift-similarity/tiny"))
    let dataset = Self.tiny(searchPaths: [
      .environment("TINY_DIR"), .relativeToWorkingDirectory("data"), .cache,
    ])
    var context = DatasetSearchContext(
      environment: [
        "XDG_CACHE_HOME": root.appendingPathComponent("xdg").path, "HOME": "/nonexistent",
      ],
      currentDirectory: root.appendingPathComponent("work"))
    #expect(
      try dataset.locate(.test, context: context).images.deletingLastPathComponent().path
        == work.path)
    try FileManager.default.removeItem(at: work)
    #expect(
      try dataset.locate(.test, context: context).labels.deletingLastPathComponent().path
        == cached.path)
    context.environment["TINY_DIR"] = cached.path
    #expect(
      dataset.candidateDirectories(context: context).map(\.origin) == [
        "$TINY_DIR", "working directory",
      ])
    #expect(try dataset.load(.test, context: context).labels == [2, 0, 1])
  }

  /// MNIST is looked for in `$MNIST_DIR` and the download cache only: a copy beside the
  /// working directory (the old `../shared/datasets/mnist` default) is not a default location.
  @Test func mnistIsLookedForInMNISTDirAndTheCacheOnly() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let beside = root.appendingPathComponent("shared/datasets/mnist")
    try FileManager.default.createDirectory(at: beside, withIntermediateDirectories: true)
    for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
      #expect(
        FileManager.default.createFile(
          atPath: beside.appendingPathComponent(name).path, contents: Data()))
    }
    let work = root.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    var context = DatasetSearchContext(environment: ["HOME": root.path], currentDirectory: work)
    #expect(ImageDataset.mnist.candidateDirectories(context: context).map(\.origin) == ["cache"])
    #expect {
      try ImageDataset.mnist.locate(.test, context: context)
    } throws: { error in
      guard case DatasetError.notFound("MNIST", .test, let searched, _) = error else {
        return false
      }
      return searched.map(\.directory.path) == [
        root.appendingPathComponent(".cache/swift-similarity/mnist").path
      ]
    }
    context.environment["MNIST_DIR"] = beside.path
    #expect(
      ImageDataset.mnist.candidateDirectories(context: context).map(\.origin) == [
        "$MNIST_DIR", "cache",
      ])
    #expect(
      try ImageDataset.mnist.locate(.test, context: context).images.path.hasPrefix(beside.path))
  }

  @Test func theCacheFollowsXDGOrHome() {
    let xdg = DatasetSearchContext(
      environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"],
      currentDirectory: URL(fileURLWithPath: "/"))
    #expect(
      ImageDataset.mnist.cacheDirectory(context: xdg).path == "/x/cache/swift-similarity/mnist")
    let home = DatasetSearchContext(
      environment: ["HOME": "/home/u"], currentDirectory: URL(fileURLWithPath: "/"))
    #expect(
      ImageDataset.fashionMNIST.cacheDirectory(context: home).path
        == "/home/u/.cache/swift-similarity/fashion-mnist")
  }

  @Test func nothingFoundSaysWhereItLookedAndHowToGetTheData() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try directory(with: ["tiny-images-idx3-ubyte.gz"], in: root.appendingPathComponent("data"))
    let context = DatasetSearchContext(
      environment: ["HOME": root.path], currentDirectory: root)
    let dataset = Self.tiny(searchPaths: [.relativeToWorkingDirectory("data"), .cache])
    #expect {
      try dataset.load(.train, context: context)
    } throws: { error in
      guard case DatasetError.notFound("Tiny", .train, let searched, _) = error else {
        return false
      }
      let text = "\(error)"
      return searched.map(\.problem) == ["no tiny-labels-idx1-ubyte(.gz)", "does not exist"]
        && text.contains(root.appendingPathComponent(".cache/swift-similarity/tiny").path)
        && text.contains("--data-dir") && text.contains("apt-get install tiny-data")
        && text.contains("similarity download tiny")
    }
    let fashionHelp = ImageDataset.fashionMNIST.help(context: context)
    #expect(fashionHelp.contains("sudo apt-get install dataset-fashion-mnist"))
    #expect(fashionHelp.contains("$FASHION_MNIST_DIR"))
  }

  @Test func anExplicitDirectoryMissingAFileIsNotSubstituted() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try directory(with: ["tiny-labels-idx1-ubyte"], in: root)
    #expect {
      try Self.tiny().load(.train, from: root)
    } throws: { error in
      guard case DatasetError.missingFile("Tiny", root, "tiny-images-idx3-ubyte", _) = error else {
        return false
      }
      return "\(error)".contains("tiny-images-idx3-ubyte.gz")
    }
  }

  @Test func imageAndLabelCountsMustAgree() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try directory(with: ["tiny-images-idx3-ubyte.gz"], in: root)
    // Two labels for three images.
    let labels = Data([0, 0, 8, 1] + TestSupport.bigEndian(2) + [1, 0])
    try labels.write(to: root.appendingPathComponent("tiny-labels-idx1-ubyte"))
    #expect {
      try Self.tiny().load(.train, from: root, verifyChecksums: false)
    } throws: { error in
      guard case DatasetError.countMismatch(_, 3, let labelsFile, 2) = error else { return false }
      return labelsFile.hasSuffix("tiny-labels-idx1-ubyte")
    }
    // Checked first, the checksum already tells the labels file is not the expected one.
    #expect {
      try Self.tiny().load(.train, from: root)
    } throws: { error in
      guard case DatasetError.checksumMismatch(_, "Tiny train labels", _, _, nil) = error else {
        return false
      }
      return true
    }
  }

  @Test func labelsBeyondTheClassListAreRejected() throws {
    let root = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try directory(with: ["tiny-images-idx3-ubyte"], in: root)
    let labels = Data([0, 0, 8, 1] + TestSupport.bigEndian(3) + [1, 7, 0])
    try labels.write(to: root.appendingPathComponent("tiny-labels-idx1-ubyte"))
    #expect(
      throws: DatasetError.labelOutOfRange(
        file: root.appendingPathComponent("tiny-labels-idx1-ubyte").path, index: 1, label: 7,
        classCount: 3)
    ) {
      try Self.tiny().load(.test, from: root, verifyChecksums: false)
    }
  }

  @Test func theCatalogueKnowsItsDataSets() {
    #expect(ImageDataset.catalogue.map(\.name) == ["MNIST", "Fashion-MNIST"])
    #expect(ImageDataset(.fashionMNIST).classNames.count == 10)
    #expect(ImageDataset.ID(rawValue: "fashion-mnist") == .fashionMNIST)
    let md5s = ImageDataset.catalogue.flatMap {
      [$0.train.images, $0.train.labels, $0.test.images, $0.test.labels]
    }
    .map(\.md5)
    #expect(Set(md5s).count == 8)
    #expect(
      ImageDataset.identify(md5: "6bbc9ace898e44ae57da46a324031adb", among: ImageDataset.catalogue)
        == "MNIST train images")
  }
}
