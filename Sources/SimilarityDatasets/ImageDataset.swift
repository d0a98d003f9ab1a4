import Foundation

/// A labelled image data set stored as four IDX files (train/test × images/labels), such as MNIST
/// and Fashion-MNIST: their names, content checksums, classes, where to look for them and where
/// to download them from.
///
/// Use the catalogue entries `ImageDataset.mnist` and `ImageDataset.fashionMNIST` (or
/// `ImageDataset(.mnist)`), then `load(_:from:)` or `download(to:)`.
public struct ImageDataset: Sendable {
  /// The data sets swift-similarity knows, by their command-line names.
  public enum ID: String, CaseIterable, Sendable {
    case mnist
    case fashionMNIST = "fashion-mnist"
  }

  /// One IDX file of a data set.
  public struct File: Equatable, Sendable {
    /// The uncompressed file name, e.g. `train-images-idx3-ubyte` (on disk usually with `.gz`).
    public let name: String
    /// The MD5 of the uncompressed content, lowercase hex.
    public let md5: String
    /// The size of the uncompressed content, when known: reading stops (and gzip data stops
    /// inflating) one byte past it, so a wrong or malicious file costs no more.
    public let byteCount: Int?

    public init(name: String, md5: String, byteCount: Int? = nil) {
      self.name = name
      self.md5 = md5
      self.byteCount = byteCount
    }
  }

  /// The images and labels files of one split.
  public struct SplitFiles: Equatable, Sendable {
    public let images: File
    public let labels: File

    public init(images: File, labels: File) {
      self.images = images
      self.labels = labels
    }
  }

  /// A place to look for the files, tried in the order given.
  public enum SearchPath: Equatable, Sendable {
    /// The directory named by an environment variable, e.g. `MNIST_DIR`.
    case environment(String)
    /// A path relative to the current working directory.
    case relativeToWorkingDirectory(String)
    /// An absolute path, e.g. where a system package installs the data.
    case absolute(String)
    /// `<cache root>/<cacheName>`, where `download(to:)` puts the files by default.
    case cache
  }

  /// The display name, e.g. "Fashion-MNIST".
  public let name: String
  /// The directory name under the cache root, e.g. "fashion-mnist".
  public let cacheName: String
  /// The training split's files.
  public let train: SplitFiles
  /// The test split's files.
  public let test: SplitFiles
  /// The class names, indexed by label.
  public let classNames: [String]
  /// Where to look, in order, when the caller gives no directory.
  public let searchPaths: [SearchPath]
  /// Base URLs the files (with `.gz`) can be downloaded from, tried in order.
  public let mirrors: [URL]
  /// Extra advice for a user who does not have the files, e.g. a package to install.
  public let installHint: String?

  /// Describes a data set; `ImageDataset.mnist` and `.fashionMNIST` are ready-made.
  public init(
    name: String, cacheName: String, train: SplitFiles, test: SplitFiles, classNames: [String],
    searchPaths: [SearchPath], mirrors: [URL], installHint: String? = nil
  ) {
    self.name = name
    self.cacheName = cacheName
    self.train = train
    self.test = test
    self.classNames = classNames
    self.searchPaths = searchPaths
    self.mirrors = mirrors
    self.installHint = installHint
  }

  /// The catalogue entry for `id`.
  public init(_ id: ID) {
    switch id {
    case .mnist: self = .mnist
    case .fashionMNIST: self = .fashionMNIST
    }
  }

  /// The files of `split`.
  public func files(for split: DatasetSplit) -> SplitFiles {
    switch split {
    case .train: train
    case .test: test
    }
  }

  /// All data sets in the catalogue.
  public static let catalogue: [ImageDataset] = ID.allCases.map(ImageDataset.init)

  /// MNIST handwritten digits (LeCun, Cortes & Burges): 60 000 + 10 000 images of 28×28.
  public static let mnist = ImageDataset(
    name: "MNIST", cacheName: "mnist",
    train: SplitFiles(
      images: File(
        name: "train-images-idx3-ubyte", md5: "6bbc9ace898e44ae57da46a324031adb",
        byteCount: 47_040_016),
      labels: File(
        name: "train-labels-idx1-ubyte", md5: "a25bea736e30d166cdddb491f175f624",
        byteCount: 60_008)),
    test: SplitFiles(
      images: File(
        name: "t10k-images-idx3-ubyte", md5: "2646ac647ad5339dbf082846283269ea",
        byteCount: 7_840_016),
      labels: File(
        name: "t10k-labels-idx1-ubyte", md5: "27ae3e4e09519cfbb04c329615203637",
        byteCount: 10_008)),
    classNames: (0...9).map(String.init),
    searchPaths: [.environment("MNIST_DIR"), .cache],
    mirrors: [
      URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!,
      URL(string: "https://storage.googleapis.com/cvdf-datasets/mnist/")!,
    ])

  /// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): Zalando article images, 60 000 + 10 000 of
  /// 28×28 in ten classes, a drop-in replacement for MNIST.
  public static let fashionMNIST = ImageDataset(
    name: "Fashion-MNIST", cacheName: "fashion-mnist",
    train: SplitFiles(
      images: File(
        name: "train-images-idx3-ubyte", md5: "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        byteCount: 47_040_016),
      labels: File(
        name: "train-labels-idx1-ubyte", md5: "9018921c3c673c538a1fc5bad174d6f9",
        byteCount: 60_008)),
    test: SplitFiles(
      images: File(
        name: "t10k-images-idx3-ubyte", md5: "8181f5470baa50b63fa0f6fddb340f0a",
        byteCount: 7_840_016),
      labels: File(
        name: "t10k-labels-idx1-ubyte", md5: "15d484375f8d13e6eb1aabb0c3f46965",
        byteCount: 10_008)),
    classNames: [
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
      "Ankle boot",
    ],
    searchPaths: [
      .environment("FASHION_MNIST_DIR"),
      .absolute("/usr/share/datasets/fashion-mnist"),
      .cache,
    ],
    mirrors: [URL(string: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")!],
    installHint: "sudo apt-get install dataset-fashion-mnist")

  /// What a file with this uncompressed MD5 is, e.g. "Fashion-MNIST test labels", or `nil`.
  static func identify(md5: String, among datasets: [ImageDataset]) -> String? {
    for dataset in datasets {
      for split in DatasetSplit.allCases {
        let files = dataset.files(for: split)
        if files.images.md5 == md5 { return dataset.describe(split, images: true) }
        if files.labels.md5 == md5 { return dataset.describe(split, images: false) }
      }
    }
    return nil
  }

  /// E.g. "MNIST train images".
  func describe(_ split: DatasetSplit, images: Bool) -> String {
    "\(name) \(split) \(images ? "images" : "labels")"
  }
}
