import Foundation
import Testing

@testable import SimilarityDatasets

/// Hand-built damaged `.npy` bytes: each test starts from a valid file and breaks one thing.
@Suite struct NPYCorruptFileTests {
  /// A version-1.0 file: magic, version, UInt16 little-endian header length, header, data.
  private func npy(
    header: String, data: [UInt8] = [], version: UInt8 = 1, declaredLength: Int? = nil
  ) -> Data {
    let headerBytes = Array(header.utf8)
    let length = declaredLength ?? headerBytes.count
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
    bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
    return Data(bytes + headerBytes + data)
  }

  private let validHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n"
  private let eightBytes: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]  // 1.0, 2.0 as <f4

  @Test func theHandBuiltBaselineIsValid() throws {
    let array = try NPYFile.decode(npy(header: validHeader, data: eightBytes), file: "x.npy")
    #expect(array.floats == [1, 2])
  }

  @Test func badMagicAndEmptyFilesAreNotNPY() {
    let zip = Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0])
    #expect(throws: NPYError.badMagic(file: "a.npy", found: [0x50, 0x4B, 0x03, 0x04, 0, 0])) {
      try NPYFile.decode(zip, file: "a.npy")
    }
    #expect(throws: NPYError.badMagic(file: "a.npy", found: [])) {
      try NPYFile.decode(Data(), file: "a.npy")
    }
    let error = NPYError.badMagic(file: "a.npy", found: [0x50, 0x4B])
    #expect(error.description.contains("a.npy") && error.description.contains("50 4b"))
  }

  @Test func truncatedPreamblesAndHeadersAreReported() {
    let full = npy(header: validHeader, data: eightBytes)
    #expect(throws: NPYError.truncatedHeader(file: "t.npy", expectedBytes: 10, foundBytes: 4)) {
      try NPYFile.decode(full.prefix(4), file: "t.npy")
    }
    #expect(throws: NPYError.truncatedHeader(file: "t.npy", expectedBytes: 10, foundBytes: 9)) {
      try NPYFile.decode(full.prefix(9), file: "t.npy")
    }
    let headerEnd = 10 + validHeader.utf8.count
    #expect(
      throws: NPYError.truncatedHeader(file: "t.npy", expectedBytes: headerEnd, foundBytes: 30)
    ) {
      try NPYFile.decode(full.prefix(30), file: "t.npy")
    }
  }

  @Test func unknownVersionsAreRejected() {
    #expect(throws: NPYError.unsupportedVersion(file: "v.npy", major: 4, minor: 0)) {
      try NPYFile.decode(npy(header: validHeader, data: eightBytes, version: 4), file: "v.npy")
    }
  }

  @Test(arguments: [
    "'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",  // no opening brace
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) \n",  // no closing brace
    "{'descr': '<f4', 'fortran_order': False}\n",  // missing shape
    "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': True}\n",
    "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }\n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': [2], }\n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }\n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }\n",
    "{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }\n",
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk\n",
    "{'descr': ('<f4', 3), 'fortran_order': False, 'shape': (2,), }\n",
  ])
  func malformedHeadersAreRejected(header: String) {
    #expect {
      try NPYFile.decode(npy(header: header, data: eightBytes), file: "h.npy")
    } throws: { error in
      guard case NPYError.malformedHeader(let file, _) = error else { return false }
      return file == "h.npy"
    }
  }

  @Test func unsupportedDTypesNameTheDescr() {
    let header = "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n"
    #expect(throws: NPYError.unsupportedDType(file: "d.npy", descr: "<c8")) {
      try NPYFile.decode(npy(header: header, data: eightBytes), file: "d.npy")
    }
    let description = NPYError.unsupportedDType(file: "d.npy", descr: "<c8").description
    #expect(description.contains("'<f4'") && description.contains("'<c8'"))
  }

  @Test func fortranOrderIsRejected() {
    let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n"
    #expect(throws: NPYError.fortranOrder(file: "f.npy")) {
      try NPYFile.decode(npy(header: header, data: eightBytes), file: "f.npy")
    }
  }

  @Test func dataShorterOrLongerThanTheShapeIsRejected() {
    #expect(throws: NPYError.dataLength(file: "s.npy", expectedBytes: 8, foundBytes: 7)) {
      try NPYFile.decode(npy(header: validHeader, data: Array(eightBytes.prefix(7))), file: "s.npy")
    }
    #expect(throws: NPYError.dataLength(file: "s.npy", expectedBytes: 8, foundBytes: 12)) {
      try NPYFile.decode(npy(header: validHeader, data: eightBytes + [1, 2, 3, 4]), file: "s.npy")
    }
  }

  @Test func hugeShapesDoNotOverflow() {
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n"
    #expect {
      try NPYFile.decode(npy(header: header), file: "o.npy")
    } throws: { error in
      guard case NPYError.invalidShape(let file, _) = error else { return false }
      return file == "o.npy"
    }
  }

  @Test func aMissingFileIsAnIOErrorNamingIt() {
    let url = URL(fileURLWithPath: "/nonexistent/swift-similarity/missing.npy")
    #expect {
      try NPYFile.read(from: url)
    } throws: { error in
      guard case NPYError.io(let file, _) = error else { return false }
      return file == url.path
    }
  }
}
