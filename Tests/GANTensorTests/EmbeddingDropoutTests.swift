import XCTest
@testable import GANTensor

final class EmbeddingDropoutTests: XCTestCase {
    func testEmbeddingLooksUpRows() throws {
        let emb = Embedding(10, 4, rng: RandomGenerator(seed: 1))
        XCTAssertEqual(emb.weight.shape, [10, 4])
        XCTAssertEqual(emb.stateDict().map(\.0), ["weight"])
        let y = try emb([3, 3, 7])
        XCTAssertEqual(y.shape, [3, 4])
        let w = emb.weight.scalars
        XCTAssertEqual(y.scalars, Array(w[12..<16] + w[12..<16] + w[28..<32]))
    }

    func testEmbeddingGradientAddsIntoLookedUpRows() throws {
        let emb = Embedding(5, 2, rng: RandomGenerator(seed: 2))
        let r = try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        try (emb([1, 4, 1]) * r).sum().backward()
        XCTAssertEqual(emb.weight.grad?.scalars, [0, 0, 6, 8, 0, 0, 0, 0, 3, 4])
        try assertGradients([emb.weight]) { _ in try emb([0, 2, 2]) }
    }

    func testEmbeddingInitIsStandardNormal() {
        let w = Embedding(1000, 32, rng: RandomGenerator(seed: 3)).weight.scalars.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let std = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(std, 1, accuracy: 0.03)
    }

    func testEmbeddingRejectsOutOfRangeIndexByName() {
        let emb = Embedding(10, 4, rng: RandomGenerator(seed: 1))
        XCTAssertThrowsError(try emb([2, 10])) {
            XCTAssertEqual("\($0)", "Embedding(10, 4): index 10 is out of range 0..<10")
        }
        XCTAssertThrowsError(try emb([-1])) { XCTAssertTrue("\($0)".contains("index -1")) }
    }

    func testDropoutMaskScaleAndRate() throws {
        let x = RandomGenerator(seed: 4).uniform([100_000], low: 1, high: 2)
        let y = try x.dropout(p: 0.25, rng: RandomGenerator(seed: 5), training: true)
        let mask = RandomGenerator(seed: 5).bernoulli([100_000], p: 0.75).scalars
        var dropped = 0
        for i in 0..<x.count {
            if mask[i] == 0 { XCTAssertEqual(y.data[i], 0); dropped += 1 } else {
                XCTAssertEqual(y.data[i], x.data[i] / 0.75, accuracy: 1e-6)
            }
        }
        XCTAssertEqual(Double(dropped) / Double(x.count), 0.25, accuracy: 0.01)
    }

    func testDropoutEvalAndEdgeProbabilities() throws {
        let x = RandomGenerator(seed: 6).uniform([50])
        let rng = RandomGenerator(seed: 7)
        XCTAssertTrue(try x.dropout(p: 0.5, rng: rng, training: false) === x)
        XCTAssertTrue(try x.dropout(p: 0, rng: rng, training: true) === x)
        XCTAssertEqual(rng.counter, 0, "no mask is drawn when dropout is off")
        XCTAssertEqual(try x.dropout(p: 1, rng: rng, training: true).scalars, [Float](repeating: 0, count: 50))
        XCTAssertThrowsError(try x.dropout(p: 1.5, rng: rng, training: true)) {
            XCTAssertEqual("\($0)", "dropout: probability 1.5 is not in [0, 1]")
        }
    }

    func testDropoutGradientUsesTheSameMask() throws {
        let x = RandomGenerator(seed: 8).uniform([4, 6], low: -1, high: 1)
        // A fresh generator per call, so finite differences see the same mask.
        try assertGradients([x]) { try $0[0].dropout(p: 0.5, rng: RandomGenerator(seed: 9), training: true) }
        try assertSecondOrderGradients([x], firstOrderWrt: [0]) {
            try $0[0].dropout(p: 0.3, rng: RandomGenerator(seed: 9), training: true).curved()
        }
        let g = try gradients(of: x.dropout(p: 0.5, rng: RandomGenerator(seed: 9), training: true).sum(), wrt: [x])[0]
        XCTAssertEqual(g.scalars, RandomGenerator(seed: 9).bernoulli([4, 6], p: 0.5).scalars.map { $0 * 2 })
    }

    func testDropoutModuleFollowsModeAndGenerator() throws {
        let x = Tensor(repeating: 1, shape: [1000])
        let a = Dropout(0.5, rng: RandomGenerator(seed: 10)), b = Dropout(0.5, rng: RandomGenerator(seed: 10))
        let first = try a(x).scalars
        XCTAssertEqual(try b(x).scalars, first, "same seed, same masks")
        XCTAssertNotEqual(try a(x).scalars, first, "each call draws a new mask")
        XCTAssertTrue(Set(first).isSubset(of: [0, 2]))
        a.eval()
        XCTAssertTrue(try a(x) === x)
        XCTAssertTrue(a.stateDict().isEmpty)
        XCTAssertThrowsError(try Dropout(-0.1, rng: RandomGenerator(seed: 1))(x))
    }
}
