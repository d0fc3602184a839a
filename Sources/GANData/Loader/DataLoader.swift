import Foundation
import GANTensor

/// Batches from a dataset, epoch after epoch, forever. Epoch e's order is a permutation drawn from
/// (seed, e) alone and sample i's augmentation generator from (seed, e, i) alone, so every batch is
/// fixed by the seed whatever the threads do: prefetching or not, any number of workers. `state` is
/// the consumer's position; a loader created with `resumeFrom: state` yields exactly the batches
/// the original would have yielded next. `next()` is meant for one consumer thread.
public final class DataLoader: @unchecked Sendable {
    /// The position of the batch `next()` returns next: its epoch and its index in that epoch.
    public struct State: Codable, Equatable, Sendable {
        public var epoch: Int
        public var batch: Int
        public init(epoch: Int, batch: Int) { self.epoch = epoch; self.batch = batch }
    }

    public let dataset: any Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: UInt64
    /// Batches built ahead by background threads (0: built on demand in `next()`).
    public let prefetch: Int
    /// Background threads building batches (at most `prefetch` of them do useful work).
    public let workers: Int
    public let batchesPerEpoch: Int
    public private(set) var state: State

    private let maker: BatchMaker
    private var pipeline: PrefetchPipeline?
    private var closed = false

    public init(dataset: any Dataset, batchSize: Int, shuffle: Bool, dropLast: Bool, seed: UInt64,
                prefetch: Int = 2, workers: Int = 1, resumeFrom: State? = nil) throws {
        guard batchSize >= 1 else { throw DataError.option(name: "batch_size", reason: "must be at least 1, got \(batchSize)") }
        guard prefetch >= 0, workers >= 1 else {
            throw DataError.option(name: "loader", reason: "prefetch must be >= 0 and workers >= 1, got \(prefetch) and \(workers)")
        }
        guard dataset.count > 0 else { throw DataError.invalid(path: dataset.name, reason: "the dataset is empty") }
        guard !dropLast || dataset.count >= batchSize else {
            throw DataError.invalid(path: dataset.name, reason: "\(dataset.count) samples make no full batch of \(batchSize) (drop_last)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.prefetch = prefetch
        self.workers = workers
        batchesPerEpoch = dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
        let start = resumeFrom ?? State(epoch: 0, batch: 0)
        guard start.epoch >= 0, (0..<batchesPerEpoch).contains(start.batch) else {
            throw DataError.option(name: "loader state", reason: "epoch \(start.epoch) batch \(start.batch) does not exist "
                                   + "(\(batchesPerEpoch) batches per epoch)")
        }
        state = start
        maker = BatchMaker(dataset: dataset, batchSize: batchSize, shuffle: shuffle, seed: seed, batchesPerEpoch: batchesPerEpoch)
        if prefetch > 0 {
            let maker = self.maker  // the threads hold the maker, never the loader, so deinit runs
            pipeline = PrefetchPipeline(first: Self.number(start, batchesPerEpoch), capacity: prefetch, workers: workers) { n in
                Result { try maker.make(n) }
            }
        }
    }

    deinit { pipeline?.close() }

    /// The next batch. An error thrown by the dataset (or by collation) for this batch is rethrown
    /// here unchanged; the position still moves past that batch, so the caller may go on.
    public func next() throws -> Batch {
        guard !closed else { throw DataError.invalid(path: dataset.name, reason: "next() on a closed loader") }
        let result = pipeline?.take() ?? Result { try maker.make(Self.number(state, batchesPerEpoch)) }
        state = Self.advance(state, batchesPerEpoch)
        return try result.get()
    }

    /// Stops the background threads (waiting for a batch in progress); also done on deinit.
    public func close() {
        closed = true
        pipeline?.close()
        pipeline = nil
    }

    /// The order of epoch `epoch`'s samples (identity without shuffling).
    public func order(epoch: Int) -> [Int] { maker.order(epoch: epoch) }

    static func number(_ s: State, _ perEpoch: Int) -> Int { s.epoch * perEpoch + s.batch }

    static func advance(_ s: State, _ perEpoch: Int) -> State {
        s.batch + 1 < perEpoch ? State(epoch: s.epoch, batch: s.batch + 1) : State(epoch: s.epoch + 1, batch: 0)
    }
}
