import XCTest
@testable import GANCore
import GANTensor

final class SharedGANPiecesTests: XCTestCase {
    func testGradientPenaltyOfALinearCriticIsClosedForm() throws {
        // D(x) = <w, x>: grad D = w everywhere, so the penalty is (||w|| - 1)^2 and its gradient
        // with respect to w is 2 (||w|| - 1) w / ||w||, computed through double backward.
        let w = try Tensor([0.6, 0.8, 1.2], shape: [3, 1]).requiringGrad()
        let rng = RandomGenerator(seed: 4)
        let real = rng.normal([5, 3]), fake = rng.normal([5, 3])
        let gp = try GradientPenalty.wgan(critic: { try $0.matmul(w) }, real: real, fake: fake, rng: rng)
        let norm: Float = (0.36 + 0.64 + 1.44 as Float).squareRoot()
        XCTAssertEqual(gp.penalty.item, (norm - 1) * (norm - 1), accuracy: 1e-5)
        XCTAssertEqual(gp.meanNorm, norm, accuracy: 1e-5)
        let dw = try gradients(of: gp.penalty, wrt: [w])[0]
        for (i, wi) in [0.6, 0.8, 1.2].enumerated() {
            XCTAssertEqual(dw.data[i], 2 * (norm - 1) * Float(wi) / norm, accuracy: 1e-4)
        }
    }

    func testGradientPenaltyThroughANonlinearCriticMatchesFiniteDifferences() throws {
        let rng = RandomGenerator(seed: 8)
        let w1 = rng.uniform([4, 3], low: -1, high: 1), w2 = rng.uniform([1, 4], low: -1, high: 1)
        let real = rng.normal([6, 3]), fake = rng.normal([6, 3])
        func penalty(_ w1: Tensor, _ w2: Tensor) throws -> Tensor {
            // Same interpolation weights every evaluation: a fresh generator per call.
            try GradientPenalty.wgan(critic: { x in try x.matmul(w1, transposeOther: true).tanh().matmul(w2, transposeOther: true) },
                                     real: real, fake: fake, rng: RandomGenerator(seed: 1)).penalty
        }
        for t in [w1, w2] { t.requiringGrad() }
        let analytic = try gradients(of: penalty(w1, w2), wrt: [w1, w2])
        let eps: Float = 1e-2
        for (k, t) in [w1, w2].enumerated() {
            for i in 0..<t.count {
                let saved = t.data[i]
                t.data[i] = saved + eps; let plus = try penalty(w1, w2).item
                t.data[i] = saved - eps; let minus = try penalty(w1, w2).item
                t.data[i] = saved
                XCTAssertEqual(analytic[k].data[i], (plus - minus) / (2 * eps), accuracy: 2e-3 * max(1, abs(analytic[k].data[i])))
            }
        }
    }

    func testPackingGroupsConsecutiveSamples() throws {
        let x = try Tensor((0..<12).map(Float.init), shape: [4, 3])
        let p = try Packing.pack(x, size: 2)
        XCTAssertEqual(p.shape, [2, 6])
        XCTAssertEqual(Array(p.scalars.prefix(6)), [0, 1, 2, 3, 4, 5])
        let images = Tensor(zeros: [6, 1, 2, 2])
        XCTAssertEqual(try Packing.pack(images, size: 3).shape, [2, 3, 2, 2])
        XCTAssertThrowsError(try Packing.pack(x, size: 3)) { XCTAssertTrue("\($0)".contains("not a multiple")) }
        XCTAssertThrowsError(try Packing.pack(x, size: 0))
    }

    /// Separately generated chunks: pack i holds row i of every chunk, as the authors' code
    /// concatenates its m generator outputs along features.
    func testPackingChunksTakesOneRowOfEach() throws {
        let a = try Tensor([0, 1, 2, 3], shape: [2, 2]), b = try Tensor([10, 11, 12, 13], shape: [2, 2])
        let p = try Packing.pack(chunks: [a, b])
        XCTAssertEqual(p.shape, [2, 4])
        XCTAssertEqual(p.scalars, [0, 1, 10, 11, 2, 3, 12, 13])
        XCTAssertTrue(try Packing.pack(chunks: [a]) === a)
        XCTAssertThrowsError(try Packing.pack(chunks: []))
    }

