import CKernels
import Foundation

/// Splits [0, count) into contiguous chunks over the machine's cores when the work is large enough
/// to pay for the hand-off; each chunk is processed by `body(start, end)`. Chunk boundaries depend
/// only on `count`, so results are identical run to run.
public enum Parallel {
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Below this many elements a single thread is faster than waking a second one.
    public static var grain = 1 << 15

    public static func forChunks(_ count: Int, grain: Int = Parallel.grain, _ body: (Int, Int) -> Void) {
        let chunks = isInsideWorker ? 1 : min(cores, max(1, count / max(grain, 1)))
        if chunks <= 1 {
            body(0, count)
            return
        }
        let size = (count + chunks - 1) / chunks
        perform(iterations: chunks) { c in
            let start = c * size
            let end = min(count, start + size)
            if start < end { body(start, end) }
        }
    }

    /// Runs `body(worker)` for each of `count` workers, one per thread, each owning a share of a
    /// larger job (e.g. its samples of a convolution). Inside a worker, `forChunks` and
    /// `Kernels.gemm` stay on the worker's thread: the cores are already busy, and a nested
    /// split would only add hand-offs. With one worker, `body(0)` runs on the calling thread and
    /// may split its own work as usual.
    public static func forWorkers(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1 else { return body(0) }
        perform(iterations: count) { w in
            let outer = pthread_getspecific(workerKey)
            pthread_setspecific(workerKey, UnsafeRawPointer(bitPattern: 1))
            defer { pthread_setspecific(workerKey, outer) }
            body(w)
        }
    }

    /// Runs `body(i)` for every i in 0..<iterations, on the calling thread and the toolkit's pool
    /// threads (Sources/CKernels/thread_pool.c: they stay awake between the calls of a training
    /// step), each iteration at the calling thread's nice value (below), which is also what child
    /// processes started from an iteration inherit. A call made while the pool is busy (from
    /// another thread, or nested in an iteration) goes to `DispatchQueue.concurrentPerform`.
    public static func perform(iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1 else { return iterations == 1 ? body(0) : () }
        let nice = threadNice()
        let ran = withoutActuallyEscaping(body) { body in
            var job = PoolJob(nice: nice, body: body)
            return withUnsafeMutablePointer(to: &job) { pointer in
                gk_pool_run(iterations, Int32(Swift.min(iterations, cores) - 1), { context, index in
                    let job = context!.assumingMemoryBound(to: PoolJob.self)
                    Parallel.adoptNice(job.pointee.nice)
                    job.pointee.body(index)
                }, pointer)
            }
        }
        guard ran != 0 else { return }
        DispatchQueue.concurrentPerform(iterations: iterations) { i in
            adoptNice(nice)
            body(i)
        }
    }

    /// What a pool task needs: the caller's nice value and the iteration body.
    private struct PoolJob {
        let nice: Int32
        let body: (Int) -> Void
    }

    /// libdispatch runs its worker threads at the priority of their QoS class (nice 0, some at -4),
    /// not at the nice value of the thread that hands them work: under `nice -n 19 gan train` the
    /// workers still took both cores from foreground jobs. Each worker takes the caller's nice
    /// value for the work it runs (lowering a worker's nice needs privileges; if refused, the
    /// worker keeps the higher, gentler value). Two syscalls per chunk, next to chunks of at least
    /// `grain` elements.
    static func threadNice() -> Int32 { getpriority(priorityWhich, 0) }

    static func adoptNice(_ nice: Int32) {
        if getpriority(priorityWhich, 0) != nice { _ = setpriority(priorityWhich, 0, nice) }
    }

    // On Linux the "process" priority of id 0 is the calling thread's own.
    private static let priorityWhich = __priority_which_t(PRIO_PROCESS.rawValue)

    /// Whether the calling thread is running a `forWorkers` worker.
    static var isInsideWorker: Bool { pthread_getspecific(workerKey) != nil }

    private static let workerKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
