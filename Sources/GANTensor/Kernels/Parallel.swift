import Foundation

/// Splits [0, count) into contiguous chunks over the machine's cores when the work is large enough
/// to pay for the hand-off; each chunk is processed by `body(start, end)`. Chunk boundaries depend
/// only on `count`, so results are identical run to run.
public enum Parallel {
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Below this many elements a single thread is faster than waking a second one.
    public static var grain = 1 << 15

    public static func forChunks(_ count: Int, grain: Int = Parallel.grain, _ body: (Int, Int) -> Void) {
        let chunks = min(cores, max(1, count / max(grain, 1)))
        if chunks <= 1 {
            body(0, count)
            return
        }
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * size
            let end = min(count, start + size)
            if start < end { body(start, end) }
        }
    }
}
