import Foundation
import Testing

@testable import SimilarityDatasets

/// Loads a real data set: Fashion-MNIST from the dataset-fashion-mnist package that
/// scripts/setup.sh installs (the only data the suite needs from outside the repository), so a
/// missing directory fails these tests with the loader's own explanation instead of skipping.
@Suite struct RealDataTests {
  static let fashionDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

  @Test func fashionMNISTTestSplitLoadsWithVerifiedChecksums() throws {
    let images = try ImageDataset.fashionMNIST.load(.test, from: Self.fashionDirectory)
    #expect(images.count == 10_000)
    #expect(images.height == 28 && images.width == 28)
    #expect(images.pixels.count == 10_000 * 28 * 28)
    #expect(Array(images.labels.prefix(10)) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
    #expect(ImageDataset.fashionMNIST.classNames[images.labels[0]] == "Ankle boot")
    // Sum of all grey levels and part of row 11 of the first image (the ankle boot), from
    // Python's gzip module.
    #expect(images.pixels.reduce(0) { $0 + Int($1) } == 573_469_082)
    #expect(
      Array(images.pixels(ofImage: 0)[320..<330]) == [
        0x02, 0, 0x0B, 0x89, 0x82, 0x80, 0xA0, 0xB0, 0x9F, 0xA7,
      ])
    let histogram = images.labels.reduce(into: [Int](repeating: 0, count: 10)) { $0[$1] += 1 }
    #expect(histogram == [Int](repeating: 1000, count: 10))
  }

  @Test func fashionImagesWhereMNISTIsExpectedAreIdentified() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try link(directory, "t10k-images-idx3-ubyte.gz", to: Self.fashionDirectory)
    try link(directory, "t10k-labels-idx1-ubyte.gz", to: Self.fashionDirectory)
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
    let source = Self.fashionDirectory
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
      withDestinationURL: source.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    try FileManager.default.createSymbolicLink(
      at: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
      withDestinationURL: source.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
    #expect {
      try ImageDataset.fashionMNIST.load(.test, from: directory)
    } throws: { error in
      guard
        case DatasetError.checksumMismatch(_, "Fashion-MNIST test images", _, _, let found) =
          error
      else { return false }
      return found == "Fashion-MNIST test labels"
    }
    // Without checksums the structure check still catches it.
    #expect {
      try ImageDataset.fashionMNIST.load(.test, from: directory, verifyChecksums: false)
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
