import Foundation
import XCTest
@testable import GANData
@testable import GANTensor

/// Sample i = "x" [2] = (i, a draw from the sample's generator), label i % 3; optionally fails at
/// one index or returns a different shape there.
final class CountingDataset: Dataset, @unchecked Sendable {
    let count: Int
    let failAt: Int?
    let oddShapeAt: Int?
    var name: String { "counting(\(count))" }
    var classCount: Int? { 3 }

    init(count: Int, failAt: Int? = nil, oddShapeAt: Int? = nil) {
        self.count = count
        self.failAt = failAt
        self.oddShapeAt = oddShapeAt
    }

    func sample(at index: Int, rng: RandomGenerator) throws -> Sample {
        if index == failAt { throw DataError.corrupt(path: "item\(index)", reason: "test failure") }
        let shape = index == oddShapeAt ? [1, 2] : [2]
        return Sample(["x": try Tensor([Float(index), rng.nextFloat()], shape: shape)], label: index % 3)
    }
}

final class LoaderTests: XCTestCase {
    /// (indices, augmentation draws, labels) of the next `n` batches.
    func take(_ loader: DataLoader, _ n: Int) throws -> [[Float]] {
        try (0..<n).map { _ in try loader.next().tensors["x"]!.scalars }
    }

    func testSameSeedSameBatchesDifferentSeedDifferent() throws {
        let data = CountingDataset(count: 23)
        let a = try DataLoader(dataset: data, batchSize: 5, shuffle: true, dropLast: false, seed: 7)
        let b = try DataLoader(dataset: data, batchSize: 5, shuffle: true, dropLast: false, seed: 7)
        let c = try DataLoader(dataset: data, batchSize: 5, shuffle: true, dropLast: false, seed: 8)
        let first = try take(a, 12)
        XCTAssertEqual(first, try take(b, 12))
        XCTAssertNotEqual(first, try take(c, 12))
    }

    func testEpochsArePermutationsWithFreshAugmentation() throws {
        let loader = try DataLoader(dataset: CountingDataset(count: 10), batchSize: 4, shuffle: true, dropLast: false, seed: 1)
        XCTAssertEqual(loader.batchesPerEpoch, 3)
        var epochs: [[Float]] = [[], []], draws: [[Int: Float]] = [[:], [:]]
        for _ in 0..<6 {
            let batch = try loader.next()
            let x = batch.tensors["x"]!
            XCTAssertEqual(batch.labels, (0..<x.shape[0]).map { Int(x.data[2 * $0]) % 3 })
            for k in 0..<x.shape[0] {
                epochs[batch.epoch].append(x.data[2 * k])
                draws[batch.epoch][Int(x.data[2 * k])] = x.data[2 * k + 1]
            }
        }
        XCTAssertEqual(epochs[0].sorted(), (0..<10).map(Float.init))
        XCTAssertEqual(epochs[1].sorted(), (0..<10).map(Float.init))
        XCTAssertNotEqual(epochs[0], epochs[1], "each epoch draws its own order")
        XCTAssertNotEqual(draws[0], draws[1], "each epoch draws its own augmentation")
        XCTAssertEqual(loader.state, DataLoader.State(epoch: 2, batch: 0))
    }

    func testAugmentationDependsOnlyOnSeedEpochAndIndex() throws {
        // Different batch sizes cut the same epoch order differently; each sample must still get
        // the same generator.
        func draws(batch: Int) throws -> [Float: Float] {
            let loader = try DataLoader(dataset: CountingDataset(count: 12), batchSize: batch, shuffle: true, dropLast: false, seed: 3)
            var out: [Float: Float] = [:]
            for _ in 0..<loader.batchesPerEpoch {
                let x = try loader.next().tensors["x"]!
                for k in 0..<x.shape[0] { out[x.data[2 * k]] = x.data[2 * k + 1] }
            }
            return out
        }
        XCTAssertEqual(try draws(batch: 3), try draws(batch: 5))
    }

    func testDropLastAndPartialLastBatch() throws {
        let keep = try DataLoader(dataset: CountingDataset(count: 10), batchSize: 4, shuffle: false, dropLast: false, seed: 0)
        XCTAssertEqual(try (0..<4).map { _ in try keep.next().count }, [4, 4, 2, 4])
        let drop = try DataLoader(dataset: CountingDataset(count: 10), batchSize: 4, shuffle: false, dropLast: true, seed: 0)
        XCTAssertEqual(drop.batchesPerEpoch, 2)
        let batches = try (0..<3).map { _ in try drop.next() }
        XCTAssertEqual(batches.map(\.count), [4, 4, 4])
        XCTAssertEqual(batches.map(\.epoch), [0, 0, 1])
        XCTAssertEqual(batches.map(\.indexInEpoch), [0, 1, 0])
        XCTAssertEqual(batches[2].tensors["x"]!.scalars.enumerated().filter { $0.offset % 2 == 0 }.map(\.element), [0, 1, 2, 3],
                       "without shuffling the order is the identity")
        XCTAssertThrowsError(try DataLoader(dataset: CountingDataset(count: 3), batchSize: 4, shuffle: false, dropLast: true, seed: 0))
    }

