import Foundation
import SimilarityLayers

/// Class-balanced batches of PNG images read from disk: `directory/<class name>/*.png`, one
/// sub-folder per class (classes numbered in sorted folder-name order). Planning is that of
/// ``MultiShotSampler``; images are decoded with libpng when a batch is loaded, and pixel
/// values are multiplied by `scale` (1 keeps 0…255).
public struct ImageFolderSampler: Sampler, Sendable {
  /// The class folder names; label `i` is `classNames[i]`.
  public let classNames: [String]
  /// Every image file, grouped by class in sorted order.
  public let files: [String]
  /// The label of every file.
  public let labels: [Int]
  /// `[height, width, channels]` of the first image; every image must match it.
  public let exampleShape: [Int]
  /// Multiplies every pixel value.
  public let scale: Float
  /// Batches per epoch.
  public var stepsPerEpoch: Int { planner.stepsPerEpoch }

  let planner: ClassBalancedPlanner

  /// Scans `directory` and reads its first image to fix the example shape.
  ///
  /// - Parameters: as ``MultiShotSampler``; `classList` holds labels (indices into the sorted
  ///   class folder names).
  /// - Throws: ``SamplerError`` when the directory is missing, has no class folders, a class
  ///   folder has no `.png` file, the first image cannot be decoded, or the batch settings do
  ///   not fit the classes.
  public init(
    directory: URL, classesPerBatch: Int, examplesPerClass: Int, stepsPerEpoch: Int = 1000,
    classList: [Int]? = nil, totalExamplesPerClass: Int? = nil,
    replacement: ExampleReplacement = .whenClassTooSmall, scale: Float = 1, seed: UInt64 = 0
  ) throws(SamplerError) {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { throw .notADirectory(path: directory.path) }
    let entries: [String]
    do {
      entries = try manager.contentsOfDirectory(atPath: directory.path).sorted()
    } catch {
      throw .unreadableFile(path: directory.path, reason: "\(error)")
    }
    var classNames: [String] = []
    var files: [String] = []
    var labels: [Int] = []
    for name in entries where !name.hasPrefix(".") {
      let folder = directory.appendingPathComponent(name).path
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        continue
      }
      let images: [String]
      do {
        images = try manager.contentsOfDirectory(atPath: folder)
          .filter { $0.lowercased().hasSuffix(".png") }.sorted()
      } catch {
        throw .unreadableFile(path: folder, reason: "\(error)")
      }
      guard !images.isEmpty else { throw .emptyClassFolder(path: folder) }
      let label = classNames.count
      classNames.append(name)
      for image in images {
        files.append(folder + "/" + image)
        labels.append(label)
      }
    }
    guard !classNames.isEmpty else { throw .noClassFolders(path: directory.path) }
    self.classNames = classNames
    self.files = files
    self.labels = labels
    self.exampleShape = try PNGImage.read(files[0]).shape
    self.scale = scale
    self.planner = try ClassBalancedPlanner(
      labels: labels, classesPerBatch: classesPerBatch, examplesPerClass: examplesPerClass,
      stepsPerEpoch: stepsPerEpoch, classList: classList,
      totalExamplesPerClass: totalExamplesPerClass, replacement: replacement, seed: seed)
  }

  public func plan(epoch: Int) -> [IndexBatch] { planner.plan(epoch: epoch) }

  /// Decodes the batch's files.
  /// - Throws: ``SamplerError`` for an unreadable or invalid file, or one whose shape differs
  ///   from ``exampleShape``.
  public func examples(for batch: IndexBatch) throws -> Tensor {
    let size = exampleShape.reduce(1, *)
    var scalars: [Float] = []
    scalars.reserveCapacity(batch.count * size)
    for index in batch.indices {
      let path = files[index]
      let image = try PNGImage.read(path)
      guard image.shape == exampleShape else {
        throw SamplerError.imageShapeMismatch(
          path: path, expected: exampleShape, found: image.shape)
      }
      scalars.append(contentsOf: image.pixels.map { Float($0) * scale })
    }
    return Tensor(shape: [batch.count] + exampleShape, scalars: scalars)
  }
}
