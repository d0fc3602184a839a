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

    /// A set against itself is not two independent samples: the cross term keeps the diagonal
    /// k(xi, xi) that the within-set terms leave out, so the estimate is exactly
    /// (2/m)(mean_{i≠j} k(xi, xj) - mean_i k(xi, xi)), negative and growing with the feature
    /// scale (the cause of the "-32" in issue 6), while two disjoint samples centre on 0.
    func testSetAgainstItselfHasItsClosedFormAndDisjointHalvesCentreOnZero() throws {
        let g = RandomGenerator(seed: 11)
        let x = g.normal([40, 8])
        let rows = (0..<40).map { i in (0..<8).map { Double(x.data[i * 8 + $0]) } }
        var diagonal = 0.0, offDiagonal = 0.0
        for i in 0..<40 {
            for j in 0..<40 {
                let k = try KernelInceptionDistance.kernel(rows[i], rows[j])
                if i == j { diagonal += k } else { offDiagonal += k }
            }
        }
        let expected = 2.0 / 40 * (offDiagonal / (40 * 39) - diagonal / 40)
        XCTAssertLessThan(expected, 0)
        XCTAssertEqual(try KernelInceptionDistance.unbiasedMMD2(x, x), expected, accuracy: 1e-6 * abs(expected))  // float Gram matrix
        // Scaling the features by 4 multiplies the cubic term by 4^6: the bias grows with the scale.
        XCTAssertLessThan(try KernelInceptionDistance.unbiasedMMD2(x * 4, x * 4), 100 * expected)

        let pool = g.normal([2000, 8])
        let halves = try KernelInceptionDistance.compute(real: pool.sliced(axis: 0, start: 0, end: 1000),
                                                         fake: pool.sliced(axis: 0, start: 1000, end: 2000),
                                                         subsetSize: 500, subsets: 40, rng: RandomGenerator(seed: 3))
        XCTAssertLessThan(abs(halves.mean), 3 * halves.std, "\(halves.mean) +- \(halves.std)")
        XCTAssertLessThan(abs(halves.mean), 0.1 * abs(expected))
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
