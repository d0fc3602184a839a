import XCTest
import GANTensor
@testable import GANMetrics

final class FrechetDistanceTests: XCTestCase {
    let rng = RandomGenerator(seed: 11)

    /// R diag(values) Rᵀ for a random orthogonal R (from an eigen-decomposition).
    func rotatedCovariance(_ values: [Double], seed: UInt64) throws -> Matrix {
        let n = values.count
        let g = try Matrix(rows: n, columns: n, values: RandomGenerator(seed: seed).normal([n, n]).scalars.map(Double.init)).symmetrized
        let r = try SymmetricEigen.decompose(g).vectors!
        return r.multiplied(by: .diagonal(values)).multiplied(by: r.transposed).symmetrized
    }

    func testStatisticsOfKnownSet() throws {
        let s = try FeatureStatistics(features: Tensor([1, 2, 3, 6, 5, 10], shape: [3, 2]))
        XCTAssertEqual(s.mean, [3, 6])
        // numpy.cov: var(1,3,5) = 4, var(2,6,10) = 16, cov = 8.
        XCTAssertEqual(s.covariance.values, [4, 8, 8, 16])
        XCTAssertEqual(s.count, 3)
        XCTAssertThrowsError(try FeatureStatistics(features: Tensor([1, 2], shape: [1, 2])))
    }

    func testIdenticalSetsGiveZero() throws {
        let x = rng.normal([300, 12])
        let s = try FeatureStatistics(features: x)
        let scale = 2 * s.covariance.trace
        XCTAssertLessThanOrEqual(try FrechetDistance.distance(s, s), 1e-6 * scale)
        XCTAssertLessThanOrEqual(try FrechetDistance.distance(x, x), 1e-6 * scale)
    }

    func testDiagonalGaussiansClosedForm() throws {
        let a = [0.5, 2.0, 1.0, 4.0], b = [1.5, 0.25, 1.0, 9.0]
        let mu1 = [0.0, 1, -1, 2], mu2 = [1.0, 1, 0.5, -2]
        let s1 = try FeatureStatistics(mean: mu1, covariance: .diagonal(a))
        let s2 = try FeatureStatistics(mean: mu2, covariance: .diagonal(b))
        var expected = 0.0
        for i in 0..<4 {
            expected += (a[i].squareRoot() - b[i].squareRoot()) * (a[i].squareRoot() - b[i].squareRoot())
            expected += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i])
        }
        XCTAssertEqual(try FrechetDistance.distance(s1, s2), expected, accuracy: 1e-12 * expected)
    }

    func testNonCommutingCovariancesAgainstClosedForm() throws {
        // S1 = c I commutes with anything: Tr(S1 + S2 - 2 sqrt(c) S2^{1/2}) = Σ (sqrt(c) - sqrt(λi))².
        let lambdas = [0.1, 0.7, 1.3, 2.0, 5.0, 0.02]
        let s2 = try rotatedCovariance(lambdas, seed: 21)
        let c = 1.7
        let expected = lambdas.reduce(0) { $0 + (c.squareRoot() - $1.squareRoot()) * (c.squareRoot() - $1.squareRoot()) }
        let zeros = [Double](repeating: 0, count: 6)
        let d = try FrechetDistance.distance(FeatureStatistics(mean: zeros, covariance: .diagonal([Double](repeating: c, count: 6))),
                                             FeatureStatistics(mean: zeros, covariance: s2))
        XCTAssertEqual(d, expected, accuracy: 1e-10)
        // Same rotation for both: distance is that of the eigenvalues, Σ (sqrt a - sqrt b)².
        let other = [2.0, 0.3, 1.0, 0.5, 4.0, 0.2]
        let t1 = try rotatedCovariance(lambdas, seed: 30), t2 = try rotatedCovariance(other, seed: 30)
        let same = zip(lambdas, other).reduce(0) { $0 + ($1.0.squareRoot() - $1.1.squareRoot()) * ($1.0.squareRoot() - $1.1.squareRoot()) }
        XCTAssertEqual(try FrechetDistance.distance(FeatureStatistics(mean: zeros, covariance: t1),
                                                    FeatureStatistics(mean: zeros, covariance: t2)), same, accuracy: 1e-10)
    }

    func testShiftAddsSquaredNormOnly() throws {
        let x = rng.normal([200, 5])
        let d = try FrechetDistance.distance(x, x + 0.5)
        XCTAssertEqual(d, 5 * 0.25, accuracy: 1e-6)
    }

    func testSymmetricAndNonNegative() throws {
        for seed in UInt64(0)..<5 {
            let g = RandomGenerator(seed: seed)
            // Different, correlated shapes so the covariances do not commute.
            let x = try g.normal([60, 7]).matmul(g.normal([7, 7]))
            let y = try g.normal([80, 7]).matmul(g.normal([7, 7]))
            let a = try FeatureStatistics(features: x), b = try FeatureStatistics(features: y)
            let ab = try FrechetDistance.distance(a, b), ba = try FrechetDistance.distance(b, a)
            XCTAssertGreaterThan(ab, 0)
            XCTAssertEqual(ab, ba, accuracy: 1e-9 * ab)
        }
    }

    func testRejectsMismatchedInputs() {
        XCTAssertThrowsError(try FrechetDistance.distance(rng.normal([10, 3]), rng.normal([10, 4])))
        XCTAssertThrowsError(try FrechetDistance.distance(rng.normal([10, 3, 1]), rng.normal([10, 3])))
        XCTAssertThrowsError(try FeatureStatistics(mean: [0, 0], covariance: .identity(3)))
        let bad = rng.normal([10, 3])
        bad.data[4] = .nan
        XCTAssertThrowsError(try FrechetDistance.distance(bad, bad))
    }
}
