import Foundation
import Testing

@testable import SimilarityDatasets

/// Reads the numpy-written fixtures, round-trips our own files, and feeds the reader every kind of
/// damaged file.
@Suite struct NPYFileTests {
  @Test func readsFloat32WrittenByNumPy() throws {
    let array = try NPYFile.read(from: TestSupport.fixture("f4_2x3.npy"))
    #expect(array.shape == [2, 3])
    #expect(array.elementType == .float32)
    #expect(array.floats == [-1, -0.5, 0, 0.5, 1, 1.5])
    #expect(array.integers == nil)
  }

  @Test func readsEveryOtherSupportedDTypeWrittenByNumPy() throws {
    let f8 = try NPYFile.read(from: TestSupport.fixture("f8_3.npy"))
    #expect(f8.storage == .float64([1.5, -2.25, 1e10]))
    #expect(f8.floats == [1.5, -2.25, 1e10])
    let i8 = try NPYFile.read(from: TestSupport.fixture("i8_2x2.npy"))
    #expect(i8.shape == [2, 2])
    #expect(i8.integers == [1, -2, 3, 1 << 40])
    let i4 = try NPYFile.read(from: TestSupport.fixture("i4_4.npy"))
    #expect(i4.storage == .int32([7, -8, 0, Int32.max]))
    let u1 = try NPYFile.read(from: TestSupport.fixture("u1_5.npy"))
    #expect(u1.storage == .uint8([0, 1, 127, 128, 255]))
    #expect(u1.floats == [0, 1, 127, 128, 255])
    let u8 = try NPYFile.read(from: TestSupport.fixture("u8_2.npy"))
    #expect(u8.storage == .uint64([5, (1 << 63) + 1]))
    #expect(u8.integers == nil, "2^63 + 1 does not fit in Int")
  }

  @Test func readsScalarsEmptyArraysAndVersions2And3() throws {
    let scalar = try NPYFile.read(from: TestSupport.fixture("f4_scalar.npy"))
    #expect(scalar.shape == [])
    #expect(scalar.floats == [3.5])
    let empty = try NPYFile.read(from: TestSupport.fixture("f4_0x4.npy"))
    #expect(empty.shape == [0, 4])
    #expect(empty.floats == [])
    for name in ["f4_v2.npy", "f4_v3.npy"] {
      let array = try NPYFile.read(from: TestSupport.fixture(name))
      #expect(array.shape == [2, 2])
      #expect(array.floats == [1, 2, 3, 4])
    }
  }

  @Test func rejectsFortranOrderAndBigEndianFiles() throws {
    let fortran = try TestSupport.fixture("f4_fortran.npy")
    #expect(throws: NPYError.fortranOrder(file: fortran.path)) {
      try NPYFile.read(from: fortran)
    }
    let bigEndian = try TestSupport.fixture("f4_bigendian.npy")
    #expect(throws: NPYError.unsupportedDType(file: bigEndian.path, descr: ">f4")) {
      try NPYFile.read(from: bigEndian)
    }
  }

  @Test func writtenFilesRoundTripAndDecodeLikeNumPysOwn() throws {
    let directory = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let floats = try NPYArray(shape: [2, 3], floats: [-1, -0.5, 0, 0.5, 1, 1.5])
    let url = directory.appendingPathComponent("embeddings.npy")
    try NPYFile.write(floats, to: url)
    #expect(try NPYFile.read(from: url) == NPYFile.read(from: TestSupport.fixture("f4_2x3.npy")))
    let labels = try NPYArray(shape: [4], int64s: [3, -1, 0, Int64.max])
    try NPYFile.write(labels, to: url)  // replaces the file atomically
    #expect(try NPYFile.read(from: url) == labels)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(leftovers == ["embeddings.npy"], "no temporary file is left behind")
  }

  @Test func everyStorageKindRoundTripsThroughBytes() throws {
    let arrays = [
      try NPYArray(shape: [], storage: .float32([2.5])),
      try NPYArray(shape: [0], storage: .float64([])),
      try NPYArray(shape: [1, 2], storage: .int32([Int32.min, 9])),
      try NPYArray(shape: [3, 1], storage: .uint8([0, 200, 255])),
      try NPYArray(shape: [2], storage: .uint64([UInt64.max, 0])),
    ]
    for array in arrays {
      let bytes = NPYFile.encode(array)
      #expect(try NPYFile.decode(bytes, file: "memory") == array)
      #expect(bytes[6] == 1 && bytes[7] == 0, "small headers use version 1.0")
      let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      #expect((10 + headerLength) % 64 == 0, "data starts 64-byte aligned")
    }
  }

  @Test func headersLongerThan64KiBUseVersion2() throws {
    // Each "1, " adds three bytes, so 22 000 dimensions need a header of about 66 000 bytes.
    let shape = [Int](repeating: 1, count: 22_000)
    let array = try NPYArray(shape: shape, floats: [4])
    let bytes = NPYFile.encode(array)
    #expect(bytes[6] == 2)
    #expect(try NPYFile.decode(bytes, file: "memory") == array)
  }

  @Test func arraysWhoseCountDoesNotMatchTheShapeAreRejected() {
    #expect(throws: NPYError.elementCount(shape: [2, 2], expected: 4, found: 3)) {
      try NPYArray(shape: [2, 2], floats: [1, 2, 3])
    }
    #expect(throws: NPYError.invalidShape(file: "<in memory>", shape: [-1])) {
      try NPYArray(shape: [-1], floats: [])
    }
  }
}
