import Foundation
import Testing

@testable import SimilarityDatasets

/// Loads the real data sets. CI has both (MNIST at ../shared/datasets/mnist next to the checkout,
/// Fashion-MNIST from the dataset-fashion-mnist package that scripts/setup.sh installs), so a
/// missing directory fails these tests with the loader's own explanation instead of skipping.
@Suite struct RealDataTests {
  static let mnistDirectory = TestSupport.packageRoot
    .appendingPathComponent("../shared/datasets/mnist").standardizedFileURL
  static let fashionDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

  @Test func mnistTestSplitLoadsWithVerifiedChecksums() throws {
    let images = try ImageDataset.mnist.load(.test, from: Self.mnistDirectory)
    #expect(images.count == 10_000)
    #expect(images.height == 28 && images.width == 28)
    #expect(images.pixels.count == 10_000 * 28 * 28)
    #expect(Array(images.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    // Sum of all grey levels and a row of the first image ("7"), from numpy.
    #expect(images.pixels.reduce(0) { $0 + Int($1) } == 264_923_200)
    #expect(
      Array(images.pixels(ofImage: 0)[200..<210]) == [
        0, 0, 0x54, 0xB9, 0x9F, 0x97, 0x3C, 0x24, 0, 0,
      ])
    let histogram = images.labels.reduce(into: [Int](repeating: 0, count: 10)) { $0[$1] += 1 }
    #expect(histogram == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
  }

  @Test func mnistIsFoundRelativeToThePackageRootWithoutADirectory() throws {
    let context = DatasetSearchContext(
      environment: ["HOME": "/nonexistent-home"], currentDirectory: URL(fileURLWithPath: "/"),
      packageRoot: TestSupport.packageRoot)
    let located = try ImageDataset.mnist.locate(.test, context: context)
    #expect(located.images.deletingLastPathComponent().path == Self.mnistDirectory.path)
  }

  @Test func fashionMNISTTestSplitLoadsWithVerifiedChecksums() throws {
    let images = try ImageDataset.fashionMNIST.load(.test, from: Self.fashionDirectory)
    #expect(images.count == 10_000)
    #expect(Array(images.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
    #expect(Set(images.labels) == Set(0..<10))
    #expect(ImageDataset.fashionMNIST.classNames[images.labels[0]] == "Ankle boot")
  }

  @Test func fashionImagesWhereMNISTIsExpectedAreIdentified() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try link(directory, "t10k-images-idx3-ubyte.gz", to: Self.fashionDirectory)
    try link(directory, "t10k-labels-idx1-ubyte.gz", to: Self.mnistDirectory)
    let images = directory.appendingPathComponent("t10k-images-idx3-ubyte.gz").path
    #expect(
      throws: DatasetError.checksumMismatch(
        file: images, expectedKind: "MNIST test images",
        expectedMD5: "2646ac647ad5339dbf082846283269ea",
        foundMD5: "8181f5470baa50b63fa0f6fddb340f0a",
        foundKind: "Fashion-MNIST test images")
    ) {
      try ImageDataset.mnist.load(.test, from: directory)
    }
  }

  @Test func labelsSwappedWithImagesAreIdentified() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = Self.mnistDirectory
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
      withDestinationURL: source.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
      withDestinationURL: source.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
    #expect {
      try ImageDataset.mnist.load(.test, from: directory)
    } throws: { error in
      guard case DatasetError.checksumMismatch(_, "MNIST test images", _, _, let found) = error
      else { return false }
      return found == "MNIST test labels"
    }
    // Without checksums the structure check still catches it.
    #expect {
      try ImageDataset.mnist.load(.test, from: directory, verifyChecksums: false)
    } throws: { error in
      guard case DatasetError.wrongKind(let file, _, let found) = error else { return false }
      return file.hasSuffix("t10k-images-idx3-ubyte.gz") && found.contains("[10000]")
    }
  }

  private func link(_ directory: URL, _ name: String, to source: URL) throws {
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent(name),
      withDestinationURL: source.appendingPathComponent(name))
  }
}