    /// Real packs (consecutive samples of one batch) and generated packs (row i of each separately
    /// drawn chunk) must put sample j of a pack in the same input slot, or the discriminator would
    /// read the two kinds of pack differently: interleaving the chunks' rows into one batch and
    /// packing it gives exactly the chunks' pack, for points and for images.
    func testRealAndGeneratedPacksShareOneLayout() throws {
        let rng = RandomGenerator(seed: 5)
        for shape in [[6, 2], [6, 3, 2, 2]] {
            for m in [2, 3, 4] {
                let chunks = (0..<m).map { _ in rng.normal(shape) }
                let interleaved = try Tensor.stack(chunks, axis: 1).reshaped([shape[0] * m] + Array(shape.dropFirst()))
                let packedBatch = try Packing.pack(interleaved, size: m), packedChunks = try Packing.pack(chunks: chunks)
                XCTAssertEqual(packedBatch.shape, [shape[0], m * shape[1]] + Array(shape.dropFirst(2)))
                XCTAssertEqual(packedBatch.scalars, packedChunks.scalars, "shape \(shape), pack \(m)")
            }
        }
        // A pack of m copies of one sample is that sample repeated along features.
        let x = try Tensor([1, 2, 3, 4], shape: [2, 2])
        XCTAssertEqual(try Packing.pack(chunks: [x, x, x]).scalars, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
    }

    func testOneHotAndLabelMaps() throws {
        let y = try Conditioning.oneHot([2, 0], classes: 3)
        XCTAssertEqual(y.scalars, [0, 0, 1, 1, 0, 0])
        XCTAssertThrowsError(try Conditioning.oneHot([3], classes: 3)) { XCTAssertTrue("\($0)".contains("label 3")) }
        let maps = try Conditioning.concatLabelMaps(Tensor(zeros: [2, 1, 2, 2]), labels: [1, 0], classes: 2)
        XCTAssertEqual(maps.shape, [2, 3, 2, 2])
        XCTAssertEqual(Array(maps.scalars[4..<12]), [0, 0, 0, 0, 1, 1, 1, 1])
    }

    func testImagePoolFillsThenMixesAndRestores() throws {
        let pool = ImagePool(capacity: 4)
        let rng = RandomGenerator(seed: 3)
        let first = try Tensor((0..<4).map(Float.init), shape: [4, 1])
        XCTAssertEqual(try pool.query(first, rng: rng).scalars, [0, 1, 2, 3], "a filling pool returns the batch")
        let second = try Tensor([10, 11, 12, 13], shape: [4, 1])
        let mixed = try pool.query(second, rng: rng).scalars
        XCTAssertTrue(mixed.allSatisfy { [0, 1, 2, 3, 10, 11, 12, 13].contains($0) })
        let copy = ImagePool(capacity: 4)
        copy.restore(Dictionary(uniqueKeysWithValues: pool.state()))
        let r1 = RandomGenerator(seed: 9), r2 = RandomGenerator(seed: 9)
        XCTAssertEqual(try pool.query(first, rng: r1).scalars, try copy.query(first, rng: r2).scalars)
    }

    func testSlerpKeepsEndsAndNorm() {
        let a: [Float] = [1, 0], b: [Float] = [0, 1]
        XCTAssertEqual(LatentPath.slerp(a, b, 0), a)
        let mid = LatentPath.slerp(a, b, 0.5)
        XCTAssertEqual(mid[0], Float(0.5).squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(mid[0] * mid[0] + mid[1] * mid[1], 1, accuracy: 1e-6)
        XCTAssertEqual(LatentPath.lerp(a, b, 0.5), [0.5, 0.5])
    }
}
