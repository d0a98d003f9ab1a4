import Foundation
import Testing

@testable import SimilarityModels

@Suite struct TorchCheckpointTests {
  @Test(arguments: [
    ("tiny_legacy.pth", TorchCheckpoint.Format.legacy), ("tiny_zip.pt", .zip),
    ("tiny_zip64.pt", .zip),
  ])
  func readsBothContainers(file: String, format: TorchCheckpoint.Format) throws {
    // Oracle: numpy's as_strided on each storage, written by the fixture script.
    let checkpoint = try TorchCheckpoint(contentsOf: TorchFixtures.path(file))
    let expected = try TorchFixtures.expected()
    #expect(checkpoint.format == format)
    #expect(checkpoint.tensors.map(\.name) == expected.tensors.map(\.name))
    #expect(checkpoint.skipped.isEmpty)
    for (tensor, reference) in zip(checkpoint.tensors, expected.tensors) {
      #expect(tensor.dtype.rawValue == reference.dtype, "\(tensor.name)")
      #expect(tensor.shape == reference.shape, "\(tensor.name)")
      switch tensor.values {
      case .float(let values):
        #expect(values == reference.values.map { Float($0) }, "\(tensor.name)")
      case .integer(let values):
        #expect(values == reference.values.map { Int64($0) }, "\(tensor.name)")
      }
    }
    // The scalar LongStorage stays an integer; the strided conv weight is not C order in
    // its storage, so reading it contiguously would differ.
    #expect(checkpoint["bn.num_batches_tracked"]?.values == .integer([1234]))
    #expect(checkpoint["conv.weight"]?.shape == [4, 3, 2, 2])
  }

  @Test func refusesGlobalsOutsideTheWhitelist() throws {
    for (file, global) in [("evil_os_system.pt", "os.system"), ("evil_eval.pt", "builtins.eval")] {
      let path = try TorchFixtures.path(file)
      let error = #expect(throws: TorchCheckpointError.self) {
        try TorchCheckpoint(contentsOf: path)
      }
      #expect(error?.kind == .forbiddenGlobal(global))
      #expect(error?.description.hasPrefix(path) == true)
      #expect(error?.description.contains(global) == true)
    }
  }

  @Test func refusesOpcodesOutsideTheSubset() throws {
    let path = try TorchFixtures.path("evil_inst.pt")
    let error = #expect(throws: TorchCheckpointError.self) { try TorchCheckpoint(contentsOf: path) }
    #expect(error?.kind == .forbiddenOpcode(0x69))
    #expect(error?.description.contains("INST") == true)
    // A byte that is no pickle opcode at all, after a valid protocol header.
    let raw = [0x80, 0x02, 0xFF] as [UInt8]
    let unknown = #expect(throws: TorchCheckpointError.self) {
      var unpickler = UnpicklerProbe(raw)
      try unpickler.run()
    }
    #expect(unknown?.kind == .forbiddenOpcode(0xFF))
  }

  @Test func refusesTruncatedAndOversizedFiles() throws {
    let cases: [(String, TorchCheckpointError.Kind, String)] = [
      ("truncated_storage.pth", .truncated, "declares"),
      ("truncated_pickle.pth", .truncated, "truncated"),
      (
        "oversized_storage.pt", .truncated,
        "declares 4 FloatStorage elements, the file holds 8 bytes"
      ),
      ("view_outside_storage.pt", .malformed, "reach element 5 of storage '1', which has 4"),
      ("compressed.pt", .unsupportedZipEntry, "compressed (method 8)"),
    ]
    for (file, kind, phrase) in cases {
      let path = try TorchFixtures.path(file)
      let error = #expect(throws: TorchCheckpointError.self, "\(file)") {
        try TorchCheckpoint(contentsOf: path)
      }
      #expect(error?.kind == kind, "\(file): \(String(describing: error))")
      #expect(error?.description.contains(phrase) == true, "\(file): \(String(describing: error))")
    }
  }

  @Test func refusesOtherFilesAndEveryPrefixCleanly() throws {
    let notCheckpoint = #expect(throws: TorchCheckpointError.self) {
      try TorchCheckpoint(bytes: Array("hello".utf8), file: "x.pth")
    }
    #expect(notCheckpoint?.kind == .notACheckpoint)
    // Every prefix of both fixtures is refused with an error, never a crash.
    for file in ["tiny_legacy.pth", "tiny_zip.pt", "tiny_zip64.pt"] {
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TorchFixtures.path(file))))
      for length in stride(from: 0, to: bytes.count, by: 7) {
        #expect(throws: TorchCheckpointError.self) {
          try TorchCheckpoint(bytes: Array(bytes[..<length]), file: file)
        }
      }
    }
  }
}

/// Runs the restricted unpickler on raw bytes wrapped in a legacy header, through the public
/// reader.
struct UnpicklerProbe {
  let body: [UInt8]
  init(_ body: [UInt8]) { self.body = body }
  mutating func run() throws(TorchCheckpointError) {
    let magic: [UInt8] = [
      0x80, 0x02, 0x8A, 0x0A, 108, 252, 156, 70, 249, 32, 106, 168, 80, 25, 0x2E,
    ]
    let version: [UInt8] = [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
    let info: [UInt8] = [0x80, 0x02, 0x7D, 0x2E]
    _ = try TorchCheckpoint(bytes: magic + version + info + body, file: "probe.pth")
  }
}

@Suite struct TorchCheckpointMutationTests {
  @Test(arguments: ["tiny_legacy.pth", "tiny_zip.pt"])
  func everySingleByteChangeIsReadOrRefusedCleanly(file: String) throws {
    // No oracle for the values: the property is that no change crashes, hangs or allocates
    // without bound; each result is a checkpoint or a TorchCheckpointError.
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TorchFixtures.path(file))))
    var refused = 0
    for index in bytes.indices {
      for replacement: UInt8 in [0x00, 0xFF, bytes[index] &+ 1] where replacement != bytes[index] {
        var mutated = bytes
        mutated[index] = replacement
        do {
          let checkpoint = try TorchCheckpoint(bytes: mutated, file: file)
          #expect(checkpoint.tensors.allSatisfy { $0.values.count == ($0.shape.reduce(1, *)) })
        } catch {
          refused += 1
        }
      }
    }
    #expect(refused > 0)
  }
}

@Suite struct TorchCheckpointWritingTests {
  @Test func writtenArchivesReadBack() throws {
    let tensors: [(name: String, shape: [Int], values: [Float])] = [
      ("a.weight", [2, 3, 1, 1], (0..<6).map { Float($0) - 2.5 }),
      ("a.bias", [2], [1, -1]),
      ("scalar", [], [7]),
    ]
    let bytes = TorchCheckpoint.zipBytes(tensors)
    let checkpoint = try TorchCheckpoint(bytes: bytes, file: "written.pt")
    #expect(checkpoint.format == .zip)
    #expect(checkpoint.tensors.map(\.name) == tensors.map(\.name))
    #expect(checkpoint.tensors.map(\.shape) == tensors.map(\.shape))
    #expect(checkpoint.tensors.map(\.floats) == tensors.map(\.values))
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    // Oracle: the CRC-32 check value of "123456789" (0xCBF43926).
    #expect(ZipArchive.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
  }
}
