import Foundation

/// The MD5 message digest (RFC 1321), used only to recognise data set files by their content —
/// not for anything security-related.
///
/// Feed bytes with `update` in any number of pieces, then call `finalize()`; or use
/// `MD5.hex(of:)` for a whole buffer.
public struct MD5: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32) = (
    0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476
  )
  /// Bytes that did not yet fill a 64-byte block.
  private var pending: [UInt8] = []
  /// The total message length in bytes.
  private var length: UInt64 = 0

  /// The per-step additive constants: the integer part of 2³² × |sin(i + 1)|.
  private static let constants: [UInt32] = (0..<64).map { i in
    UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4_294_967_296).rounded(.down)))
  }
  /// The left-rotation amounts, four per round.
  private static let rotations: [UInt32] = [
    7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
  ]

  /// Starts a new digest.
  public init() {}

  /// The lowercase hexadecimal MD5 of `data`.
  public static func hex(of data: Data) -> String {
    var md5 = MD5()
    md5.update(data)
    return md5.finalizeHex()
  }

  /// Adds `data` to the message.
  public mutating func update(_ data: Data) {
    data.withUnsafeBytes { update($0) }
  }

  /// Adds `bytes` to the message.
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    length &+= UInt64(bytes.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending += bytes[0..<take]
      offset = take
      guard pending.count == 64 else { return }
      let block = pending
      block.withUnsafeBytes { compress($0, blockCount: 1) }
      pending.removeAll(keepingCapacity: true)
    }
    let blocks = (bytes.count - offset) / 64
    if blocks > 0 {
      compress(
        UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + blocks * 64)]),
        blockCount: blocks)
      offset += blocks * 64
    }
    pending += bytes[offset...]
  }

  /// Pads the message, and returns the 16-byte digest.
  public mutating func finalize() -> [UInt8] {
    let bitLength = length &* 8
    var padding: [UInt8] = [0x80]
    let afterMarker = (pending.count + 1) % 64
    padding += [UInt8](
      repeating: 0, count: afterMarker <= 56 ? 56 - afterMarker : 120 - afterMarker)
    padding += withUnsafeBytes(of: bitLength.littleEndian) { Array($0) }
    padding.withUnsafeBytes { update($0) }
    var digest: [UInt8] = []
    for word in [state.0, state.1, state.2, state.3] {
      digest += withUnsafeBytes(of: word.littleEndian) { Array($0) }
    }
    return digest
  }

  /// `finalize()` as 32 lowercase hexadecimal digits.
  public mutating func finalizeHex() -> String {
    finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }

  /// Runs the compression function over `blockCount` consecutive 64-byte blocks.
  private mutating func compress(_ blocks: UnsafeRawBufferPointer, blockCount: Int) {
    var (a0, b0, c0, d0) = state
    Self.constants.withUnsafeBufferPointer { k in
      Self.rotations.withUnsafeBufferPointer { r in
        var words = (
          UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
          UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
          UInt32(0)
        )
        withUnsafeMutableBytes(of: &words) { w in
          let m = w.bindMemory(to: UInt32.self)
          for block in 0..<blockCount {
            let base = block * 64
            for i in 0..<16 {
              m[i] = UInt32(
                littleEndian: blocks.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self))
            }
            var a = a0
            var b = b0
            var c = c0
            var d = d0
            for i in 0..<64 {
              var f: UInt32
              let g: Int
              switch i >> 4 {
              case 0:
                f = (b & c) | (~b & d)
                g = i
              case 1:
                f = (d & b) | (~d & c)
                g = (5 &* i &+ 1) & 15
              case 2:
                f = b ^ c ^ d
                g = (3 &* i &+ 5) & 15
              default:
                f = c ^ (b | ~d)
                g = (7 &* i) & 15
              }
              f = f &+ a &+ k[i] &+ m[g]
              a = d
              d = c
              c = b
              let s = r[(i >> 4) << 2 | (i & 3)]
              b = b &+ (f << s | f >> (32 &- s))
            }
            a0 = a0 &+ a
            b0 = b0 &+ b
            c0 = c0 &+ c
            d0 = d0 &+ d
          }
        }
      }
    }
    state = (a0, b0, c0, d0)
  }
}
