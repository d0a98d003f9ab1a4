import SimilarityIO

/// The limits an index file's reader enforces; writers and the command line check data against
/// them before building an index, so nothing is written that cannot be read back.
public enum IndexFileLimits {
  /// The largest vector dimension a file may hold (2²⁰).
  public static let maximumDimension = 1 << 20
}

extension IndexFile {
  /// The most header bytes any kind needs before the arrays: magic, version, the common
  /// header (28 bytes) and the HNSW graph header (60 bytes).
  static let headerBytes = 8 + 4 + 28 + 60

  /// Opens `path`, checks it is a regular file, reads only its header, checks magic, version,
  /// kind, every field's range and that the file size equals what the header declares
  /// (computed with overflow checks), and only then reads the declared bytes. Returns a reader
  /// over the whole file positioned after the version field, its limit before the checksum.
  ///
  /// So `/dev/zero`, a directory or a file whose header promises terabytes is refused before a
  /// single array byte is read or allocated.
  static func read(_ path: String) throws(SearchError) -> ByteReader {
    func fail(_ kind: IndexFileError.Kind, _ detail: String) -> SearchError {
      .file(IndexFileError(kind, path: path, detail))
    }
    let file: RegularFile
    let prefix: [UInt8]
    do {
      file = try RegularFile(path: path, expected: "a regular .simx index file")
      prefix = try file.read(0..<min(file.size, headerBytes))
    } catch {
      throw .file(IndexFileError(error))
    }
    let found = prefix.prefix(magic.count)
    guard found.elementsEqual(magic.prefix(found.count)) else {
      let text = found.map { String($0, radix: 16) }.joined(separator: " ")
      throw fail(.badMagic, "expected magic 53 49 4d 58 49 44 58 0, found \(text)")
    }
    let minimum = magic.count + 4 + 8
    guard file.size >= minimum else {
      throw fail(.truncated, "expected at least \(minimum) bytes, found \(file.size)")
    }
    var header = ByteReader(bytes: prefix, path: path, limit: prefix.count, fileSize: file.size)
    header.offset = magic.count
    let version = try header.u32("format version")
    guard version == formatVersion else {
      throw fail(.unsupportedVersion,
                 "expected format version \(formatVersion), found \(version) (written by a "
                   + "\(version > formatVersion ? "newer" : "different") swift-similarity)")
    }
    let common = try IndexFileHeader.read(&header)
    let graph = common.kind == .hnsw
      ? try HNSWFileHeader.read(&header, slotCount: common.slotCount) : nil
    guard let arrays = common.vectorAndItemByteCount,
      let total = [header.offset, arrays, graph?.graphByteCount(slotCount: common.slotCount) ?? 0, 8]
        .checkedSum()
    else {
      throw fail(.corrupt, "the sizes in the header overflow: \(common.slotCount) items of "
                   + "dimension \(common.dimension), \(common.payloadBytes) payload bytes")
    }
    guard total == file.size else {
      throw fail(total > file.size ? .truncated : .corrupt,
                 "the header declares \(total) bytes, the file has \(file.size)"
                   + (total > file.size ? "" : " (trailing data)"))
    }
    let bytes: [UInt8]
    do {
      bytes = try file.read(0..<file.size)
    } catch {
      throw .file(IndexFileError(error))
    }
    var reader = ByteReader(bytes: bytes, path: path, limit: bytes.count - 8, fileSize: file.size)
    reader.offset = magic.count + 4
    return reader
  }
}

/// The HNSW fields after the common header: graph parameters, level generator state and the
/// sizes of the removed-slot list and the upper-layer links.
struct HNSWFileHeader {
  var maxConnections: Int
  var efConstruction: Int
  var efSearch: Int
  var maxLevel: Int
  var entryPoint: Int?
  var seed: UInt64
  var generatorState: UInt64
  var removedCount: Int
  var upperWords: Int

  /// Reads and range-checks the fields for an index of `n` slots.
  static func read(_ r: inout ByteReader, slotCount n: Int) throws(SearchError) -> HNSWFileHeader {
    let m = Int(try r.u32("maxConnections"))
    let efc = Int(try r.u32("efConstruction"))
    let efs = Int(try r.u32("efSearch"))
    let maxLevel = try r.i64("max level")
    let entry = try r.i64("entry point")
    let seed = try r.u64("seed")
    let state = try r.u64("generator state")
    let freeCount = try r.u64("removed count")
    let upperWords = try r.u64("upper link words")
    guard (2...255).contains(m), efc >= 1, efs >= 1 else {
      throw r.error(.corrupt, "expected M in 2…255 and ef ≥ 1, found M \(m), "
                      + "efConstruction \(efc), efSearch \(efs)")
    }
    guard maxLevel >= -1 && maxLevel <= 32, entry >= -1 && entry < Int64(n),
      (entry == -1) == (n == 0), freeCount <= UInt64(n), upperWords <= UInt64(r.fileSize) / 4
    else {
      throw r.error(.corrupt, "inconsistent graph header: max level \(maxLevel), entry point \(entry), "
                      + "\(freeCount) removed and \(upperWords) upper words for \(n) items")
    }
    return HNSWFileHeader(
      maxConnections: m, efConstruction: efc, efSearch: efs, maxLevel: Int(maxLevel),
      entryPoint: entry >= 0 ? Int(entry) : nil, seed: seed, generatorState: state,
      removedCount: Int(freeCount), upperWords: Int(upperWords))
  }

  /// Bytes of the removed-slot list, levels, layer-0 and upper links for `n` slots, or `nil`
  /// on overflow.
  func graphByteCount(slotCount n: Int) -> Int? {
    guard let level0 = [n, 2 * maxConnections + 1, 4].checkedProduct() else { return nil }
    return [removedCount * 8, n, level0, upperWords * 4].checkedSum()
  }
}

extension IndexFileError {
  /// The index-file form of a failure to open or read the file.
  init(_ error: FileReadError) {
    let kind: Kind
    switch error.kind {
    case .missing: kind = .missing
    case .notRegularFile: kind = .notRegularFile
    case .truncated: kind = .truncated
    case .tooLarge, .io, .invalidJSON: kind = .io
    }
    self.init(kind, path: error.path, error.reason)
  }
}
