import Foundation
import XCTest
@testable import GANTensor

/// `Parallel.perform` on the toolkit's pool (Sources/CKernels/thread_pool.c): every iteration runs
/// exactly once whoever calls, nested calls and callers on several threads included, and parked
/// helpers wake for the next job.
final class ThreadPoolTests: XCTestCase {
    /// Counts how often each index ran, and on how many threads other than the caller's.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var counts: [Int]
        private(set) var onOtherThreads = 0
        let caller = pthread_self()

        init(_ n: Int) { counts = Array(repeating: 0, count: n) }

        func record(_ i: Int) {
            lock.lock()
            counts[i] += 1
            if pthread_equal(pthread_self(), caller) == 0 { onOtherThreads += 1 }
            lock.unlock()
        }
    }

    func testEveryIterationRunsExactlyOnce() {
        for n in [0, 1, 2, 3, 7, 100, 1000] {
            let tally = Tally(n)
            Parallel.perform(iterations: n) { tally.record($0) }
            XCTAssertEqual(tally.counts, Array(repeating: 1, count: n), "\(n) iterations")
        }
    }

    func testNestedCallsRunAllTheirIterations() {
        // The outer job holds the pool: the inner calls take the fallback, still each index once.
        let outer = Tally(4)
        let inner = (0..<4).map { _ in Tally(5) }
        Parallel.perform(iterations: 4) { i in
            outer.record(i)
            Parallel.perform(iterations: 5) { inner[i].record($0) }
        }
        XCTAssertEqual(outer.counts, [1, 1, 1, 1])
        for t in inner { XCTAssertEqual(t.counts, [1, 1, 1, 1, 1]) }
    }

    func testCallersOnSeveralThreadsEachGetTheirIterations() {
        let callers = 4, rounds = 50
        let tallies = (0..<callers).map { _ in Tally(rounds * 6) }
        DispatchQueue.concurrentPerform(iterations: callers) { c in
            for r in 0..<rounds {
                Parallel.perform(iterations: 6) { tallies[c].record(r * 6 + $0) }
            }
        }
        for t in tallies { XCTAssertEqual(t.counts, Array(repeating: 1, count: rounds * 6)) }
    }

    func testParkedHelpersWakeForTheNextJob() {
        // On one core the pool has no helper and the caller runs both halves.
        let helped = Parallel.cores > 1 ? 1 : 0
        for _ in 0..<3 {
            usleep(20_000)  // far longer than a helper spins: it parks
            let tally = Tally(2)
            Parallel.perform(iterations: 2) { i in
                usleep(20_000)  // overlap the two halves so the helper takes one
                tally.record(i)
            }
            XCTAssertEqual(tally.counts, [1, 1])
            XCTAssertEqual(tally.onOtherThreads, helped, "the parked helper did not take the second half")
        }
    }
}
