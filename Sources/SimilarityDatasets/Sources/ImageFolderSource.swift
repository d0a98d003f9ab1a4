import Foundation

/// The images of a folder with one sub-folder per class: `directory/<class>/*.{jpg,jpeg,png}`
/// (extensions in any case; hidden entries and other files ignored). Classes are the
/// sub-folders in sorted name order, labelled `0..<C`; images are listed in sorted name order
/// within each class. Listing reads no image; ``load(_:)`` decodes one (by its magic bytes).
public struct ImageFolderSource: ExampleSource {
  /// The extensions listed, lower-case.
  public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

  /// The folder.
  public let directory: String
  /// The class sub-folder names; label `i` is `classNames[i]`.
  public let classNames: [String]?
  public let examples: [SourceExample]
  public var origin: String { directory }

  /// Lists `directory`.
  /// - Throws: ``SourceError`` when the directory is missing, has no class folders, a class
  ///   folder holds no image or a folder cannot be listed.
  public init(directory: String) throws(SourceError) {
    let manager = FileManager.default
    guard Self.isDirectory(directory) else { throw .notADirectory(path: directory) }
    var classNames: [String] = []
    var examples: [SourceExample] = []
    for name in try Self.entries(of: directory, manager) where !name.hasPrefix(".") {
      let folder = (directory as NSString).appendingPathComponent(name)
      guard Self.isDirectory(folder) else { continue }
      let images = try Self.entries(of: folder, manager).filter { file in
        !file.hasPrefix(".")
          && Self.imageExtensions.contains((file as NSString).pathExtension.lowercased())
      }
      guard !images.isEmpty else { throw .emptyClassFolder(path: folder) }
      let label = classNames.count
      classNames.append(name)
      for image in images {
        let path = (folder as NSString).appendingPathComponent(image)
        examples.append(SourceExample(location: .file(path), label: label))
      }
    }
    guard !classNames.isEmpty else { throw .noClassFolders(path: directory) }
    self.directory = directory
    self.classNames = classNames
    self.examples = examples
  }

  public func load(_ index: Int) throws(SourceError) -> LoadedExample {
    guard case .file(let path) = examples[index].location else {
      preconditionFailure("ImageFolderSource lists files only")
    }
    do {
      return .image(try DecodedImage.read(path))
    } catch {
      throw .image(error)
    }
  }

  static func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  static func entries(of path: String, _ manager: FileManager) throws(SourceError) -> [String] {
    do {
      return try manager.contentsOfDirectory(atPath: path).sorted()
    } catch {
      throw .unreadable(path: path, reason: error.localizedDescription)
    }
  }
}
