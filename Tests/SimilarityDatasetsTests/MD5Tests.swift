import Foundation
import Testing

@testable import SimilarityDatasets

@Suite struct MD5Tests {
  /// The test suite of RFC 1321, appendix A.5.
  @Test(arguments: [
    ("", "d41d8cd98f00b204e9800998ecf8427e"),
    ("a", "0cc175b9c0f1b6a831c399e269772661"),
    ("abc", "900150983cd24fb0d6963f7d28e17f72"),
    ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
    ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
    (
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f"
    ),
    (
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a"
    ),
  ])
  func rfc1321TestSuite(message: String, digest: String) {
    #expect(MD5.hex(of: Data(message.utf8)) == digest)
  }

  @Test func feedingPiecesGivesTheSameDigestAsOneBuffer() {
    // 1000 bytes fed in pieces of every size from 1 to 130 cross block and padding boundaries.
    let message = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    let whole = MD5.hex(of: message)
    for pieceSize in 1...130 {
      var md5 = MD5()
      var offset = 0
      while offset < message.count {
        let end = min(offset + pieceSize, message.count)
        md5.update(message[offset..<end])
        offset = end
      }
      #expect(md5.finalizeHex() == whole, "piece size \(pieceSize)")
    }
  }

  @Test func lengthsAroundThePaddingBoundaryDifferFromEachOther() {
    // 55, 56 and 64 bytes are where the padding needs one or two blocks.
    let digests = [55, 56, 57, 63, 64, 65].map { MD5.hex(of: Data(repeating: 0x61, count: $0)) }
    #expect(Set(digests).count == digests.count)
    // `printf 'a%.0s' {1..56} | md5sum`
    #expect(digests[1] == "3b0c8ac703f828b04c6c197006d17218")
  }
}
