import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@testable import SimilarityKernels

private final class Counter: Sendable {
  let value = Atomic<Int>(0)
}

@Suite struct ThreadPoolTests {
  @Test func parallelForVisitsEveryIndexExactlyOnce() {
    let pool = ThreadPool(threadCount: 2)
    for count in [0, 1, 2, 3, 17, 1000] {
      // Each index writes only its own slot, so plain memory suffices.
      let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
      defer { visits.deallocate() }
      _ = visits.initialize(from: repeatElement(0, count: count))
      pool.parallelFor(count) { i in visits[i] += 1 }
      #expect(visits.allSatisfy { $0 == 1 }, "count \(count)")
    }
  }

  @Test func manySmallLoopsSumCorrectly() {
    let pool = ThreadPool(threadCount: 3)
    let total = Atomic<Int>(0)
    for round in 0..<5_000 {
      pool.parallelFor(4) { i in total.add(i + round, ordering: .relaxed) }
    }
    // Each round adds 0+1+2+3 + 4·round.
    #expect(total.load(ordering: .relaxed) == 5_000 * 6 + 4 * (4_999 * 5_000 / 2))
  }

  @Test func theCallerWaitsForSlowIndicesOnOtherThreads() {
    // Odd indices sleep, so the caller runs out of work first and has to park until the
    // worker signals that its index is done.
    let pool = ThreadPool(threadCount: 2)
    for _ in 0..<40 {
      let done = UnsafeMutableBufferPointer<Int>.allocate(capacity: 4)
      _ = done.initialize(from: repeatElement(0, count: 4))
      pool.parallelFor(4) { i in
        if i % 2 == 1 { usleep(300) }
        done[i] = 1
      }
      #expect(done.allSatisfy { $0 == 1 })
      done.deallocate()
    }
  }

  @Test func nestedLoopsRunSeriallyWithoutDeadlock() {
    let pool = ThreadPool(threadCount: 2)
    let total = Atomic<Int>(0)
    #expect(pool.isIdle)
    pool.parallelFor(4) { i in
      #expect(!pool.isIdle)
      pool.parallelFor(10) { j in total.add(i * 10 + j, ordering: .relaxed) }
    }
    #expect(total.load(ordering: .relaxed) == (0..<40).reduce(0, +))
  }

  @Test func concurrentCallersFallBackToSerial() async {
    let pool = ThreadPool(threadCount: 2)
    let total = Counter()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<4 {
        group.addTask {
          for _ in 0..<200 { pool.parallelFor(8) { i in total.value.add(i, ordering: .relaxed) } }
        }
      }
    }
    #expect(total.value.load(ordering: .relaxed) == 4 * 200 * 28)
  }

  @Test func aSingleThreadPoolIsSerialAndKeepsOrder() {
    let pool = ThreadPool(threadCount: 1)
    #expect(pool.threadCount == 1)
    var order: [Int] = []
    pool.parallelFor(5) { order.append($0) }
    #expect(order == [0, 1, 2, 3, 4])
  }

  @Test func chunksPartitionTheRange() {
    for count in [0, 1, 5, 64, 101] {
      for parts in 1...7 {
        let chunks = (0..<parts).map { ThreadPool.chunk($0, of: count, parts: parts) }
        #expect(chunks.first?.lowerBound == 0)
        #expect(chunks.last?.upperBound == count)
        for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(chunks.map(\.count).max()! - chunks.map(\.count).min()! <= 1)
      }
    }
  }

  @Test func parallelForChunksCoversTheRangeAndHonoursTheMinimumChunk() {
    let pool = ThreadPool(threadCount: 2)
    let sum = Atomic<Int>(0)
    let calls = Atomic<Int>(0)
    pool.parallelForChunks(1000, minimumChunk: 10) { range in
      calls.add(1, ordering: .relaxed)
      sum.add(range.reduce(0, +), ordering: .relaxed)
    }
    #expect(sum.load(ordering: .relaxed) == 999 * 1000 / 2)
    // Several pieces per thread (claimed dynamically), so a thread that loses its core holds
    // up one piece, not a fixed half.
    #expect(calls.load(ordering: .relaxed) == 2 * ThreadPool.piecesPerThread)
    calls.store(0, ordering: .relaxed)
    pool.parallelForChunks(15, minimumChunk: 10) { _ in calls.add(1, ordering: .relaxed) }
    #expect(calls.load(ordering: .relaxed) == 1)
    // No piece shorter than the minimum.
    let shortest = Atomic<Int>(.max)
    calls.store(0, ordering: .relaxed)
    pool.parallelForChunks(35, minimumChunk: 10) { range in
      calls.add(1, ordering: .relaxed)
      _ = shortest.min(range.count, ordering: .relaxed)
    }
    #expect(calls.load(ordering: .relaxed) == 3)
    #expect(shortest.load(ordering: .relaxed) >= 10)
  }

  @Test func pieceCountsDependOnlyOnTheSizesAndTheThreadCount() {
    let pool = ThreadPool(threadCount: 2)
    #expect(pool.pieceCount(0) == 1)
    #expect(pool.pieceCount(3) == 3)
    #expect(pool.pieceCount(1000) == 2 * ThreadPool.piecesPerThread)
    #expect(pool.pieceCount(1000, minimumPiece: 400) == 2)
    #expect(ThreadPool(threadCount: 1).pieceCount(1000) == 1)
  }

  @Test func theSharedPoolUsesEveryCore() {
    #expect(ThreadPool.shared.threadCount == ThreadPool.onlineCoreCount)
  }
}
