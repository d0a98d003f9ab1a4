/// A kind of folder the package saves: recognised by a marker file (a JSON object whose
/// `"format"` is this kind's), and owning a fixed set of file names. Saving a folder of this
/// kind replaces only those files; everything else in it belongs to the user.
public struct SavedFolderKind: Sendable, Equatable {
  /// What a person calls it, such as `similarity model`.
  public var name: String
  /// The marker file, written last by every save (such as `manifest.json`).
  public var marker: String
  /// The marker's `"format"` value.
  public var format: String
  /// The files a save writes beside the marker (the ones it has; the others are removed).
  public var dataFiles: [String]
  /// Files of the folder that belong to the kind but that callers write themselves (such as
  /// the command-line tool's `run.json`); a save neither writes nor removes them.
  public var companionFiles: [String]

  /// Creates a kind.
  public init(
    name: String, marker: String, format: String, dataFiles: [String],
    companionFiles: [String] = []
  ) {
    self.name = name
    self.marker = marker
    self.format = format
    self.dataFiles = dataFiles
    self.companionFiles = companionFiles
  }

  /// Every file name the kind owns: marker, data files and companions.
  public var ownedFiles: [String] { [marker] + dataFiles + companionFiles }

  /// `SimilarityModel.save`: `manifest.json`, the embedding's checkpoint, the index and the
  /// calibration, plus the command-line tool's `run.json`.
  public static let similarityModel = SavedFolderKind(
    name: "similarity model", marker: "manifest.json", format: "swift-similarity-model",
    dataFiles: ["architecture.json", "model.safetensors", "index.simx", "calibration.json"],
    companionFiles: ["run.json"])

  /// `similarity siamese --out`: `siamese.json` and the tower's checkpoint.
  public static let siameseRun = SavedFolderKind(
    name: "siamese run", marker: "siamese.json", format: "swift-similarity-siamese",
    dataFiles: ["architecture.json", "model.safetensors"])

  /// The kinds the package saves; a folder of one is refused as the output of another.
  public static let all: [SavedFolderKind] = [.similarityModel, .siameseRun]

  // MARK: - Staged names

  /// The infix of the names a save writes its data files under before its marker commits them.
  static let stagedInfix = ".simnext-"

  /// The name data file `name` is staged under by the save `id`.
  func stagedName(_ name: String, id: String) -> String { "." + name + Self.stagedInfix + id }

  /// Whether `entry` is a data file of this kind staged by some save.
  func isStaged(_ entry: String) -> Bool {
    dataFiles.contains { name in
      let prefix = "." + name + Self.stagedInfix
      return entry.hasPrefix(prefix) && entry.count > prefix.count
        && entry.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }
  }

  /// Whether `entry` is something a save of this kind leaves behind only while it runs or when
  /// it is killed: a staged data file or one of our temporary files.
  func isTransient(_ entry: String) -> Bool {
    isStaged(entry) || TemporaryFiles.isTemporary(entry)
  }
}
