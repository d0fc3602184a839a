import XCTest
import GANTensor
@testable import GANMetrics

final class PrecisionRecallTests: XCTestCase {
    let rng = RandomGenerator(seed: 8)

    func testIdenticalSetsAreFullyCovered() throws {
        let x = rng.normal([150, 8])
        XCTAssertEqual(try PrecisionRecall.compute(real: x, fake: x), .init(precision: 1, recall: 1))
    }

    func testFarApartClustersShareNothing() throws {
        let real = rng.normal([120, 8]), fake = rng.normal([100, 8]) + 50
        XCTAssertEqual(try PrecisionRecall.compute(real: real, fake: fake), .init(precision: 0, recall: 0))
    }

    func testCollapsedFakesArePreciseButRecallNothing() throws {
        let real = rng.normal([100, 6])
        let fake = Tensor(uninitialized: [40, 6])
        for i in 0..<40 { (fake.data + i * 6).update(from: real.data + 7 * 6, count: 6) }
        let r = try PrecisionRecall.compute(real: real, fake: fake)
        XCTAssertEqual(r.precision, 1)
        // Every fake radius is ~0: at most the copied real sample is covered.
        XCTAssertLessThanOrEqual(r.recall, 1.0 / 100)
    }

    func testBlockingDoesNotChangeTheResult() throws {
        let real = rng.normal([230, 5]), fake = rng.normal([170, 5]) + 0.7
        let whole = try PrecisionRecall.compute(real: real, fake: fake, k: 5)
        XCTAssertGreaterThan(whole.precision, 0.05)
        XCTAssertLessThan(whole.precision, 0.95)
        // 37 elements: one row per block, ending on a partial block.
        XCTAssertEqual(try PrecisionRecall.compute(real: real, fake: fake, k: 5, blockElements: 37), whole)
        XCTAssertEqual(try PrecisionRecall.compute(real: real, fake: fake, k: 5, blockElements: 230 * 7), whole)
    }

    func testRadiiAreKthNearestOtherSample() {
        // Points on a line at 0, 1, 3, 6, 10: the 2nd nearest other point of 3 is 6 (distance 3).
        let x = try! Tensor([0, 1, 3, 6, 10], shape: [5, 1])
        XCTAssertEqual(PrecisionRecall.squaredRadii(x, k: 2, blockElements: 1 << 22), [9, 4, 9, 16, 49])
    }

    func testRejectsTooFewSamples() {
        XCTAssertThrowsError(try PrecisionRecall.compute(real: rng.normal([3, 2]), fake: rng.normal([10, 2])))
        XCTAssertThrowsError(try PrecisionRecall.compute(real: rng.normal([10, 2]), fake: rng.normal([10, 2]), k: 0))
    }
}
