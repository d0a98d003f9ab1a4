import Foundation

extension ImageDataset {
  /// Loads `split`. With a `directory`, only that directory is used; otherwise the first of
  /// `searchPaths` that holds both of the split's files. Files may be gzip-compressed
  /// (`name.gz`, preferred) or not (`name`).
  ///
  /// With `verifyChecksums` (the default) the MD5 of each file's uncompressed content must match
  /// the catalogue, which catches truncated downloads and swapped or mislabelled files.
  /// Throws `DatasetError`, `IDXError` or `GzipError`.
  public func load(
    _ split: DatasetSplit, from directory: URL? = nil, verifyChecksums: Bool = true,
    context: DatasetSearchContext = .current
  ) throws -> LabeledImages {
    let located = try locate(split, in: directory, context: context)
    return try load(
      split, images: located.images, labels: located.labels, verifyChecksums: verifyChecksums)
  }

  /// The images and labels files `load` would read for `split`. Throws `DatasetError`.
  public func locate(
    _ split: DatasetSplit, in directory: URL? = nil, context: DatasetSearchContext = .current
  ) throws -> (images: URL, labels: URL) {
    let files = files(for: split)
    if let directory {
      for file in [files.images, files.labels] where existingFile(file, in: directory) == nil {
        throw DatasetError.missingFile(
          dataset: name, directory: directory, file: file.name, help: help(context: context))
      }
      return (
        existingFile(files.images, in: directory)!, existingFile(files.labels, in: directory)!
      )
    }
    var searched: [DatasetError.SearchedLocation] = []
    for (candidate, origin) in candidateDirectories(context: context) {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        searched.append(.init(directory: candidate, origin: origin, problem: "does not exist"))
        continue
      }
      let missing = [files.images, files.labels].filter { existingFile($0, in: candidate) == nil }
      if missing.isEmpty {
        return (
          existingFile(files.images, in: candidate)!, existingFile(files.labels, in: candidate)!
        )
      }
      let names = missing.map { "\($0.name)(.gz)" }.joined(separator: ", ")
      searched.append(.init(directory: candidate, origin: origin, problem: "no \(names)"))
    }
    throw DatasetError.notFound(
      dataset: name, split: split, searched: searched, help: help(context: context))
  }

  /// The directories `searchPaths` resolve to in `context`, in order, without duplicates, each
  /// with a note of where it came from.
  public func candidateDirectories(
    context: DatasetSearchContext = .current
  ) -> [(directory: URL, origin: String)] {
    var result: [(directory: URL, origin: String)] = []
    for path in searchPaths {
      let resolved: (URL, String)?
      switch path {
      case .environment(let variable):
        resolved = context.environment[variable].flatMap { value in
          value.isEmpty
            ? nil
            : (URL(fileURLWithPath: value, relativeTo: context.currentDirectory), "$\(variable)")
        }
      case .relativeToWorkingDirectory(let relative):
        resolved = (context.currentDirectory.appendingPathComponent(relative), "working directory")
      case .absolute(let absolute):
        resolved = (URL(fileURLWithPath: absolute), "system location")
      case .cache:
        resolved = (cacheDirectory(context: context), "cache")
      }
      guard let (url, origin) = resolved else { continue }
      let standardized = url.standardizedFileURL
      if !result.contains(where: { $0.directory.path == standardized.path }) {
        result.append((standardized, origin))
      }
    }
    return result
  }

  /// `<cache root>/<cacheName>`, e.g. `~/.cache/swift-similarity/mnist`.
  public func cacheDirectory(context: DatasetSearchContext = .current) -> URL {
    context.cacheRoot.appendingPathComponent(cacheName)
  }

  /// Reads and checks one split from explicit file URLs.
  func load(
    _ split: DatasetSplit, images imagesURL: URL, labels labelsURL: URL, verifyChecksums: Bool
  ) throws -> LabeledImages {
    let files = files(for: split)
    let images = try readChecked(
      imagesURL, file: files.images, kind: describe(split, images: true), rank: 3,
      verifyChecksums: verifyChecksums)
    let labels = try readChecked(
      labelsURL, file: files.labels, kind: describe(split, images: false), rank: 1,
      verifyChecksums: verifyChecksums)
    guard images.shape[0] == labels.shape[0] else {
      throw DatasetError.countMismatch(
        imagesFile: imagesURL.path, imageCount: images.shape[0], labelsFile: labelsURL.path,
        labelCount: labels.shape[0])
    }
    let labelValues = labels.bytes.map(Int.init)
    if let bad = labelValues.firstIndex(where: { $0 >= classNames.count }) {
      throw DatasetError.labelOutOfRange(
        file: labelsURL.path, index: bad, label: labelValues[bad], classCount: classNames.count)
    }
    return try LabeledImages(
      height: images.shape[1], width: images.shape[2], pixels: images.bytes, labels: labelValues)
  }

  /// Reads an IDX file, checks its checksum (optionally), element type and rank.
  private func readChecked(
    _ url: URL, file: File, kind: String, rank: Int, verifyChecksums: Bool
  ) throws -> IDXArray {
    let data = try IDXFile.readUncompressed(url, maximumBytes: file.byteCount)
    if verifyChecksums {
      let found = MD5.hex(of: data)
      guard found == file.md5 else {
        throw DatasetError.checksumMismatch(
          file: url.path, expectedKind: kind, expectedMD5: file.md5, foundMD5: found,
          foundKind: ImageDataset.identify(md5: found, among: ImageDataset.catalogue + [self]))
      }
    }
    let array = try IDXFile.decode(data, file: url.path)
    let expected =
      rank == 3
      ? "\(kind): unsigned bytes in 3 dimensions (count, height, width)"
      : "\(kind): unsigned bytes in 1 dimension (count)"
    guard array.shape.count == rank, array.dataType == .uint8 else {
      let what =
        array.shape.count == 1 ? "labels-like" : array.shape.count == 3 ? "images-like" : "IDX"
      throw DatasetError.wrongKind(
        file: url.path, expected: expected,
        found: "\(what) data of type \(array.dataType) with dimensions \(array.shape)")
    }
    return array
  }

  /// The path of `file` in `directory`, compressed (`.gz`) preferred, or `nil`.
  func existingFile(_ file: File, in directory: URL) -> URL? {
    for name in [file.name + ".gz", file.name] {
      let url = directory.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        return url
      }
    }
    return nil
  }

  /// How to get the files, for error messages.
  func help(context: DatasetSearchContext) -> String {
    var ways = [
      "pass the directory that holds \(train.images.name).gz etc. (CLI: --data-dir PATH)"
    ]
    for case .environment(let variable) in searchPaths {
      ways.append("set $\(variable) to that directory")
    }
    if let installHint { ways.append("install it: \(installHint)") }
    let cache = cacheDirectory(context: context).path
    ways.append("download it into \(cache) (needs network): similarity download \(cacheName)")
    return "To get \(name): " + ways.joined(separator: "; or ")
  }
}