    func testResumeFromSavedStateMidEpochEqualsUninterrupted() throws {
        let data = CountingDataset(count: 17)
        let reference = try DataLoader(dataset: data, batchSize: 4, shuffle: true, dropLast: false, seed: 11)
        let all = try take(reference, 14)

        let interrupted = try DataLoader(dataset: data, batchSize: 4, shuffle: true, dropLast: false, seed: 11, prefetch: 3)
        XCTAssertEqual(try take(interrupted, 7), Array(all[0..<7]))
        let saved = try JSONEncoder().encode(interrupted.state)
        interrupted.close()
        let state = try JSONDecoder().decode(DataLoader.State.self, from: saved)
        XCTAssertEqual(state, DataLoader.State(epoch: 1, batch: 2))
        let resumed = try DataLoader(dataset: data, batchSize: 4, shuffle: true, dropLast: false, seed: 11, resumeFrom: state)
        XCTAssertEqual(try take(resumed, 7), Array(all[7..<14]))
        XCTAssertThrowsError(try DataLoader(dataset: data, batchSize: 4, shuffle: true, dropLast: false, seed: 11,
                                            resumeFrom: .init(epoch: 0, batch: 5)))
    }

    func testPrefetchAndWorkersDoNotChangeBatches() throws {
        let data = CountingDataset(count: 29)
        let plain = try take(try DataLoader(dataset: data, batchSize: 3, shuffle: true, dropLast: true, seed: 5, prefetch: 0), 25)
        for (prefetch, workers) in [(1, 1), (2, 1), (4, 3)] {
            let loader = try DataLoader(dataset: data, batchSize: 3, shuffle: true, dropLast: true, seed: 5, prefetch: prefetch, workers: workers)
            XCTAssertEqual(try take(loader, 25), plain, "prefetch \(prefetch), workers \(workers)")
        }
    }

    func testDatasetErrorReachesTheConsumerUnchanged() throws {
        for prefetch in [0, 2] {
            let good = try DataLoader(dataset: CountingDataset(count: 12), batchSize: 4, shuffle: false, dropLast: false, seed: 0, prefetch: prefetch)
            let bad = try DataLoader(dataset: CountingDataset(count: 12, failAt: 5), batchSize: 4, shuffle: false, dropLast: false,
                                     seed: 0, prefetch: prefetch, workers: 2)
            XCTAssertEqual(try bad.next().tensors["x"]!.scalars, try good.next().tensors["x"]!.scalars)
            XCTAssertThrowsError(try bad.next()) { error in
                XCTAssertEqual(error as? DataError, .corrupt(path: "item5", reason: "test failure"))
            }
            _ = try? good.next()
            // The failed batch is consumed; the loader goes on with the next one.
            XCTAssertEqual(bad.state, DataLoader.State(epoch: 0, batch: 2))
            XCTAssertEqual(try bad.next().tensors["x"]!.scalars, try good.next().tensors["x"]!.scalars)
        }
    }

    func testMismatchedShapesNameDatasetAndIndex() throws {
        let loader = try DataLoader(dataset: CountingDataset(count: 8, oddShapeAt: 6), batchSize: 4, shuffle: false, dropLast: false, seed: 0)
        _ = try loader.next()
        XCTAssertThrowsError(try loader.next()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("counting(8)") && text.contains("sample 6"), text)
        }
    }

    func testCloseStopsTheThreadsAndLaterCallsThrow() throws {
        let loader = try DataLoader(dataset: CountingDataset(count: 50), batchSize: 2, shuffle: true, dropLast: false, seed: 0,
                                    prefetch: 4, workers: 2)
        _ = try loader.next()
        loader.close()
        loader.close()
        XCTAssertThrowsError(try loader.next())
        // Dropping a running loader (no close) must not hang or leak its threads' work.
        for _ in 0..<20 {
            let l = try DataLoader(dataset: CountingDataset(count: 50), batchSize: 2, shuffle: true, dropLast: false, seed: 0, prefetch: 3, workers: 2)
            _ = try l.next()
        }
    }

    func testCollateStacksAndChecksLabels() throws {
        let a = Sample(["x": try Tensor([1, 2], shape: [2])], label: 1)
        let b = Sample(["x": try Tensor([3, 4], shape: [2])], label: 2)
        let batch = try Batch.collate([a, b], dataset: "d", indices: [0, 1])
        XCTAssertEqual(batch.tensors["x"]!.shape, [2, 2])
        XCTAssertEqual(batch.tensors["x"]!.scalars, [1, 2, 3, 4])
        XCTAssertEqual(batch.labels, [1, 2])
        let unlabelled = Sample(["x": try Tensor([5, 6], shape: [2])])
        XCTAssertThrowsError(try Batch.collate([a, unlabelled], dataset: "d", indices: [3, 9])) { error in
            XCTAssertTrue("\(error)".contains("sample 9"), "\(error)")
        }
        XCTAssertThrowsError(try Batch.collate([a, Sample(["y": a["x"]!], label: 0)], dataset: "d", indices: [0, 1]))
    }
}
