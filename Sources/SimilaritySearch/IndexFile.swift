import SimilarityIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The container both indexes are saved in (see docs/ARCHITECTURE.md, "File formats"): a fixed
/// little-endian header, the arrays, and an FNV-1a 64 checksum of every preceding byte.
enum IndexFile {
  /// "SIMXIDX" followed by a zero byte.
  static let magic: [UInt8] = [0x53, 0x49, 0x4D, 0x58, 0x49, 0x44, 0x58, 0x00]
  static let formatVersion: UInt32 = 1

  /// What a file holds.
  enum Kind: UInt32 {
    case exact = 1
    case hnsw = 2
  }

  /// FNV-1a, 64-bit (Fowler–Noll–Vo), over `bytes`.
  static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// Writes `bytes` plus their checksum to `path` through SimilarityIO's `AtomicFile`: a new
  /// temporary file in the same directory, fsynced and renamed over `path` (a symbolic link is
  /// followed and kept; a directory or device is refused).
  static func writeAtomically(_ body: ByteWriter, to path: String) throws(SearchError) {
    var bytes = body.bytes
    let checksum = bytes.withUnsafeBytes { fnv1a64($0) }
    withUnsafeBytes(of: checksum.littleEndian) { bytes.append(contentsOf: $0) }
    do {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw .file(IndexFileError(.io, path: error.path, error.reason))
    }
  }

  static func ioError(path: String, _ what: String) -> SearchError {
    .file(IndexFileError(.io, path: path, "\(what): \(String(cString: strerror(errno)))"))
  }
}

/// Appends little-endian fixed-width fields.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func u8(_ v: UInt8) { bytes.append(v) }
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  /// Raw little-endian arrays (this code assumes a little-endian host, checked at load too).
  mutating func raw<T>(_ p: UnsafePointer<T>, count: Int) {
    bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: count * MemoryLayout<T>.stride))
  }
}

/// Bounds-checked little-endian reads; running past `limit` throws a truncation error.
struct ByteReader {
  let bytes: [UInt8]
  let path: String
  let limit: Int
  /// The size of the whole file (`bytes` may be only its header).
  let fileSize: Int
  var offset = 0

  func error(_ kind: IndexFileError.Kind, _ detail: String) -> SearchError {
    .file(IndexFileError(kind, path: path, detail))
  }

  /// Verifies the checksum stored in the last 8 bytes.
  func verifyChecksum() throws(SearchError) {
    let stored = bytes.withUnsafeBytes { raw in
      raw.loadUnaligned(fromByteOffset: limit, as: UInt64.self).littleEndian
    }
    let computed = bytes.withUnsafeBytes {
      IndexFile.fnv1a64(UnsafeRawBufferPointer(rebasing: $0[0..<limit]))
    }
    guard stored == computed else {
      throw error(.checksumMismatch,
                  "stored FNV-1a 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))")
    }
  }

  private mutating func take(_ n: Int, _ what: String) throws(SearchError) -> Int {
    guard n >= 0, n <= limit - offset else {
      throw error(.truncated, "\(what) at byte \(offset): needs \(n) bytes, \(max(limit - offset, 0)) left")
    }
    defer { offset += n }
    return offset
  }

  mutating func u8(_ what: String) throws(SearchError) -> UInt8 {
    bytes[try take(1, what)]
  }
  mutating func u32(_ what: String) throws(SearchError) -> UInt32 {
    let at = try take(4, what)
    return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian }
  }
  mutating func u64(_ what: String) throws(SearchError) -> UInt64 {
    let at = try take(8, what)
    return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
  }
  mutating func i64(_ what: String) throws(SearchError) -> Int64 {
    Int64(bitPattern: try u64(what))
  }
  /// Copies `count` raw elements into `destination`.
  mutating func raw<T>(into destination: UnsafeMutablePointer<T>, count: Int, _ what: String)
    throws(SearchError)
  {
    let n = count * MemoryLayout<T>.stride
    let at = try take(n, what)
    bytes.withUnsafeBytes { src in
      UnsafeMutableRawPointer(destination).copyMemory(from: src.baseAddress! + at, byteCount: n)
    }
  }
  mutating func array<T>(_ type: T.Type, count: Int, zero: T, _ what: String) throws(SearchError) -> [T] {
    var out = [T](repeating: zero, count: count)
    try out.withUnsafeMutableBufferPointer { (p) throws(SearchError) in
      if count > 0 { try raw(into: p.baseAddress!, count: count, what) }
    }
    return out
  }
}
