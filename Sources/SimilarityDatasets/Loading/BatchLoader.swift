import Foundation

/// Makes planned batches on worker threads ahead of the consumer: decoding, preparation and
/// augmentation (``BatchPreparer``) run while the training step runs.
///
/// At most ``prefetchLimit`` batches are in flight (being made or made and not yet taken), so
/// memory stays bounded whatever the size of the source: workers wait for the consumer. Batches
/// are claimed in plan order and delivered in plan order, and every batch is a pure function of
/// its number and indices, so the batches are identical whatever the thread count or
/// scheduling.
///
/// ```swift
/// let loader = BatchLoader(preparer: preparer, plan: [[0, 5, 9], [2, 3, 7]], threads: 2)
/// while let batch = try loader.next() { … batch.values, batch.shape … }
/// ```
public final class BatchLoader: Sendable {
  /// Worker threads.
  public let threads: Int
  /// The most batches in flight.
  public let prefetchLimit: Int
  /// The batches planned: example indices of every batch.
  public let plan: [[Int]]
  private let state: LoaderState

  /// Starts `threads` workers (≥ 1) making the batches of `plan`, at most `prefetchLimit`
  /// (≥ 1) ahead of the consumer; every index must be one of the source's examples
  /// (programmer errors otherwise).
  public init(preparer: BatchPreparer, plan: [[Int]], threads: Int = 2, prefetchLimit: Int = 4) {
    precondition(threads >= 1, "BatchLoader: at least one thread")
    precondition(prefetchLimit >= 1, "BatchLoader: prefetchLimit at least 1")
    let count = preparer.source.examples.count
    precondition(plan.allSatisfy { $0.allSatisfy { (0..<count).contains($0) } },
      "BatchLoader: the plan names an example outside the source's \(count)")
    self.threads = threads
    self.prefetchLimit = prefetchLimit
    self.plan = plan
    let state = LoaderState(count: plan.count, limit: prefetchLimit)
    self.state = state
    for _ in 0..<threads {
      let thread = Thread {
        while let number = state.claim() {
          let result: Result<LoadedBatch, SourceError>
          do throws(SourceError) {
            result = .success(try preparer.batch(number: number, indices: plan[number]))
          } catch {
            result = .failure(error)
          }
          state.finish(number, result)
        }
      }
      thread.name = "similarity-loader"
      thread.start()
    }
  }

  deinit { state.cancel() }

  /// The next non-empty batch in plan order, waiting for it if needed; `nil` after the last.
  /// Batches whose examples were all skipped are passed over (their examples counted in
  /// ``skippedCount``).
  /// - Throws: the ``SourceError`` of the first example that failed (without
  ///   `skipBadImages`); the loader stops and throws it again on later calls.
  public func next() throws(SourceError) -> LoadedBatch? {
    while let batch = try state.take() {
      if batch.count > 0 { return batch }
    }
    return nil
  }

  /// Examples skipped in the batches delivered so far.
  public var skippedCount: Int { state.skippedCount }
  /// The most batches that were in flight at once (never more than ``prefetchLimit``).
  public var peakInFlight: Int { state.peak }

  /// Stops the workers after their current batch; ``next()`` then returns `nil`.
  public func cancel() { state.cancel() }
}

/// The loader's shared state, guarded by one condition variable.
private final class LoaderState: @unchecked Sendable {
  let count: Int
  let limit: Int
  let condition = NSCondition()
  var claimed = 0
  var delivered = 0
  var ready: [Int: Result<LoadedBatch, SourceError>] = [:]
  var failure: SourceError?
  var cancelled = false
  var skipped = 0
  var peakInFlight = 0

  init(count: Int, limit: Int) {
    self.count = count
    self.limit = limit
  }

  var skippedCount: Int { condition.withLock { skipped } }
  var peak: Int { condition.withLock { peakInFlight } }

  /// The next batch number for a worker, waiting while `limit` batches are in flight; `nil`
  /// when there is nothing left or the loader stopped.
  func claim() -> Int? {
    condition.withLock {
      while !cancelled && claimed < count && claimed - delivered >= limit { condition.wait() }
      guard !cancelled && claimed < count else { return nil }
      claimed += 1
      peakInFlight = max(peakInFlight, claimed - delivered)
      return claimed - 1
    }
  }

  func finish(_ number: Int, _ result: Result<LoadedBatch, SourceError>) {
    condition.withLock {
      ready[number] = result
      condition.broadcast()
    }
  }

  /// The next batch in order, waiting for it; `nil` after the last or once cancelled.
  func take() throws(SourceError) -> LoadedBatch? {
    condition.lock()
    defer { condition.unlock() }
    if let failure { throw failure }
    while !cancelled && delivered < count && ready[delivered] == nil { condition.wait() }
    guard !cancelled, delivered < count, let result = ready.removeValue(forKey: delivered) else {
      return nil
    }
    delivered += 1
    condition.broadcast()
    switch result {
    case .success(let batch):
      skipped += batch.skipped.count
      return batch
    case .failure(let error):
      failure = error
      cancelled = true
      throw error
    }
  }

  func cancel() {
    condition.withLock {
      cancelled = true
      condition.broadcast()
    }
  }
}
