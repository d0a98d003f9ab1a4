import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension SavedFolder {
  /// One data file of a save: its name (one of the kind's ``SavedFolderKind/dataFiles``) and
  /// how to write it, atomically, to a given path.
  public struct File {
    /// The file's name in the folder, such as `index.simx`.
    public var name: String
    /// Writes the file to the path given (through ``AtomicFile``).
    public var write: (_ path: String) throws -> Void

    /// A file written by `write`.
    public init(name: String, write: @escaping (_ path: String) throws -> Void) {
      self.name = name
      self.write = write
    }

    /// A file holding `bytes`.
    public init(name: String, bytes: [UInt8]) {
      self.init(name: name) { path in try AtomicFile.write(bytes, to: path) }
    }
  }

  /// Saves `files` and the marker into the folder so that, whenever the process stops, the
  /// folder holds the previous save or this one, complete, and nothing but the kind's own files
  /// is touched.
  ///
  /// 1. Takes the folder's lock (`flock`; another saving process makes this throw) and checks
  ///    the folder again; removes temporary files of killed processes.
  /// 2. Writes every file under a staged name `.NAME.simnext-ID` (new for each save, so nothing
  ///    the current marker names is touched), each through ``AtomicFile``.
  /// 3. Writes the marker naming the staged files: the new save is now the folder's.
  /// 4. Gives each file its own name: a hard link to the staged file is renamed over it (or,
  ///    where hard links are not supported, the file is written again); a name that is a
  ///    symbolic link has its target written.
  /// 5. Writes the marker naming the files by their own names.
  /// 6. Removes staged files (of this save and of killed ones) and the data files of the kind
  ///    that this save does not have (such as `calibration.json` of a model no longer
  ///    calibrated). No other file is removed.
  ///
  /// - Parameters:
  ///   - files: the data files, each name at most once.
  ///   - marker: the marker's bytes, given the name each data file is stored under; called
  ///     twice (steps 3 and 5) before anything is written.
  /// - Throws: ``FileWriteError`` (refused folder, failed write), or what `marker` or a file's
  ///   `write` throws. A failure before step 3 leaves the previous save as it was, after step 3
  ///   the new one.
  public func commit(_ files: [File], marker: (_ names: [String: String]) throws -> [UInt8])
    throws
  {
    let names = files.map(\.name)
    precondition(
      Set(names).count == names.count && names.allSatisfy(kind.dataFiles.contains),
      "\(names) must be distinct data files of a \(kind.name): \(kind.dataFiles)")
    let lock = try lockFolder()
    defer { close(lock) }
    _ = try Self.check(path, for: kind)
    TemporaryFiles.removeStale(in: location)

    let id = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    let staged = Dictionary(uniqueKeysWithValues: names.map { ($0, kind.stagedName($0, id: id)) })
    let stagedMarker = try marker(staged)
    let finalMarker = try marker(Dictionary(uniqueKeysWithValues: names.map { ($0, $0) }))
    let markerPath = PathText.join(location, kind.marker)

    var committed = false
    defer {
      if !committed {
        for name in staged.values { unlink(PathText.join(location, name)) }
      }
    }
    for file in files { try file.write(PathText.join(location, staged[file.name]!)) }
    do {
      try AtomicFile.write(stagedMarker, to: markerPath)
      committed = true
    } catch {
      // A failure after the rename (syncing the directory) still committed the staged files.
      committed = FileManager.default.contents(atPath: markerPath).map(Array.init) == stagedMarker
      throw error
    }

    for file in files {
      try settle(file, from: PathText.join(location, staged[file.name]!))
    }
    try PathText.syncDirectory(location)
    try AtomicFile.write(finalMarker, to: markerPath)
    removeLeftovers(keeping: Set(names))
  }

  /// Takes the folder's exclusive lock; the returned descriptor holds it until closed.
  private func lockFolder() throws(FileWriteError) -> Int32 {
    let descriptor = open(location, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .system(path, "opening the folder to lock it") }
    if flock(descriptor, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK {
      close(descriptor)
      throw FileWriteError(path: path, problem: .folderBusy(kind: kind.name))
    }
    return descriptor
  }

  /// Step 4 for one file: its own name gets the staged file's content.
  private func settle(_ file: File, from stagedPath: String) throws {
    let own = PathText.join(location, file.name)
    if FileStatus.of(own)?.kind == .symbolicLink {
      try file.write(own)
      return
    }
    guard let link = TemporaryFiles.hardLink(stagedPath, in: location, for: file.name) else {
      try file.write(own)
      return
    }
    guard rename(link, own) == 0 else {
      let failure = FileWriteError.system(own, "renaming \(link) to \(own)")
      unlink(link)
      throw failure
    }
  }

  /// Step 6: staged files of any save, and data files the new save does not have.
  private func removeLeftovers(keeping names: Set<String>) {
    for entry in PathText.entries(of: location) ?? [] where kind.isStaged(entry) {
      unlink(PathText.join(location, entry))
    }
    for name in kind.dataFiles where !names.contains(name) {
      let own = PathText.join(location, name)
      if let found = FileStatus.of(own)?.kind, found == .regularFile || found == .symbolicLink {
        unlink(own)
      }
    }
    try? PathText.syncDirectory(location)
  }
}
