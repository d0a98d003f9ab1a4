import Foundation
import Testing

@testable import SimilarityVisualization

/// A fresh directory under the system's temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("similarity-visualization-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A 28×28 grayscale image of `text` in the bitmap font, white on black, like an MNIST digit.
func digitImage(_ text: String, shift: Int = 0) -> PixelImage {
  var raster = Raster(width: 28, height: 28, fill: .black)
  raster.drawText(text, x: 4 + shift, y: 3, color: .white, scale: 3)
  let gray = stride(from: 0, to: raster.pixels.count, by: 4).map { raster.pixels[$0] }
  return PixelImage(width: 28, height: 28, format: .gray, bytes: gray)
}

/// A PNG's chunks, parsed independently of libpng: type, data and whether the CRC matches.
struct PNGChunk {
  var type: String
  var data: [UInt8]
  var crcMatches: Bool
}

enum PNGParseFailure: Error {
  case badSignature, truncated
}

/// Splits `bytes` into chunks after checking the signature.
func parsePNGChunks(_ bytes: [UInt8]) throws -> [PNGChunk] {
  guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
    throw PNGParseFailure.badSignature
  }
  var chunks: [PNGChunk] = []
  var offset = 8
  func bigEndian(_ at: Int) -> Int {
    bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
  }
  while offset < bytes.count {
    guard offset + 12 <= bytes.count else { throw PNGParseFailure.truncated }
    let length = bigEndian(offset)
    guard offset + 12 + length <= bytes.count else { throw PNGParseFailure.truncated }
    let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
    let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
    let crc = UInt32(bigEndian(offset + 8 + length))
    chunks.append(
      PNGChunk(
        type: String(decoding: typeBytes, as: UTF8.self), data: data,
        crcMatches: crc32(typeBytes + data) == crc))
    offset += 12 + length
  }
  return chunks
}

/// CRC-32 (ISO 3309, the polynomial PNG uses), bit by bit.
func crc32(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return crc ^ 0xFFFF_FFFF
}

/// Decodes a PNG file with Python's zlib (an independent inflater and our own unfiltering in
/// Python) and returns its width, height, channels and raw pixel bytes.
func decodeWithPython(_ file: URL) throws -> (
  width: Int, height: Int, channels: Int, pixels: [UInt8]
) {
  let script = """
    import sys, zlib, struct
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        assert zlib.crc32(kind + body) & 0xffffffff == struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])[0]
        if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
        if kind == b'IDAT': idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and interlace == 0
    ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw, stride, out, prev = zlib.decompress(idat), w * ch, bytearray(), bytearray(w * ch)
    for y in range(h):
        f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - ch] if i >= ch else 0
            b, c = prev[i], (prev[i - ch] if i >= ch else 0)
            if f == 1: row[i] = (row[i] + a) & 255
            elif f == 2: row[i] = (row[i] + b) & 255
            elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += row
        prev = row
    sys.stdout.write('%d %d %d %s' % (w, h, ch, out.hex()))
    """
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", script, file.path]
  let output = Pipe()
  process.standardOutput = output
  process.standardError = Pipe()
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
  guard process.terminationStatus == 0, fields.count == 4,
    let width = Int(fields[0]), let height = Int(fields[1]), let channels = Int(fields[2])
  else { throw PNGParseFailure.truncated }
  let hex = Array(fields[3].utf8)
  func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
  let pixels = stride(from: 0, to: hex.count, by: 2).map {
    nibble(hex[$0]) << 4 | nibble(hex[$0 + 1])
  }
  return (width, height, channels, pixels)
}

/// Whether a raster has at least `fraction` of its pixels different from its top-left pixel.
func isMostlyBlank(_ raster: Raster, fraction: Double = 0.01) -> Bool {
  let background = raster[0, 0]
  var different = 0
  for y in 0..<raster.height {
    for x in 0..<raster.width where raster[x, y] != background { different += 1 }
  }
  return Double(different) < fraction * Double(raster.width * raster.height)
}
