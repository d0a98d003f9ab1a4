/// A minimal reader of the zip archives `torch.save` writes (`<name>/data.pkl`,
/// `<name>/data/<key>`, …): the end-of-central-directory record, the central directory and each
/// entry's local header, for entries stored without compression. PyTorch's writer (miniz with
/// `MZ_ZIP_FLAG_WRITE_ZIP64`) always adds a ZIP64 end-of-central-directory record, pads local
/// headers with an `FB` extra field to align data to 64 bytes and flags data descriptors; ZIP64
/// counts, sizes and offsets are read when the classic fields are saturated. Every offset and
/// size read from the file is checked against the file's length before use; compressed and
/// encrypted entries are refused with an error naming the entry.
///
/// Format: PKWARE's APPNOTE.TXT (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT).
struct ZipArchive {
  /// One stored entry: its name and where its bytes lie in the archive.
  struct Entry: Equatable {
    var name: String
    var data: Range<Int>
  }

  /// The entries in central-directory order.
  let entries: [Entry]

  /// The largest number of entries accepted.
  static let maximumEntries = 1 << 20

  /// The first four bytes of a zip archive (a local file header).
  static let signature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

  /// Parses the archive in `bytes`; `file` names it in errors.
  init(_ bytes: [UInt8], file: String) throws(TorchCheckpointError) {
    func fail(_ kind: TorchCheckpointError.Kind, _ reason: String) -> TorchCheckpointError {
      TorchCheckpointError(kind, file: file, "zip archive: \(reason)")
    }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    /// A little-endian UInt64 that must fit the file (anything larger is refused as such).
    func u64(_ at: Int) -> Int {
      let high = u32(at + 4)
      return high == 0 ? u32(at) : Int.max
    }
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes.
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    var end: Int?
    var candidate = bytes.count - 22
    while candidate >= lowest {
      if u32(candidate) == 0x0605_4B50 {
        end = candidate
        break
      }
      candidate -= 1
    }
    guard let end else {
      throw fail(
        .truncated,
        "no end-of-central-directory record in the last \(bytes.count - lowest) bytes (the archive is truncated or not a zip)"
      )
    }
    var count = u16(end + 10)
    var directorySize = u32(end + 12)
    var directoryStart = u32(end + 16)
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF {
      // ZIP64: a 20-byte locator just before the record points at the ZIP64 record.
      guard end >= 20, u32(end - 20) == 0x0706_4B50 else {
        throw fail(.malformed, "the end record has ZIP64 markers but no ZIP64 locator precedes it")
      }
      let record = u64(end - 12)
      guard record <= end - 20 - 56, u32(record) == 0x0606_4B50 else {
        throw fail(
          .malformed, "the ZIP64 locator points at byte \(record), where no ZIP64 end record is")
      }
      count = u64(record + 32)
      directorySize = u64(record + 40)
      directoryStart = u64(record + 48)
      guard count <= Self.maximumEntries else {
        throw fail(.limitExceeded, "\(count) entries, at most \(Self.maximumEntries) accepted")
      }
    }
    guard directoryStart <= end, directorySize <= end - directoryStart else {
      throw fail(
        .truncated,
        "the central directory (\(directorySize) bytes at \(directoryStart)) lies outside the \(bytes.count)-byte file"
      )
    }
    var entries: [Entry] = []
    var cursor = directoryStart
    for index in 0..<count {
      guard cursor <= end - 46, u32(cursor) == 0x0201_4B50 else {
        throw fail(
          .malformed,
          "central directory entry \(index) at byte \(cursor) is missing or has a bad signature")
      }
      let flags = u16(cursor + 8)
      let method = u16(cursor + 10)
      var compressed = u32(cursor + 20)
      var size = u32(cursor + 24)
      let nameLength = u16(cursor + 28)
      let extraLength = u16(cursor + 30)
      let commentLength = u16(cursor + 32)
      var localHeader = u32(cursor + 42)
      let next = cursor + 46 + nameLength + extraLength + commentLength
      guard next <= end else {
        throw fail(.truncated, "central directory entry \(index) runs past the directory's end")
      }
      let name = String(decoding: bytes[cursor + 46..<cursor + 46 + nameLength], as: UTF8.self)
      // ZIP64 extra field (tag 1): the saturated fields, in this order, as UInt64s.
      var extra = cursor + 46 + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let (tag, length) = (u16(extra), u16(extra + 2))
        guard extra + 4 + length <= extraEnd else { break }
        if tag == 1 {
          var field = extra + 4
          if size == 0xFFFF_FFFF, field + 8 <= extra + 4 + length {
            size = u64(field)
            field += 8
          }
          if compressed == 0xFFFF_FFFF, field + 8 <= extra + 4 + length {
            compressed = u64(field)
            field += 8
          }
          if localHeader == 0xFFFF_FFFF, field + 8 <= extra + 4 + length {
            localHeader = u64(field)
          }
        }
        extra += 4 + length
      }
      guard method == 0, compressed == size, flags & 0x1 == 0 else {
        throw fail(
          .unsupportedZipEntry,
          "entry '\(name)' is \(flags & 0x1 != 0 ? "encrypted" : "compressed (method \(method))"); only stored entries (method 0, as torch.save writes) are supported"
        )
      }
      guard localHeader <= bytes.count - 30, u32(localHeader) == 0x0403_4B50 else {
        throw fail(.malformed, "entry '\(name)': no local header at byte \(localHeader)")
      }
      let dataStart = localHeader + 30 + u16(localHeader + 26) + u16(localHeader + 28)
      guard dataStart <= bytes.count, size <= bytes.count - dataStart else {
        throw fail(
          .truncated,
          "entry '\(name)' declares \(size) bytes at byte \(dataStart), past the end of the \(bytes.count)-byte file"
        )
      }
      guard entries.count < Self.maximumEntries else {
        throw fail(.limitExceeded, "more than \(Self.maximumEntries) entries")
      }
      entries.append(Entry(name: name, data: dataStart..<dataStart + size))
      cursor = next
    }
    self.entries = entries
  }
}
