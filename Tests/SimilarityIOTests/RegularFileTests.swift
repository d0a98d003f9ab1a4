import Foundation
import Testing

@testable import SimilarityIO

/// `RegularFile` refuses everything but a regular file, by name, and never reads past the size
/// it saw when opening.
@Suite struct RegularFileTests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("file-reading-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func aCharacterDeviceIsNamedInsteadOfRead() throws {
    // /dev/zero never ends: reading it whole would never return.
    let error = #expect(throws: FileReadError.self) {
      _ = try RegularFile.contents(
        of: "/dev/zero", expected: "a regular .simx index file", what: "an index", limit: 1 << 30)
    }
    #expect(error?.kind == .notRegularFile(.characterDevice))
    #expect(
      error?.description == "/dev/zero: is a character device, expected a regular .simx index file")
  }

  @Test func aDirectoryIsNamedInsteadOfACocoaError() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let error = #expect(throws: FileReadError.self) {
      _ = try RegularFile(path: directory.path, expected: "a model manifest")
    }
    #expect(error?.kind == .notRegularFile(.directory))
    #expect(error?.description == "\(directory.path): is a directory, expected a model manifest")
  }

  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let error = #expect(throws: FileReadError.self) {
      _ = try RegularFile(path: fifo, expected: "a .npy file")
    }
    #expect(error?.kind == .notRegularFile(.fifo))
    #expect(error?.reason == "is a FIFO (named pipe), expected a .npy file")
  }

  @Test func aMissingFileSaysSo() throws {
    let error = #expect(throws: FileReadError.self) {
      _ = try RegularFile(path: "/nonexistent/x.simx", expected: "a .simx index file")
    }
    #expect(error?.kind == .missing)
    #expect(error?.reason == "does not exist; expected a .simx index file")
  }

  @Test func readsExactlyTheRequestedRangeAndRefusesLargeFiles() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("data.bin")
    try Data((0..<100).map { UInt8($0) }).write(to: url)
    let file = try RegularFile(path: url.path, expected: "a file")
    #expect(file.size == 100)
    #expect(try file.read(10..<14) == [10, 11, 12, 13])
    #expect(try file.readAll(limit: 100, what: "a test file").count == 100)
    let error = #expect(throws: FileReadError.self) {
      _ = try file.readAll(limit: 99, what: "a test file")
    }
    #expect(error?.kind == .tooLarge)
    #expect(error?.reason == "is 100 bytes; a test file is at most 99 bytes")
  }

  @Test func aFileThatShrinksWhileOpenIsReportedAsTruncated() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("data.bin")
    try Data(repeating: 7, count: 64).write(to: url)
    let file = try RegularFile(path: url.path, expected: "a file")
    #expect(truncate(url.path, 10) == 0)
    let error = #expect(throws: FileReadError.self) { _ = try file.read(0..<64) }
    #expect(error?.kind == .truncated)
    #expect(error?.reason.contains("ends at byte 10, expected 64 bytes") == true)
  }
}
