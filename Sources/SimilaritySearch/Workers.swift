#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs `body(worker)` for `worker` in `0..<count` on `count` threads at once: the caller runs
/// worker 0 and `count − 1` fresh pthreads run the others; returns when all are done.
///
/// Plain pthreads rather than `DispatchQueue.concurrentPerform`: on Linux, libdispatch often
/// runs both iterations of a 2-way `concurrentPerform` on the caller when the machine is busy,
/// which turned the parallel HNSW build into a serial one. Each call here does milliseconds to
/// seconds of work, so thread creation (~20 µs) is negligible.
func runWorkers(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  if count <= 1 {
    body(0)
    return
  }
  final class Job: @unchecked Sendable {
    let body: @Sendable (Int) -> Void
    let worker: Int
    init(_ body: @escaping @Sendable (Int) -> Void, _ worker: Int) {
      self.body = body
      self.worker = worker
    }
  }
  var threads = [pthread_t]()
  for worker in 1..<count {
    let job = Unmanaged.passRetained(Job(body, worker)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(&thread, nil, { raw in
      let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
      job.body(job.worker)
      return nil
    }, job)
    if status == 0 {
      threads.append(thread)
    } else {
      // No thread: run this share on the caller afterwards.
      let job = Unmanaged<Job>.fromOpaque(job).takeRetainedValue()
      job.body(job.worker)
    }
  }
  body(0)
  for thread in threads { pthread_join(thread, nil) }
}
