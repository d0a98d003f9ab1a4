import Foundation
import SimilarityIO

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

extension ImageDataset {
  /// Downloads the `.gz` files of `splits` into `directory` (by default this data set's cache
  /// directory, where `load` looks) and returns that directory.
  ///
  /// Each file is fetched from the first of `mirrors` that serves it with the right content: the
  /// MD5 of its uncompressed data must match the catalogue before it is written — to a temporary
  /// file in the same directory, flushed and renamed, so an interrupted or wrong download never
  /// leaves a partial file under the final name. Files already present and correct are kept.
  /// Throws `DatasetError.downloadFailed` (with one reason per mirror) or `.cacheWrite`.
  @discardableResult
  public func download(
    to directory: URL? = nil, splits: [DatasetSplit] = DatasetSplit.allCases,
    mirrors: [URL]? = nil, session: URLSession = .shared,
    context: DatasetSearchContext = .current
  ) async throws -> URL {
    let destination = directory ?? cacheDirectory(context: context)
    do {
      try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    } catch {
      throw DatasetError.cacheWrite(directory: destination, message: error.localizedDescription)
    }
    for split in splits {
      let files = files(for: split)
      for (file, isImages) in [(files.images, true), (files.labels, false)] {
        let target = destination.appendingPathComponent(file.name + ".gz")
        if checksumProblem(ofFileAt: target, expected: file) == nil { continue }
        try await fetch(
          file, kind: describe(split, images: isImages), to: target,
          mirrors: mirrors ?? self.mirrors, session: session)
      }
    }
    return destination
  }

  /// Tries each mirror in turn until one serves `file` with the expected checksum.
  private func fetch(
    _ file: File, kind: String, to target: URL, mirrors: [URL], session: URLSession
  ) async throws {
    var attempts: [String] = []
    for mirror in mirrors {
      let url = mirror.appendingPathComponent(file.name + ".gz")
      let data: Data
      do {
        let (body, response) = try await session.data(from: url)
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
          attempts.append("\(url.absoluteString): HTTP status \(http.statusCode)")
          continue
        }
        data = body
      } catch {
        attempts.append("\(url.absoluteString): \(error.localizedDescription)")
        continue
      }
      if let problem = checksumProblem(of: data, name: url.absoluteString, expected: file) {
        attempts.append("\(url.absoluteString): \(problem) (expected \(kind))")
        continue
      }
      do {
        try AtomicFile.write(data, to: target)
      } catch {
        throw DatasetError.cacheWrite(
          directory: target.deletingLastPathComponent(),
          message: "cannot write \(error.description)")
      }
      return
    }
    if mirrors.isEmpty { attempts.append("no download mirrors are configured") }
    throw DatasetError.downloadFailed(file: file.name + ".gz", attempts: attempts)
  }

  /// Why the file at `url` is not `file` (missing, unreadable, wrong checksum), or `nil`.
  private func checksumProblem(ofFileAt url: URL, expected file: File) -> String? {
    guard let data = try? Data(contentsOf: url) else { return "missing" }
    return checksumProblem(of: data, name: url.path, expected: file)
  }

  /// Why `data` (gzip or not) is not `file`, or `nil` when its uncompressed MD5 matches.
  private func checksumProblem(of data: Data, name: String, expected file: File) -> String? {
    let content: Data
    do {
      content =
        Gzip.isGzip(data)
        ? try Gzip.decompress(data, file: name, maximumBytes: file.byteCount ?? .max) : data
    } catch {
      return "\(error)"
    }
    let found = MD5.hex(of: content)
    guard found != file.md5 else { return nil }
    let identity = ImageDataset.identify(md5: found, among: ImageDataset.catalogue + [self])
    return "checksum mismatch: uncompressed MD5 \(found)"
      + (identity.map { ", which is \($0)" } ?? "") + ", expected \(file.md5)"
  }
}
