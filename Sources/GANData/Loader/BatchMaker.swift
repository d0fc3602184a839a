import Foundation
import GANTensor

/// Builds batch number `n` (counted over all epochs: n = epoch * batchesPerEpoch + batch) as a
/// pure function of the dataset, the seed and n, so any thread may build any batch in any order.
/// Epoch e's order is a permutation from stream ("epoch", e); sample i of epoch e is augmented by a
/// generator on stream ("sample", e, i).
final class BatchMaker: @unchecked Sendable {
    let dataset: any Dataset
    let batchSize: Int
    let shuffle: Bool
    let seed: UInt64
    let batchesPerEpoch: Int

    private let lock = NSLock()
    private var orders: [(epoch: Int, order: [Int])] = []

    init(dataset: any Dataset, batchSize: Int, shuffle: Bool, seed: UInt64, batchesPerEpoch: Int) {
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.batchesPerEpoch = batchesPerEpoch
    }

    func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        lock.lock()
        defer { lock.unlock() }
        if let hit = orders.first(where: { $0.epoch == epoch }) { return hit.order }
        let order = RandomGenerator(seed: seed, stream: StreamHash.of("epoch", epoch)).permutation(dataset.count)
        // Workers straddle at most two epochs at a time; keep a few.
        orders.append((epoch, order))
        if orders.count > 3 { orders.removeFirst() }
        return order
    }

    func make(_ n: Int) throws -> Batch {
        let epoch = n / batchesPerEpoch, batch = n % batchesPerEpoch
        let order = self.order(epoch: epoch)
        let start = batch * batchSize
        let indices = Array(order[start..<Swift.min(start + batchSize, order.count)])
        let samples = try withoutGrad {
            try indices.map { i in
                try dataset.sample(at: i, rng: RandomGenerator(seed: seed, stream: StreamHash.of("sample", epoch, i)))
            }
        }
        return try Batch.collate(samples, dataset: dataset.name, indices: indices, epoch: epoch, indexInEpoch: batch)
    }
}
