import Foundation
import XCTest
@testable import GANTensor

/// The toolkit's own gemm split, the buffer cache and the per-channel sum fast path.
final class ThreadingAndCacheTests: XCTestCase {
    /// A split product equals a Double reference, for every transpose combination and for stripes
    /// by rows and by columns, and is identical run to run.
    func testSplitGemmMatchesReference() throws {
        let rng = RandomGenerator(seed: 7)
        for (m, n, k) in [(300, 90, 80), (70, 333, 100)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = rng.normal([m * k]), b = rng.normal([k * n])
                let lda = ta ? m : k, ldb = tb ? k : n
                func run() -> [Float] {
                    let c = Tensor(repeating: 1, shape: [m, n])
                    Kernels.gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 2, a: a.data, lda: lda,
                                 b: b.data, ldb: ldb, beta: 0.5, c: c.data, ldc: n)
                    return c.scalars
                }
                let c = run()
                XCTAssertEqual(c, run())
                for i in stride(from: 0, to: m, by: 37) {
                    for j in stride(from: 0, to: n, by: 29) {
                        var s = 0.0
                        for p in 0..<k {
                            s += Double(a.data[ta ? p * m + i : i * k + p]) * Double(b.data[tb ? j * k + p : p * n + j])
                        }
                        XCTAssertEqual(Double(c[i * n + j]), 2 * s + 0.5, accuracy: 1e-3, "\(m)x\(n)x\(k) \(ta) \(tb)")
                    }
                }
            }
        }
    }

    /// Each worker runs once; inside a worker, chunked loops stay on its thread (one chunk) and
    /// are split again outside.
    func testWorkersRunOnceEachAndDoNotSplitAgain() {
        let lock = NSLock()
        var seen: [Int] = [], chunks: [Int] = []
        XCTAssertFalse(Parallel.isInsideWorker)
        Parallel.forWorkers(3) { w in
            XCTAssertTrue(Parallel.isInsideWorker)
            var pieces = 0
            Parallel.forChunks(1 << 20, grain: 1) { _, _ in pieces += 1 }
            lock.lock(); seen.append(w); chunks.append(pieces); lock.unlock()
        }
        XCTAssertFalse(Parallel.isInsideWorker)
        XCTAssertEqual(seen.sorted(), [0, 1, 2])
        XCTAssertEqual(chunks, [1, 1, 1])
        var outside = 0
        let lockOutside = NSLock()
        Parallel.forChunks(1 << 20, grain: 1) { _, _ in lockOutside.lock(); outside += 1; lockOutside.unlock() }
        XCTAssertEqual(outside, Parallel.cores)
    }

    /// Work handed to libdispatch's workers runs at the caller's nice value (libdispatch alone
    /// would run it at its QoS priority, so `nice -n 19 gan train` still took both cores).
    func testWorkersRunAtTheCallersNiceValue() {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let lock = NSLock()
        var nices: [Int32] = [], onOtherThread = 0
        let done = expectation(description: "niced caller")
        let caller = Thread {
            _ = setpriority(which, 0, 7)  // only this thread: Linux priorities are per thread
            let me = pthread_self()
            func record() {
                usleep(20_000)  // overlap the chunks so libdispatch hands them to its workers
                lock.lock()
                nices.append(getpriority(which, 0))
                if pthread_equal(pthread_self(), me) == 0 { onOtherThread += 1 }
                lock.unlock()
            }
            Parallel.forWorkers(3) { _ in record() }
            Parallel.forChunks(1 << 20, grain: 1) { _, _ in record() }
            Parallel.perform(iterations: 3) { _ in record() }
            done.fulfill()
        }
        caller.start()
        wait(for: [done], timeout: 30)
        XCTAssertEqual(nices.count, 3 + Parallel.cores + 3)
        XCTAssertGreaterThan(onOtherThread, 0, "no chunk ran on a worker thread")
        XCTAssertEqual(Set(nices), [7])
        // Back to this thread's value for the tests that follow (a privileged lowering; best effort).
        Parallel.forWorkers(Parallel.cores) { _ in usleep(20_000) }
    }

    // `gan reproduce --jobs` starts its trainings from `Parallel.perform`: a child process must run
    // at the nice value of the thread that asked for the work, not at libdispatch's nice 0.
    func testChildProcessesStartedFromWorkersInheritTheCallersNiceValue() throws {
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let lock = NSLock()
        var reported: [String] = []
        let done = expectation(description: "niced caller")
        let caller = Thread {
            _ = setpriority(which, 0, 9)
            Parallel.perform(iterations: 2) { _ in
                let child = Process(), out = Pipe()
                child.executableURL = URL(fileURLWithPath: "/usr/bin/nice")  // prints its nice value
                child.standardOutput = out
                guard (try? child.run()) != nil else { return }
                child.waitUntilExit()
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                lock.lock()
                reported.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
                lock.unlock()
            }
            done.fulfill()
        }
        caller.start()
        wait(for: [done], timeout: 30)
        XCTAssertEqual(reported, ["9", "9"])
        Parallel.forWorkers(Parallel.cores) { _ in usleep(20_000) }
    }

    func testBufferCacheReusesFreedBuffersOfTheSameSize() {
        let count = BufferCache.smallest * 3 + 5
        var first: UnsafeMutablePointer<Float>?
        do { let t = Tensor(zeros: [count]); first = t.data }
        let again = Tensor(uninitialized: [count])
        XCTAssertEqual(again.data, first)
        let zeros = Tensor(zeros: [count])
        XCTAssertTrue(zeros.scalars.allSatisfy { $0 == 0 })
    }

    /// Sums over [0, 2, 3] of NCHW (the fast path) equal a Double sum in the same order, exactly.
    func testPerChannelSumFastPath() throws {
        let x = RandomGenerator(seed: 3).normal([5, 3, 4, 6])
        let s = Kernels.sum(x, axes: [0, 2, 3])
        XCTAssertEqual(s.shape, [1, 3, 1, 1])
        for c in 0..<3 {
            var acc = 0.0
            for n in 0..<5 { for i in 0..<24 { acc += Double(x.data[(n * 3 + c) * 24 + i]) } }
            XCTAssertEqual(s.data[c], Float(acc))
        }
    }
}
