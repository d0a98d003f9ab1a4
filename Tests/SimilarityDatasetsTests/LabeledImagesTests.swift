import Testing

@testable import SimilarityDatasets

@Suite struct LabeledImagesTests {
  private let images = try! LabeledImages(
    height: 1, width: 3, pixels: [0, 51, 255, 255, 0, 102], labels: [4, 1])

  @Test func floatPixelsAreScaledToTheRequestedRange() {
    #expect(images.floatPixels() == [0, 0.2, 1, 1, 0, 0.4])
    #expect(images.floatPixels(scaledTo: -1...1) == [-1, -0.6, 1, 1, -1, -0.2])
    #expect(images.floatPixels(scaledTo: 0...255) == [0, 51, 255, 255, 0, 102])
  }

  @Test func imagesAndPrefixesSliceConsistently() {
    #expect(Array(images.pixels(ofImage: 1)) == [255, 0, 102])
    let first = images.prefix(1)
    #expect(first.count == 1 && first.pixels == [0, 51, 255] && first.labels == [4])
    #expect(images.prefix(5) == images)
    #expect(images.prefix(0).count == 0)
  }

  @Test func inconsistentSizesAreRejected() {
    #expect(
      throws: DatasetError.inconsistentImages(height: 2, width: 2, labelCount: 2, pixelCount: 7)
    ) {
      try LabeledImages(
        height: 2, width: 2, pixels: [UInt8](repeating: 0, count: 7), labels: [0, 1])
    }
  }
}
