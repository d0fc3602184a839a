import Foundation

/// Background threads that build batches ahead of the consumer and hand them over strictly in
/// order. Workers claim consecutive batch numbers, never more than `capacity` ahead of the one the
/// consumer waits for, so memory is bounded; a failure is delivered in its slot like a batch.
final class PrefetchPipeline: @unchecked Sendable {
    struct Closed: Error {}

    private let condition = NSCondition()
    private var ready: [Int: Result<Batch, Error>] = [:]
    private var nextToClaim: Int
    private var nextToDeliver: Int
    private var closed = false
    private var running = 0
    private let capacity: Int
    private let make: (Int) -> Result<Batch, Error>

    /// `make(n)` builds batch n; the first delivered is `first`.
    init(first: Int, capacity: Int, workers: Int, make: @escaping (Int) -> Result<Batch, Error>) {
        nextToClaim = first
        nextToDeliver = first
        self.capacity = Swift.max(1, capacity)
        self.make = make
        let threads = Swift.max(1, Swift.min(workers, self.capacity))
        running = threads
        for w in 0..<threads {
            let t = Thread { [self] in work() }
            t.name = "gankit-loader-\(w)"
            t.start()
        }
    }

    private func work() {
        condition.lock()
        while true {
            while !closed && nextToClaim >= nextToDeliver + capacity { condition.wait() }
            if closed { break }
            let n = nextToClaim
            nextToClaim += 1
            condition.unlock()
            let result = make(n)
            condition.lock()
            ready[n] = result
            condition.broadcast()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order (blocking), or `Closed` after `close()`.
    func take() -> Result<Batch, Error> {
        condition.lock()
        defer { condition.unlock() }
        while !closed && ready[nextToDeliver] == nil { condition.wait() }
        guard !closed, let result = ready.removeValue(forKey: nextToDeliver) else { return .failure(Closed()) }
        nextToDeliver += 1
        condition.broadcast()
        return result
    }

    /// Stops the workers and waits until each has finished the batch it was building.
    func close() {
        condition.lock()
        closed = true
        ready.removeAll()
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
