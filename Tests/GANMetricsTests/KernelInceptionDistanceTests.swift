import XCTest
import GANTensor
@testable import GANMetrics

final class KernelInceptionDistanceTests: XCTestCase {
    func testHandComputedUnbiasedEstimate() throws {
        // d = 1, x = {0, 1}, y = {1, 2}, k = (xy + 1)³:
        // xx: 2·k(0,1)/(2·1) = 1; yy: 2·k(1,2)/2 = 27;
        // xy: k(0,1)+k(0,2)+k(1,1)+k(1,2) = 1+1+8+27 = 37 -> 2·37/4 = 18.5; MMD² = 1 + 27 - 18.5.
        let x = try Tensor([0, 1], shape: [2, 1]), y = try Tensor([1, 2], shape: [2, 1])
        XCTAssertEqual(try KernelInceptionDistance.unbiasedMMD2(x, y), 9.5, accuracy: 1e-12)
        // Subsets of the whole set are the whole set in some order: every estimate is 9.5.
        let r = try KernelInceptionDistance.compute(real: x, fake: y, subsetSize: 2, subsets: 3, rng: RandomGenerator(seed: 1))
        XCTAssertEqual(r.subsetValues.count, 3)
        XCTAssertEqual(r.mean, 9.5, accuracy: 1e-12)
        XCTAssertEqual(r.std, 0, accuracy: 1e-12)
        XCTAssertEqual(try KernelInceptionDistance.kernel([1, 2], [3, -1]), pow(1.0 / 2 + 1, 3), accuracy: 1e-15)
    }

    func testSameDistributionNearZeroShiftPositive() throws {
        let g = RandomGenerator(seed: 4)
        let real = g.normal([600, 16]), fake = g.normal([600, 16])
        let same = try KernelInceptionDistance.compute(real: real, fake: fake, subsetSize: 200, subsets: 20, rng: RandomGenerator(seed: 9))
        let moved = try KernelInceptionDistance.compute(real: real, fake: fake + 0.5, subsetSize: 200, subsets: 20, rng: RandomGenerator(seed: 9))
        XCTAssertGreaterThan(moved.mean, 3 * moved.std)
        XCTAssertLessThan(abs(same.mean), 0.05 * moved.mean)
        XCTAssertGreaterThan(same.std, 0)
    }

    func testSeededAndValidated() throws {
        let g = RandomGenerator(seed: 6)
        let a = g.normal([50, 4]), b = g.normal([40, 4])
        let r1 = try KernelInceptionDistance.compute(real: a, fake: b, subsetSize: 30, subsets: 4, rng: RandomGenerator(seed: 2))
        let r2 = try KernelInceptionDistance.compute(real: a, fake: b, subsetSize: 30, subsets: 4, rng: RandomGenerator(seed: 2))
        XCTAssertEqual(r1, r2)
        XCTAssertThrowsError(try KernelInceptionDistance.compute(real: a, fake: b, subsetSize: 41, subsets: 4, rng: g))
        XCTAssertThrowsError(try KernelInceptionDistance.compute(real: a, fake: b, subsetSize: 1, subsets: 4, rng: g))
        XCTAssertThrowsError(try KernelInceptionDistance.unbiasedMMD2(a, g.normal([5, 3])))
    }
}
