import Foundation
import GANTensor

/// Batches from a dataset, epoch after epoch. The order of epoch e is a permutation drawn from
/// (seed, e) alone, and sample i's augmentation generator from (seed, e, i) alone, so every batch is
/// fixed by the seed, whatever the threads do. A background thread prepares the next `prefetch`
/// batches; `state` is the consumer's position, and a loader created with `resumeFrom: state`
/// yields exactly the batches the original would have yielded next.
public final class DataLoader: @unchecked Sendable {
    public struct State: Codable, Equatable, Sendable {
        public var epoch: Int
        /// The next batch of that epoch.
        public var batch: Int
        public init(epoch: Int, batch: Int) { self.epoch = epoch; self.batch = batch }
    }

    public let dataset: any Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: UInt64
    public let workers: Int
    public let batchesPerEpoch: Int
    public private(set) var state: State

    // Prefetching: the producer fills `queue` up to `prefetch` results, in order.
    private let prefetch: Int
    private let condition = NSCondition()
    private var queue: [Result<Batch, Error>] = []
    private var producerState: State
    private var stopped = false
    private var thread: Thread?
    private var orderCache: (epoch: Int, order: [Int])?

    public init(dataset: any Dataset, batchSize: Int, shuffle: Bool, dropLast: Bool, seed: UInt64,
                prefetch: Int = 2, workers: Int = 1, resumeFrom: State? = nil) throws {
        guard batchSize >= 1 else { throw DataError.option(name: "batch_size", reason: "must be at least 1, got \(batchSize)") }
        guard dataset.count > 0 else { throw DataError.invalid(path: dataset.name, reason: "the dataset is empty") }
        guard !dropLast || dataset.count >= batchSize else {
            throw DataError.invalid(path: dataset.name, reason: "\(dataset.count) samples, fewer than one batch of \(batchSize)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.workers = Swift.max(1, workers)
        self.prefetch = Swift.max(0, prefetch)
        batchesPerEpoch = dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
        let start = resumeFrom ?? State(epoch: 0, batch: 0)
        guard start.batch >= 0, start.batch < batchesPerEpoch, start.epoch >= 0 else {
            throw DataError.option(name: "loader state", reason: "position \(start) does not exist (\(batchesPerEpoch) batches per epoch)")
        }
        state = start
        producerState = start
        if self.prefetch > 0 {
            let t = Thread { [weak self] in self?.produce() }
            t.name = "gankit-loader"
            thread = t
            t.start()
        }
    }

    deinit { close() }

    /// The next batch; a dataset error surfaces here, in order, as thrown.
    public func next() throws -> Batch {
        let result: Result<Batch, Error>
        if prefetch == 0 {
            result = Result { try make(state) }
        } else {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            guard !queue.isEmpty else {
                condition.unlock()
                throw DataError.invalid(path: dataset.name, reason: "the loader was closed")
            }
            result = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
        }
        let batch = try result.get()
        state = Self.advance(state, batchesPerEpoch)
        return batch
    }

    /// Stops the prefetching thread (also on deinit).
    public func close() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    static func advance(_ s: State, _ perEpoch: Int) -> State {
        s.batch + 1 < perEpoch ? State(epoch: s.epoch, batch: s.batch + 1) : State(epoch: s.epoch + 1, batch: 0)
    }

    private func produce() {
        while true {
            condition.lock()
            while queue.count >= prefetch && !stopped { condition.wait() }
            if stopped { condition.unlock(); return }
            let position = producerState
            condition.unlock()
            let result = Result { try make(position) }
            condition.lock()
            queue.append(result)
            producerState = Self.advance(position, batchesPerEpoch)
            condition.broadcast()
            let failed = (try? result.get()) == nil
            condition.unlock()
            if failed { return }  // the consumer will see the error; nothing after it is meaningful
        }
    }

    /// The permutation of epoch e (identity without shuffling).
    public func order(epoch: Int) -> [Int] {
        if let cache = orderCache, cache.epoch == epoch { return cache.order }
        let order = shuffle ? RandomGenerator(seed: seed, stream: Self.stream("epoch", UInt64(epoch))).permutation(dataset.count)
                            : Array(0..<dataset.count)
        orderCache = (epoch, order)
        return order
    }

    private func make(_ position: State) throws -> Batch {
        let order = self.order(epoch: position.epoch)
        let start = position.batch * batchSize
        let indices = Array(order[start..<Swift.min(start + batchSize, order.count)])
        var samples = [Sample?](repeating: nil, count: indices.count)
        var failure: Error?
        let lock = NSLock()
        let epochStream = Self.stream("sample", UInt64(position.epoch))
        let body = { (k: Int) in
            do {
                let rng = RandomGenerator(seed: self.seed, stream: epochStream &+ UInt64(indices[k]) &* 0x9E37_79B9_7F4A_7C15)
                let s = try self.dataset.sample(at: indices[k], rng: rng)
                lock.lock(); samples[k] = s; lock.unlock()
            } catch {
                lock.lock(); if failure == nil { failure = error }; lock.unlock()
            }
        }
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: indices.count, execute: body)
        } else {
            for k in 0..<indices.count { body(k) }
        }
        if let failure { throw failure }
        return try Batch.collate(samples.map { $0! }, dataset: dataset.name, indices: indices, epoch: position.epoch, index: position.batch)
    }

    static func stream(_ purpose: String, _ value: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in purpose.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return (h ^ value) &* 0x100_0000_01b3
    }
}
