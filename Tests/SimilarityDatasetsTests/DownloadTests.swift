import Foundation
import Testing

@testable import SimilarityDatasets

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Downloads from a loopback HTTP server started by each test; no test touches the network.
@Suite struct DownloadTests {
  private static let images = "tiny-images-idx3-ubyte.gz"
  private static let labels = "tiny-labels-idx1-ubyte.gz"

  private func fixture(_ name: String) throws -> Data {
    try Data(contentsOf: TestSupport.fixture(name))
  }

  private func session() -> URLSession {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 120
    configuration.connectionProxyDictionary = [:]
    return URLSession(configuration: configuration)
  }

  @Test func fetchesFromTheFirstMirrorThatServesTheFilesAndThenKeepsThem() async throws {
    let server = try LoopbackHTTPServer(routes: [
      "/good/" + Self.images: fixture(Self.images), "/good/" + Self.labels: fixture(Self.labels),
    ])
    defer { server.stop() }
    let cache = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: cache) }
    let dataset = ImageDatasetTests.tiny(mirrors: [
      server.baseURL.appendingPathComponent("missing/"),
      server.baseURL.appendingPathComponent("good/"),
    ])
    let directory = try await dataset.download(to: cache, splits: [.train], session: session())
    #expect(directory == cache)
    #expect(try dataset.load(.train, from: cache).labels == [2, 0, 1])
    #expect(try Data(contentsOf: cache.appendingPathComponent(Self.images)) == fixture(Self.images))
    #expect(
      server.requestedPaths == [
        "/missing/" + Self.images, "/good/" + Self.images, "/missing/" + Self.labels,
        "/good/" + Self.labels,
      ])
    // Both files are present and verified now: a second download requests nothing.
    try await dataset.download(to: cache, session: session())
    #expect(server.requestedPaths.count == 4)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted()
        == [Self.images, Self.labels])
  }

  @Test func aChecksumMismatchLeavesNoFileBehind() async throws {
    // The server has the labels where the images should be.
    let server = try LoopbackHTTPServer(routes: [
      "/swapped/" + Self.images: fixture(Self.labels),
      "/swapped/" + Self.labels: fixture(Self.labels),
    ])
    defer { server.stop() }
    let cache = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: cache) }
    let dataset = ImageDatasetTests.tiny(mirrors: [
      server.baseURL.appendingPathComponent("swapped/")
    ])
    await #expect {
      try await dataset.download(to: cache, session: session())
    } throws: { error in
      guard case DatasetError.downloadFailed(Self.images, let attempts) = error else {
        return false
      }
      return attempts.count == 1 && attempts[0].contains("checksum mismatch")
        && attempts[0].contains("Tiny train labels")
        && attempts[0].contains("60f9957c7945d54901fa238832729e89")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path) == [])
  }

  @Test func aCorruptCachedFileIsReplaced() async throws {
    let server = try LoopbackHTTPServer(routes: [
      "/m/" + Self.images: fixture(Self.images), "/m/" + Self.labels: fixture(Self.labels),
    ])
    defer { server.stop() }
    let cache = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: cache) }
    let truncated = try fixture(Self.images).prefix(20)
    try truncated.write(to: cache.appendingPathComponent(Self.images))
    try fixture(Self.labels).write(to: cache.appendingPathComponent(Self.labels))
    let dataset = ImageDatasetTests.tiny(mirrors: [server.baseURL.appendingPathComponent("m/")])
    try await dataset.download(to: cache, splits: [.test], session: session())
    #expect(server.requestedPaths == ["/m/" + Self.images])
    #expect(try dataset.load(.test, from: cache).count == 3)
  }

  @Test func unreachableMirrorsAreAllReported() async throws {
    // A server that is stopped at once: its port refuses connections afterwards.
    let server = try LoopbackHTTPServer(routes: [:], lifetime: 0)
    try await Task.sleep(for: .milliseconds(200))
    let cache = try TestSupport.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: cache) }
    let dataset = ImageDatasetTests.tiny(mirrors: [
      server.baseURL, server.baseURL.appendingPathComponent("b/"),
    ])
    await #expect {
      try await dataset.download(to: cache, session: session())
    } throws: { error in
      guard case DatasetError.downloadFailed(Self.images, let attempts) = error else {
        return false
      }
      return attempts.count == 2 && "\(error)".contains("127.0.0.1:\(server.port)")
    }
  }
}
