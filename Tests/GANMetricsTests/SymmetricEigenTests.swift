import XCTest
import GANTensor
@testable import GANMetrics

final class SymmetricEigenTests: XCTestCase {
    func randomSymmetric(_ n: Int, seed: UInt64) throws -> Matrix {
        let r = RandomGenerator(seed: seed).normal([n, n]).scalars.map(Double.init)
        return try Matrix(rows: n, columns: n, values: r).symmetrized
    }

    func testTwoByTwoKnownValues() throws {
        let e = try SymmetricEigen.decompose(Matrix(rows: 2, columns: 2, values: [2, 1, 1, 2]))
        XCTAssertEqual(e.values[0], 1, accuracy: 1e-15)
        XCTAssertEqual(e.values[1], 3, accuracy: 1e-15)
        let v = e.vectors!
        // Eigenvector of 3 is (1, 1)/sqrt 2 up to sign.
        XCTAssertEqual(abs(v[0, 1]), 0.5.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(v[0, 1] * v[1, 1], 0.5, accuracy: 1e-15)
    }

    func testReconstructsAndIsOrthogonal() throws {
        let a = try randomSymmetric(40, seed: 3)
        let e = try SymmetricEigen.decompose(a)
        let v = e.vectors!
        let rebuilt = v.multiplied(by: .diagonal(e.values)).multiplied(by: v.transposed)
        let gram = v.transposed.multiplied(by: v)
        for i in 0..<40 {
            for j in 0..<40 {
                XCTAssertEqual(rebuilt[i, j], a[i, j], accuracy: 1e-12)
                XCTAssertEqual(gram[i, j], i == j ? 1 : 0, accuracy: 1e-12)
            }
        }
        XCTAssertEqual(e.values, e.values.sorted())
        let valuesOnly = try SymmetricEigen.decompose(a, computeVectors: false)
        XCTAssertNil(valuesOnly.vectors)
        for (x, y) in zip(valuesOnly.values, e.values) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    }

    func testDiagonalAndRankDeficient() throws {
        XCTAssertEqual(try SymmetricEigen.decompose(.diagonal([3, -1, 2])).values, [-1, 2, 3])
        // XᵀX for X [3, 8] has rank 3: five eigenvalues are zero.
        let x = try Matrix(rows: 3, columns: 8, values: RandomGenerator(seed: 5).normal([3, 8]).scalars.map(Double.init))
        let e = try SymmetricEigen.decompose(x.transposed.multiplied(by: x))
        for value in e.values.prefix(5) { XCTAssertEqual(value, 0, accuracy: 1e-13) }
        XCTAssertGreaterThan(e.values[5], 1e-3)
        XCTAssertEqual(e.values.reduce(0, +), x.values.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-12)
    }

    func testTinyOffDiagonalAgainstLargeGap() throws {
        // tau ~ 1e200 takes the overflow-safe branch; the eigenvalues are the diagonal.
        let e = try SymmetricEigen.decompose(Matrix(rows: 2, columns: 2, values: [0, 1e-200, 1e-200, 1]))
        XCTAssertEqual(e.values, [0, 1])
    }

    func testRoundRobinMeetsEveryPairOnce() {
        for n in [2, 5, 6, 9] {
            let rounds = SymmetricEigen.roundRobin(n)
            var seen = Set<[Int]>()
            for round in rounds {
                let indices = round.flatMap { [$0.0, $0.1] }
                XCTAssertEqual(Set(indices).count, indices.count, "an index twice in one round (n = \(n))")
                for (p, q) in round {
                    XCTAssertLessThan(p, q)
                    XCTAssertTrue(seen.insert([p, q]).inserted)
                }
            }
            XCTAssertEqual(seen.count, n * (n - 1) / 2)
        }
    }

    func testRejectsBadMatrices() {
        XCTAssertThrowsError(try Matrix(rows: 2, columns: 2, values: [1, 2, 3]))
        XCTAssertThrowsError(try SymmetricEigen.decompose(Matrix(zeros: 2, 3)))
        XCTAssertThrowsError(try SymmetricEigen.decompose(Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4])))
        XCTAssertThrowsError(try SymmetricEigen.decompose(Matrix(rows: 1, columns: 1, values: [.nan])))
    }
}
