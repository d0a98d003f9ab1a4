import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for testing downloads without
/// the network. It answers `GET <path>` with the bytes registered for the path (404 otherwise),
/// one connection at a time, records the paths requested, and shuts itself down after `lifetime`
/// even if `stop()` is never called.
final class LoopbackHTTPServer: @unchecked Sendable {
  struct SocketError: Error, CustomStringConvertible {
    let call: String
    var description: String {
      "loopback server: \(call) failed: \(String(cString: strerror(errno)))"
    }
  }

  let port: UInt16
  private let listener: Int32
  private let routes: [String: Data]
  private let lock = NSLock()
  private var stopped = false
  private var requested: [String] = []

  /// The base URL, e.g. `http://127.0.0.1:40123/`.
  var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/")! }

  /// The paths requested so far, in order.
  var requestedPaths: [String] { lock.withLock { requested } }

  init(routes: [String: Data], lifetime: TimeInterval = 300) throws {
    self.routes = routes
    #if canImport(Glibc)
      let stream = Int32(SOCK_STREAM.rawValue)
    #else
      let stream = SOCK_STREAM
    #endif
    let listener = socket(AF_INET, stream, 0)
    guard listener >= 0 else { throw SocketError(call: "socket") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0  // the kernel picks a free port
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(listener, 8) == 0 else {
      close(listener)
      throw SocketError(call: "bind/listen")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    self.listener = listener
    port = UInt16(bigEndian: address.sin_port)
    let deadline = Date().addingTimeInterval(lifetime)
    Thread { [self] in serve(until: deadline) }.start()
  }

  /// Asks the server to stop; it closes its socket within about 50 ms.
  func stop() {
    lock.withLock { stopped = true }
  }

  private func serve(until deadline: Date) {
    defer { close(listener) }
    while Date() < deadline, !lock.withLock({ stopped }) {
      var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 50) > 0 else { continue }
      let connection = accept(listener, nil, nil)
      guard connection >= 0 else { continue }
      handle(connection)
      close(connection)
    }
  }

  private func handle(_ connection: Int32) {
    var timeout = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var request: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !request.containsHeaderEnd, request.count < 65_536 {
      let count = recv(connection, &buffer, buffer.count, 0)
      guard count > 0 else { return }
      request += buffer[0..<count]
    }
    // "GET /path HTTP/1.1"
    let line = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self)
    let parts = line.split(separator: " ")
    let path = parts.count >= 2 ? String(parts[1]) : ""
    lock.withLock { requested.append(path) }
    let body = routes[path]
    let status = body == nil ? "404 Not Found" : "200 OK"
    let payload = body ?? Data("not found".utf8)
    let head =
      "HTTP/1.1 \(status)\r\nContent-Length: \(payload.count)\r\n"
      + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
    sendAll(connection, Data(head.utf8) + payload)
  }

  private func sendAll(_ connection: Int32, _ data: Data) {
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = send(
          connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        guard sent > 0 else { return }
        offset += sent
      }
    }
  }
}

extension Array where Element == UInt8 {
  /// Whether the bytes contain the blank line that ends HTTP headers.
  fileprivate var containsHeaderEnd: Bool {
    count >= 4
      && (0...(count - 4)).contains { index in
        self[index] == 0x0D && self[index + 1] == 0x0A && self[index + 2] == 0x0D
          && self[index + 3] == 0x0A
      }
  }
}
